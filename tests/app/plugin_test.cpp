// --plugin: a user's shared library (examples/custom_policy/plugin.cpp, built by tests/) adds an
// assignment policy, an incentive policy and an aggregation method, and every command of the
// real CLI works with them: threads, list, and --resume of an interrupted run.

#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "io/hdf5_compare.hpp"
#include "support/process.hpp"
#include "support/tmp.hpp"

namespace fs = std::filesystem;
using crowdsim::testing::run_crowdsim;
using crowdsim::testing::with;

namespace {

const std::string kScenario = std::string(CROWDSIM_SOURCE_DIR) + "/examples/custom_policy/scenario.json";
const std::string kPlugin = CROWDSIM_TEST_PLUGIN;

}  // namespace

TEST_CASE("app::plugin: a plug-in's models run with --threads 2, and a missing plug-in is one clear error", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_plugin_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string one = (dir / "one.h5").string(), two = (dir / "two.h5").string();
  REQUIRE(run_crowdsim({"run", kScenario, "--plugin", kPlugin, "--threads", "2", "--quiet", "-o", two}) == 0);
  REQUIRE(run_crowdsim({"run", kScenario, "--plugin", kPlugin, "--threads", "1", "--quiet", "-o", one}) == 0);
  std::ostringstream diffs;
  CHECK(crowdsim::io::compare_files(one, two, diffs));  // same seed, same file, whatever the threads
  INFO(diffs.str());
  // Without the plug-in its names are unknown (exit 2, nothing written).
  CHECK(run_crowdsim({"validate", kScenario}) == 2);
  CHECK(run_crowdsim({"validate", kScenario, "--plugin", (dir / "nope.so").string()}) == 2);
  CHECK(run_crowdsim({"validate", kScenario, "--plugin", kPlugin}) == 0);
  // Its parameters are declared like the built-ins': checked, and listed.
  CHECK(run_crowdsim({"validate", kScenario, "--plugin", kPlugin, "--set", "incentive.target=2"}) == 2);
  fs::remove_all(dir);
}

TEST_CASE("app::plugin: --resume completes an interrupted run of a plug-in's models", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_plugin_resume_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string full = (dir / "full.h5").string(), cut = (dir / "cut.h5").string();
  // Large enough to interrupt midway (2 policies x 10 replications of 20,000 tasks, about 0.1 s
  // each), and within the pool's capacity (an overloaded queue makes random's scan quadratic).
  // Under the sanitizers (several times slower), a quarter of the tasks.
  std::vector<std::string> base{"run", kScenario, "--plugin", kPlugin, "--replications", "10", "--set",
                                CROWDSIM_SANITIZED ? "tasks.count=5000" : "tasks.count=20000", "--set",
                                "tasks.arrival.rate_per_hour=1500", "--set", "workers.count=100", "--quiet"};
  REQUIRE(run_crowdsim(with(base, {"-o", full})) == 0);
  int status = run_crowdsim(with(base, {"-o", cut}), 600);
  if (status == 0) {
    WARN("the run finished before the signal; nothing to resume on this machine");
    return;
  }
  CHECK(status == 143);
  REQUIRE(fs::exists(cut + ".partial"));
  CHECK(run_crowdsim(with(base, {"-o", cut, "--resume"})) == 0);
  std::ostringstream diffs;
  CHECK(crowdsim::io::compare_files(full, cut, diffs));
  INFO(diffs.str());
  CHECK(diffs.str().empty());
  fs::remove_all(dir);
}
