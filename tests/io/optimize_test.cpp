#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "io/optimize.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using nlohmann::json;

// Majority vote of n workers of accuracy 0.7 is right with probability 0.700, 0.784, 0.837,
// 0.874 for n = 1, 3, 5, 7 (even n: 0.700, 0.784, 0.837 with ties broken at random). The
// cheapest redundancy reaching accuracy 0.82 is therefore 5, and the search must find it.
TEST_CASE("io::optimize: finds the known cheapest redundancy meeting an accuracy target", "[io][validation]") {
  json doc = testing::small_scenario();
  doc["replications"] = 3;
  doc["tasks"]["count"] = 3000;
  doc["workers"] = {{"count", 10}, {"accuracy", 0.7}};
  doc["optimize"] = json::parse(R"({
    "params": {"tasks.redundancy": {"min": 1, "max": 7, "integer": true}},
    "objective": {"minimize": "total_cost"},
    "constraints": [{"kpi": "accuracy", "min": 0.82}],
    "grid": 7, "rounds": 2
  })");
  testing::MemoryRecorder rec;
  io::OptimizeResult r = io::optimize(doc, ".", rec, 2);
  REQUIRE(r.best >= 0);
  const io::Evaluated& best = r.points[static_cast<std::size_t>(r.best)];
  CHECK(best.params["tasks.redundancy"] == 5);
  CHECK(best.objective.mean == Approx(3000 * 5));
  CHECK(best.constraints[0].mean == Approx(0.837).margin(0.02));
  CHECK(r.points.size() == 7);  // the second round's grid is all points already evaluated
  CHECK(rec.kpis.size() == 7 * 3);
  for (const auto& p : r.points) {
    int n = p.params["tasks.redundancy"];
    CHECK(p.feasible == (n >= 5));
  }
  std::ostringstream out;
  io::print_optimum(r, out);
  CHECK_THAT(out.str(), Catch::Contains("optimum") && Catch::Contains("\"tasks.redundancy\":5") && Catch::Contains("95% CI"));

  doc["optimize"]["constraints"][0]["min"] = 0.99;  // out of reach
  testing::MemoryRecorder none;
  CHECK(io::optimize(doc, ".", none).best < 0);
  doc["optimize"]["objective"] = {{"maximize", "accuracy"}, {"minimize", "total_cost"}};
  CHECK_THROWS_WITH(io::optimize(doc, ".", none), Catch::StartsWith("optimize.objective: expected exactly one of"));
}
