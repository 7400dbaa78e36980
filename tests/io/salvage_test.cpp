#include <catch2/catch.hpp>

#include "support/hdf5_recorder_files.hpp"
#include "support/process.hpp"

#include <H5Cpp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "io/hdf5_compare.hpp"
#include "io/hdf5_recorder.hpp"
#include "io/salvage.hpp"
#include "sim/config.hpp"

// A writer killed outright leaves path.tmp, never closed: salvage_output rebuilds its finished
// runs into path.partial, and resuming that completes a file equal to an uninterrupted one.

using namespace crowdsim;
using namespace crowdsim::models;
using namespace crowdsim::testing;
namespace fs = std::filesystem;

namespace {

const io::FileMetadata kMeta{"{\"salvage\": true}"};

// Run i of the experiment; runs 1 and 3 are long enough to span several chunks of every table.
RunData run_of(std::uint64_t i) { return make_run(i, i % 2 ? 20000 : 5); }

// Resumes `path` and records the runs it lacks, as `crowdsim run --resume` does.
void resume_and_finish(const fs::path& path, std::uint64_t runs) {
  auto rec = io::Hdf5Recorder::resume(path.string(), kMeta, io::Detail::kFull);
  for (std::uint64_t i = 0; i < runs; ++i)
    if (!rec->finished_runs().count(i)) record(*rec, run_of(i));
  rec->finish();
}

void check_equal(const fs::path& a, const fs::path& b) {
  std::ostringstream diffs;
  CHECK(io::compare_files(a.string(), b.string(), diffs));
  INFO(diffs.str());
  CHECK(diffs.str().empty());
}

}  // namespace

TEST_CASE("io::salvage_output: a killed writer's finished runs are kept, and --resume completes the file", "[io]") {
  const std::uint64_t kRuns = 4;
  fs::path whole = scratch("salvage_whole.h5");
  {
    io::Hdf5Recorder rec(whole.string(), kMeta, io::Detail::kFull);
    for (std::uint64_t i = 0; i < kRuns; ++i) record(rec, run_of(i));
    rec.finish();
  }
  // Where the writer dies: the runs it finished, and how far it got into the next one (-1: not begun;
  // else the number of assignment rows it had handed over).
  struct Cut {
    std::uint64_t finished;
    long rows_of_next;
  };
  for (Cut cut : {Cut{0, 0}, Cut{1, 15000}, Cut{2, -1}, Cut{3, 20000}}) {
    INFO("finished " << cut.finished << ", rows of the next " << cut.rows_of_next);
    fs::path p = scratch("salvage_cut.h5");
    fs::remove(p.string() + ".partial");
    REQUIRE(in_killed_child([&] {
      auto* rec = new io::Hdf5Recorder(p.string(), kMeta, io::Detail::kFull);  // never deleted: killed
      for (std::uint64_t i = 0; i < cut.finished; ++i) record(*rec, run_of(i));
      if (cut.rows_of_next >= 0) {
        RunData d = run_of(cut.finished);
        rec->begin_run(d.info);
        for (long k = 0; k < cut.rows_of_next && k < static_cast<long>(d.assignments.size()); ++k)
          rec->assignment(d.assignments[static_cast<std::size_t>(k)]);
      }
    }) == 0);
    REQUIRE(fs::exists(p.string() + ".tmp"));
    io::Salvaged s = io::salvage_output(p.string() + ".tmp", p.string() + ".partial", kMeta.scenario_json);
    CHECK(s.kept == cut.finished);
    CHECK(s.dropped == 0);
    CHECK_FALSE(fs::exists(p.string() + ".tmp"));
    {
      H5::H5File f(p.string() + ".partial", H5F_ACC_RDONLY);
      CHECK(str_attr(f, "status") == "partial");
      CHECK(str_attr(f, "scenario") == kMeta.scenario_json);
      CHECK(f.openGroup("runs").getNumObjs() == cut.finished);  // the run under way is left out
    }
    resume_and_finish(p, kRuns);
    check_equal(whole, p);
  }
}

TEST_CASE("io::salvage_output: a finished run whose chunk is torn is dropped with the runs after it, and run again", "[io]") {
  fs::path whole = scratch("salvage_torn_whole.h5"), p = scratch("salvage_torn.h5");
  {
    io::Hdf5Recorder rec(whole.string(), kMeta, io::Detail::kFull);
    for (std::uint64_t i = 0; i < 3; ++i) record(rec, run_of(i));
    rec.finish();
  }
  fs::remove(p.string() + ".partial");
  REQUIRE(in_killed_child([&] {
    auto* rec = new io::Hdf5Recorder(p.string(), kMeta, io::Detail::kFull);
    for (std::uint64_t i = 0; i < 3; ++i) record(*rec, run_of(i));
  }) == 0);
  // As a machine crash can leave it: the middle of run 1's first assignments chunk never written.
  haddr_t addr = 0;
  hsize_t size = 0;
  {
    H5::H5File f(p.string() + ".tmp", H5F_ACC_RDONLY);
    H5::DataSet ds = f.openDataSet("/runs/000001/assignments");
    hsize_t offset[1] = {0};
    unsigned mask = 0;
    REQUIRE(H5Dget_chunk_info_by_coord(ds.getId(), offset, &mask, &addr, &size) >= 0);
  }
  REQUIRE(size > 64);
  {
    std::FILE* f = std::fopen((p.string() + ".tmp").c_str(), "r+b");
    REQUIRE(f);
    std::vector<unsigned char> zeros(static_cast<std::size_t>(size / 2), 0);
    std::fseek(f, static_cast<long>(addr + size / 4), SEEK_SET);
    std::fwrite(zeros.data(), 1, zeros.size(), f);
    std::fclose(f);
  }
  io::Salvaged s = io::salvage_output(p.string() + ".tmp", p.string() + ".partial", kMeta.scenario_json);
  CHECK(s.kept == 1);
  CHECK(s.dropped == 2);
  {
    H5::H5File f(p.string() + ".partial", H5F_ACC_RDONLY);
    CHECK(f.nameExists("/runs/000000"));
    CHECK_FALSE(f.nameExists("/runs/000001"));
    CHECK_FALSE(f.nameExists("/runs/000002"));
    CHECK(rows(f, "/summary") == 1);
  }
  resume_and_finish(p, 3);
  check_equal(whole, p);
}

TEST_CASE("io::salvage_output: another scenario's file, or one still being written, is refused untouched", "[io]") {
  fs::path p = scratch("salvage_refused.h5");
  int go[2];
  REQUIRE(pipe(go) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {  // a writer still at work: it holds the file until told to die
    close(go[1]);
    auto* rec = new io::Hdf5Recorder(p.string(), kMeta, io::Detail::kFull);
    record(*rec, run_of(0));
    char c;
    (void)!read(go[0], &c, 1);
    _exit(0);
  }
  close(go[0]);
  // Wait for its first run: /summary exists once the writer has flushed it.
  for (int i = 0; i < 500 && !fs::exists(p.string() + ".tmp"); ++i) usleep(10000);
  usleep(300000);
  CHECK_THROWS_WITH(io::salvage_output(p.string() + ".tmp", p.string() + ".partial", kMeta.scenario_json),
                    Catch::Contains("open in another process"));
  CHECK(fs::exists(p.string() + ".tmp"));
  CHECK_FALSE(fs::exists(p.string() + ".partial"));
  (void)!write(go[1], "x", 1);
  close(go[1]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);

  CHECK_THROWS_AS(io::salvage_output(p.string() + ".tmp", p.string() + ".partial", "{\"other\": 1}"),
                  sim::ConfigError);
  CHECK(fs::exists(p.string() + ".tmp"));
  CHECK_FALSE(fs::exists(p.string() + ".partial"));
  CHECK_FALSE(fs::exists(p.string() + ".partial.salvage"));
  io::Salvaged s = io::salvage_output(p.string() + ".tmp", p.string() + ".partial", kMeta.scenario_json);
  CHECK(s.kept == 1);
}
