// Runs across processes: MPI ranks and --shard jobs merged give the file a single process gives.

#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "io/hdf5_compare.hpp"

namespace fs = std::filesystem;

namespace {
const std::string kSweep = std::string(CROWDSIM_SOURCE_DIR) + "/scenarios/beta_sweep.json";
const std::string kArgs = " --set tasks.count=200 --replications 2 --detail full --quiet";
int sh(const std::string& cmd) { return WEXITSTATUS(std::system((cmd + " >/dev/null 2>&1").c_str())); }
bool same(const std::string& a, const std::string& b) {
  std::ostringstream diffs;
  bool ok = crowdsim::io::compare_files(a, b, diffs);
  INFO(diffs.str());
  CHECK(diffs.str().empty());
  return ok;
}
}  // namespace

TEST_CASE("app::mpi: two ranks write the same datasets as one process", "[app]") {
  if (sh("command -v mpirun") != 0) {
    WARN("mpirun is not installed: skipped (make test installs OpenMPI)");
    return;
  }
  // The sanitizer build leaves MPI out (OpenMPI's own allocations upset LeakSanitizer).
  if (sh(std::string(CROWDSIM_BINARY) + " --version | grep -q 'with MPI'") != 0) {
    WARN("this crowdsim is built without MPI: skipped");
    return;
  }
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_mpi_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string one = (dir / "one.h5").string(), two = (dir / "two.h5").string();
  REQUIRE(sh(std::string(CROWDSIM_BINARY) + " sweep " + kSweep + " -o " + one + kArgs) == 0);
  std::string root = geteuid() == 0 ? " --allow-run-as-root" : "";
  REQUIRE(sh("mpirun" + root + " --oversubscribe -np 2 " + CROWDSIM_BINARY + " sweep " + kSweep + " -o " + two +
             " --mpi" + kArgs) == 0);
  CHECK(same(one, two));
  CHECK_FALSE(fs::exists(two + ".rank0.h5"));  // shards are removed once merged
  // Without --mpi, each rank would run everything into the same file: refused, nothing written.
  std::string alone = (dir / "alone.h5").string();
  CHECK(sh("mpirun" + root + " --oversubscribe -np 2 " + CROWDSIM_BINARY + " sweep " + kSweep + " -o " + alone + kArgs) != 0);
  CHECK_FALSE(fs::exists(alone));
  CHECK_FALSE(fs::exists(alone + ".tmp"));
  fs::remove_all(dir);
}

// The same refusal without OpenMPI at hand: the variable mpirun sets for each rank.
TEST_CASE("app::mpi: a rank of mpirun without --mpi is refused with status 2", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_mpi_alone";
  fs::create_directories(dir);
  std::string out = (dir / "alone.h5").string();
  CHECK(sh("OMPI_COMM_WORLD_SIZE=2 " + std::string(CROWDSIM_BINARY) + " sweep " + kSweep + " -o " + out + kArgs) == 2);
  CHECK_FALSE(fs::exists(out));
  CHECK(sh("OMPI_COMM_WORLD_SIZE=1 " + std::string(CROWDSIM_BINARY) + " sweep " + kSweep + " -o " + out + kArgs) == 0);
  fs::remove_all(dir);
}

TEST_CASE("app::mpi: --shard jobs merged equal one process, bad shards are refused", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_shard_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string one = (dir / "one.h5").string(), merged = (dir / "merged.h5").string();
  REQUIRE(sh(std::string(CROWDSIM_BINARY) + " sweep " + kSweep + " -o " + one + kArgs) == 0);
  std::string shards;
  for (int k = 0; k < 3; ++k) {
    std::string s = (dir / ("s" + std::to_string(k) + ".h5")).string();
    REQUIRE(sh(std::string(CROWDSIM_BINARY) + " sweep " + kSweep + " -o " + s + kArgs + " --shard " +
               std::to_string(k) + "/3") == 0);
    shards += " " + s;
  }
  REQUIRE(sh(std::string(CROWDSIM_BINARY) + " merge -o " + merged + shards) == 0);
  CHECK(same(one, merged));
  // The same shard twice, or a shard of another scenario, is an error; so is a missing shard,
  // which used to give a file marked complete with a third of the runs gone (summarize then
  // reported some groups on 1 run of 2). Bad input: status 2, and nothing written.
  const std::string x = (dir / "x.h5").string();
  CHECK(sh(std::string(CROWDSIM_BINARY) + " merge -o " + x + shards + " " + (dir / "s0.h5").string()) == 2);
  CHECK(sh(std::string(CROWDSIM_BINARY) + " merge -o " + x + " " + (dir / "s0.h5").string() + " " +
           (dir / "s2.h5").string()) == 2);
  CHECK_FALSE(fs::exists(x));
  CHECK_FALSE(fs::exists(x + ".tmp"));
  CHECK(sh(std::string(CROWDSIM_BINARY) + " merge -o " + (dir / "y.h5").string() + " " + one + " " +
           (dir / "s0.h5").string()) != 0);
  // A bad --shard is refused before the output exists: no OUT.partial left to block the next run.
  for (const char* bad : {"3/3", "1/0", "-1/2", "a/b", "0/2/3"}) {
    const std::string z = (dir / "z.h5").string();
    INFO("--shard " << bad);
    CHECK(sh(std::string(CROWDSIM_BINARY) + " sweep " + kSweep + " -o " + z + kArgs + " --shard " + bad) == 2);
    CHECK_FALSE(fs::exists(z + ".partial"));
    CHECK_FALSE(fs::exists(z));
  }
  fs::remove_all(dir);
}
