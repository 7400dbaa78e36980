#include <catch2/catch.hpp>

#include <map>

#include "io/scenario.hpp"
#include "io/sweep.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::small_scenario;
using nlohmann::json;

TEST_CASE("io::sweep: a grid is every combination, the last path varying fastest", "[io]") {
  auto points = io::expand_sweep(json::parse(R"({"grid": {"incentive.beta": [-1, 0, 1], "assignment.policy": ["fifo", "random"]}})"), 1);
  REQUIRE(points.size() == 6);
  // Paths in key order: assignment.policy, then incentive.beta (fastest).
  CHECK(points[0] == json::parse(R"({"assignment.policy": "fifo", "incentive.beta": -1})"));
  CHECK(points[1] == json::parse(R"({"assignment.policy": "fifo", "incentive.beta": 0})"));
  CHECK(points[5] == json::parse(R"({"assignment.policy": "random", "incentive.beta": 1})"));
}

TEST_CASE("io::sweep: lists as given, random samples reproducible and in range", "[io]") {
  auto list = io::expand_sweep(json::parse(R"({"list": [{"tasks.bounty": 0.1}, {"tasks.bounty": 0.2, "incentive.policy": "fixed"}]})"), 1);
  REQUIRE(list.size() == 2);
  CHECK(list[1]["incentive.policy"] == "fixed");
  json r = json::parse(R"({"random": {"samples": 200, "params": {"incentive.beta": {"min": -2, "max": 2},
                                                                    "workers.count": {"min": 5, "max": 50, "integer": true},
                                                                    "tasks.bounty": {"min": 0.01, "max": 1, "log": true}}}})");
  auto a = io::expand_sweep(r, 7), b = io::expand_sweep(r, 7), c = io::expand_sweep(r, 8);
  CHECK(a == b);
  CHECK(a != c);
  double below_tenth = 0;
  for (const auto& p : a) {
    CHECK(p["incentive.beta"].get<double>() >= -2);
    CHECK(p["incentive.beta"].get<double>() < 2);
    CHECK(p["workers.count"].is_number_integer());
    CHECK(p["workers.count"].get<int>() >= 5);
    CHECK(p["workers.count"].get<int>() <= 50);
    below_tenth += p["tasks.bounty"].get<double>() < 0.1;
  }
  CHECK(std::abs(below_tenth / 200 - 0.5) < 0.15);  // log-uniform: half below the geometric middle
  // Integers: both ends are drawn, each value as often (300 draws of 3 values: 100 expected,
  // sd 8.2; a value is missed with probability below 3 (2/3)^300 < 1e-52).
  auto ints = io::expand_sweep(json::parse(R"({"random": {"samples": 300, "params": {"tasks.redundancy": {"min": 1, "max": 3, "integer": true}}}})"), 7);
  std::map<int, int> seen;
  for (const auto& p : ints) ++seen[p["tasks.redundancy"].get<int>()];
  CHECK(seen.size() == 3);
  for (int v = 1; v <= 3; ++v) CHECK(std::abs(seen[v] - 100) < 35);  // over 4 sd
  CHECK_THROWS_WITH(io::expand_sweep(json::parse(R"({"random": {"samples": 3, "params": {"tasks.redundancy": {"min": 1.2, "max": 1.8, "integer": true}}}})"), 7),
                    Catch::StartsWith("sweep.random.params.tasks.redundancy.max: expected a whole number between min and max"));
}

TEST_CASE("io::sweep: bad sweeps and bad points are errors naming the path", "[io]") {
  CHECK_THROWS_WITH(io::expand_sweep(json::parse(R"({"grid": {"seed": [1, 2]}})"), 1), Catch::StartsWith("sweep.grid.seed: expected a parameter path other than"));
  CHECK_THROWS_WITH(io::expand_sweep(json::parse(R"({"grid": {"incentive.beta": []}})"), 1), Catch::StartsWith("sweep.grid.incentive.beta: expected a non-empty array"));
  CHECK_THROWS_WITH(io::expand_sweep(json::parse(R"({"grid": {}, "list": []})"), 1), Catch::StartsWith("sweep: expected exactly one of"));
  CHECK_THROWS_WITH(io::expand_sweep(json::parse(R"({"grid": {"a.b": [1]}, "repeat": 2})"), 1), Catch::StartsWith("sweep.repeat:"));
  json doc = small_scenario();
  doc["incentive"] = {{"policy", "exponential_progress"}};
  doc["sweep"] = json::parse(R"({"grid": {"incentive.beta": [0, 99]}})");
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::StartsWith("incentive.beta: expected a number in [-50, 50], found 99 (in sweep point 1"));
}

TEST_CASE("io::sweep: a sweep over aggregation.batch is refused up front (one set of KPI columns per file)", "[io]") {
  nlohmann::json doc = crowdsim::testing::small_scenario();
  doc["sweep"] = nlohmann::json::parse(R"({"list": [{"aggregation.batch": ["mv"]}, {"aggregation.batch": ["ds"]}]})");
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."),
                    Catch::StartsWith("sweep: expected the same aggregation.batch at every point") &&
                        Catch::Contains("found [ds] in sweep point 1"));
  doc["sweep"] = nlohmann::json::parse(R"({"grid": {"tasks.bounty": [0.1, 0.2]}})");
  doc["aggregation"] = nlohmann::json::parse(R"({"batch": ["mv", "ds"]})");
  CHECK(io::parse_scenario(doc, ".").points.size() == 2);
}
