// Interruptions: SIGTERM or SIGINT keeps the finished runs in OUT.partial and exits 143 or 130;
// --resume completes the file, whose contents then equal an uninterrupted run's.

#include <catch2/catch.hpp>

#include "support/process.hpp"
#include "support/tmp.hpp"

#include <filesystem>
#include <sstream>

#include "io/hdf5_compare.hpp"

namespace fs = std::filesystem;
using crowdsim::testing::with;


namespace {

const std::string kDemo = std::string(CROWDSIM_SOURCE_DIR) + "/scenarios/demo.json";
// About 30 runs of a few hundredths of a second each: long enough to interrupt midway.
const std::vector<std::string> kArgs{"--replications", "30", "--set", "tasks.count=10000", "--set",
                                     "tasks.arrival.rate_per_hour=2000", "--set", "workers.count=200",
                                     "--detail", "assignments", "--quiet"};

int run(std::vector<std::string> args, int signal_after_ms = -1, int sig = SIGTERM) {
  return crowdsim::testing::run_crowdsim(std::move(args), signal_after_ms, sig);
}

// SIGTERM while `args` writes `out`: after 400 ms, or sooner on a machine fast enough to finish
// by then (the whole run takes 0.3 to 1 s, by build and load). Returns the exit status.
int interrupt_midway(const std::vector<std::string>& args, const std::string& out) {
  int status = 0;
  for (int after_ms : {400, 200, 100, 50}) {
    std::filesystem::remove(out);
    std::filesystem::remove(out + ".partial");
    status = run(args, after_ms);
    if (status != 0) break;
  }
  return status;
}

}  // namespace

TEST_CASE("app::resume: an interrupted run is completed by --resume, equal to an uninterrupted one", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_resume_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string full = (dir / "full.h5").string(), cut = (dir / "cut.h5").string();
  std::vector<std::string> base = with({"run", kDemo}, kArgs);
  REQUIRE(run(with(base, {"-o", full})) == 0);

  for (auto [sig, code] : {std::pair<int, int>{SIGTERM, 143}, {SIGINT, 130}}) {
    INFO("signal " << sig);
    fs::remove(cut);
    fs::remove(cut + ".partial");
    int status = run(with(base, {"-o", cut}), 400, sig);
    if (status == 0) {
      WARN("the run finished before the signal; nothing to resume on this machine");
      continue;
    }
    CHECK(status == code);
    CHECK_FALSE(fs::exists(cut));  // never a complete-looking file
    REQUIRE(fs::exists(cut + ".partial"));
    CHECK(run(with(base, {"-o", cut, "--resume"})) == 0);
    REQUIRE(fs::exists(cut));
    CHECK_FALSE(fs::exists(cut + ".partial"));
    std::ostringstream diffs;
    CHECK(crowdsim::io::compare_files(full, cut, diffs));
    INFO(diffs.str());
    CHECK(diffs.str().empty());
  }

  // Resuming with other settings, or with nothing to resume, is refused (exit 2).
  fs::remove(cut);
  REQUIRE(interrupt_midway(with(base, {"-o", cut}), cut) != 0);
  if (fs::exists(cut + ".partial")) CHECK(run(with(base, {"-o", cut, "--resume", "--seed", "99"})) == 2);
  CHECK(run(with(base, {"-o", (dir / "none.h5").string(), "--resume"})) == 2);
  CHECK(run(with(base, {"-o", cut, "--resume", "--mpi"})) == 2);  // an MPI run starts afresh: refused, not ignored
  fs::remove_all(dir);
}

TEST_CASE("app::resume: a killed run (SIGKILL) is salvaged by --resume, equal to an uninterrupted one", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_kill_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string full = (dir / "full.h5").string(), cut = (dir / "cut.h5").string();
  std::vector<std::string> base = with({"run", kDemo}, kArgs);
  REQUIRE(run(with(base, {"-o", full})) == 0);

  int killed = 0;
  for (int after_ms : {100, 250, 400}) {
    INFO("SIGKILL after " << after_ms << " ms");
    fs::remove(cut);
    int status = run(with(base, {"-o", cut, "--force"}), after_ms, SIGKILL);
    if (status == 0) {
      WARN("the run finished before SIGKILL; nothing to salvage on this machine");
      continue;
    }
    ++killed;
    CHECK(status == -1);  // killed: no exit status
    CHECK_FALSE(fs::exists(cut));
    REQUIRE(fs::exists(cut + ".tmp"));
    // Starting again without --resume would drop its finished runs: refused, the file left alone.
    CHECK(run(with(base, {"-o", cut})) == 2);
    REQUIRE(fs::exists(cut + ".tmp"));
    CHECK(run(with(base, {"-o", cut, "--resume"})) == 0);
    REQUIRE(fs::exists(cut));
    CHECK_FALSE(fs::exists(cut + ".tmp"));
    CHECK_FALSE(fs::exists(cut + ".partial"));
    std::ostringstream diffs;
    CHECK(crowdsim::io::compare_files(full, cut, diffs));
    INFO(diffs.str());
    CHECK(diffs.str().empty());
  }
  CHECK(killed > 0);

  // An interrupted run's OUT.partial is not dropped by starting again either, unless --force,
  // and a run that completes with --force removes it.
  fs::remove(cut);
  REQUIRE(interrupt_midway(with(base, {"-o", cut}), cut) == 143);
  REQUIRE(fs::exists(cut + ".partial"));
  CHECK(run(with(base, {"-o", cut})) == 2);
  CHECK(fs::exists(cut + ".partial"));
  CHECK(run(with(base, {"-o", cut, "--force"})) == 0);
  CHECK_FALSE(fs::exists(cut + ".partial"));
  fs::remove_all(dir);
}

TEST_CASE("app::memory: a scenario projected beyond --max-memory is refused up front", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_memory_test";
  fs::create_directories(dir);
  std::string out = (dir / "big.h5").string();
  // A billion tasks published at once: hundreds of GiB.
  CHECK(run({"run", kDemo, "-o", out, "--set", "tasks.count=1000000000", "--set",
             "tasks.arrival={\"process\": \"batch\"}", "--quiet"}) == 2);
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".tmp"));
  CHECK(run({"run", kDemo, "-o", out, "--max-memory", "1K", "--quiet"}) == 2);
  CHECK(run({"run", kDemo, "-o", out, "--max-memory", "lots", "--quiet"}) == 2);
  CHECK(run({"run", kDemo, "-o", out, "--force", "--set", "tasks.count=100", "--max-memory", "1G", "--quiet"}) == 0);
  fs::remove_all(dir);
}
