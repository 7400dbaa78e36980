#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <filesystem>
#include <sstream>

#include "experiment/experiment.hpp"
#include "io/hdf5_compare.hpp"
#include "io/hdf5_recorder.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::small_scenario;
using nlohmann::json;

TEST_CASE("experiment::run_experiment: sweep points share random numbers, and 1 or 2 threads write the same file", "[experiment]") {
  json doc = small_scenario();
  doc["replications"] = 3;
  doc["incentive"] = {{"policy", "exponential_progress"}, {"beta", 0}};
  doc["sweep"] = json::parse(R"({"grid": {"incentive.beta": [-1, 1], "assignment.policy": ["fifo", "random"]}})");
  io::Scenario s = io::parse_scenario(doc, ".");
  REQUIRE(s.points.size() == 4);
  REQUIRE(experiment::run_count(s) == 12);
  CHECK(s.swept == std::vector<std::string>{"assignment.policy", "incentive.beta"});

  testing::MemoryRecorder mem;
  experiment::run_experiment(s, mem);
  REQUIRE(mem.runs.size() == 12);
  for (std::size_t id = 0; id < 12; ++id) {
    CHECK(mem.runs[id].run_id == id);
    CHECK(mem.runs[id].point == id / 3);
    CHECK(mem.runs[id].replication == id % 3);
    REQUIRE(mem.runs[id].swept.size() == 1);  // beta is numeric; the policy name is not a column
    CHECK(mem.runs[id].swept[0].second == (id / 3 % 2 == 0 ? -1.0 : 1.0));
  }
  // Common random numbers: in replication r the workers are the same at every point.
  std::size_t per_run = mem.workers.size() / 12;
  for (std::size_t w = 0; w < per_run; ++w)
    for (std::size_t point = 1; point < 4; ++point)
      CHECK(mem.workers[point * 3 * per_run + w].accuracy == mem.workers[w].accuracy);

  auto dir = crowdsim::testing::test_tmp();
  std::string one = (dir / "crowdsim_sweep_t1.h5").string(), two = (dir / "crowdsim_sweep_t2.h5").string();
  for (auto [path, threads] : {std::pair<std::string, unsigned>{one, 1}, {two, 2}}) {
    io::Hdf5Recorder rec(path, io::FileMetadata{s.resolved.dump()}, io::Detail::kFull);
    experiment::run_experiment(s, rec, {}, threads);
    rec.finish();
  }
  std::ostringstream diffs;
  CHECK(io::compare_files(one, two, diffs));
  INFO(diffs.str());
  CHECK(diffs.str().empty());
  std::filesystem::remove(one);
  std::filesystem::remove(two);
}
