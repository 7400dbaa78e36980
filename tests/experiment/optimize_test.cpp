#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "experiment/optimize.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using nlohmann::json;

// Majority vote of n workers of accuracy 0.7 is right with probability 0.700, 0.784, 0.837,
// 0.874 for n = 1, 3, 5, 7 (even n: 0.700, 0.784, 0.837 with ties broken at random). The
// cheapest redundancy reaching accuracy 0.82 is therefore 5, and the search must find it.
TEST_CASE("experiment::optimize: finds the known cheapest redundancy meeting an accuracy target", "[experiment][validation]") {
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
  experiment::OptimizeResult r = experiment::optimize(doc, ".", rec, 2);
  REQUIRE(r.best >= 0);
  const experiment::Evaluated& best = r.points[static_cast<std::size_t>(r.best)];
  CHECK(best.params["tasks.redundancy"] == 5);
  CHECK(best.objective.mean == Approx(3000 * 5));
  CHECK(best.constraints[0].mean == Approx(0.837).margin(0.02));
  CHECK(r.points.size() == 7);  // the second round's grid is all points already evaluated
  CHECK(rec.kpis.size() == (7 + 1) * 3);  // and the optimum again on fresh draws
  for (const auto& p : r.points) {
    int n = p.params["tasks.redundancy"];
    CHECK(p.feasible == (n >= 5));
  }
  std::ostringstream out;
  experiment::print_optimum(r, out);
  CHECK_THAT(out.str(), Catch::Contains("optimum (point 4): tasks.redundancy=5") && Catch::Contains("95% CI"));
  // The output file records the choice (root attribute "optimum"): what plots star.
  json chosen = json::parse(experiment::optimum_json(r));
  CHECK(chosen["point"] == 4);
  CHECK(chosen["params"]["tasks.redundancy"] == 5);
  CHECK(chosen["objective"].get<double>() == best.objective.mean);
  CHECK(chosen["objective_text"] == "minimize total_cost");
  CHECK(chosen["constraints"] == json::array({"accuracy >= 0.82"}));
  // Feasibility as the share of replications that meet the constraint, and every KPI there.
  CHECK_THAT(out.str(), Catch::Contains("accuracy >= 0.82: met in ") && Catch::Contains(" of 3 runs (mean 0.8"));
  CHECK_THAT(out.str(), Catch::Contains("every KPI at the optimum") && Catch::Contains("latency_p95") &&
                            Catch::Contains("logit-scale t"));
  REQUIRE(best.kpis.size() == r.kpi_names.size());
  for (std::size_t i = 0; i < r.kpi_names.size(); ++i)
    if (experiment::kpi_meta(r.kpi_names[i]).kind == experiment::KpiKind::kProportion && !std::isnan(best.kpis[i].low))
      CHECK((best.kpis[i].low >= 0 && best.kpis[i].high <= 1));
  // 5 lies inside [1, 7]: no warning of a bound.
  for (const auto& w : r.warnings) CHECK_THAT(w, !Catch::Contains("bound"));

  doc["optimize"]["constraints"][0]["min"] = 0.99;  // out of reach
  testing::MemoryRecorder none;
  experiment::OptimizeResult infeasible = experiment::optimize(doc, ".", none);
  CHECK(infeasible.best < 0);
  CHECK(json::parse(experiment::optimum_json(infeasible))["point"].is_null());
  doc["optimize"]["objective"] = {{"maximize", "accuracy"}, {"minimize", "total_cost"}};
  CHECK_THROWS_WITH(experiment::optimize(doc, ".", none), Catch::StartsWith("optimize.objective: expected exactly one of"));
}

// The same target over a wider range, where the zoomed grids (1, 7, 13, 19, 25, then 1, 4, 7,
// 10, 13) never hold 5: the optimum's whole-number neighbours are evaluated, and the search
// walks 7 -> 6 -> 5. Before, it answered 7, at 40% more cost than needed.
TEST_CASE("experiment::optimize: a whole-number optimum the rounded grids step over is still found", "[experiment]") {
  json doc = testing::small_scenario();
  doc["replications"] = 3;
  doc["tasks"]["count"] = 3000;
  doc["workers"] = {{"count", 25}, {"accuracy", 0.7}};
  doc["optimize"] = json::parse(R"({
    "params": {"tasks.redundancy": {"min": 1, "max": 25, "integer": true}},
    "objective": {"minimize": "total_cost"},
    "constraints": [{"kpi": "accuracy", "min": 0.82}],
    "grid": 5, "rounds": 2
  })");
  testing::MemoryRecorder rec;
  experiment::OptimizeResult r = experiment::optimize(doc, ".", rec, 2);
  REQUIRE(r.best >= 0);
  std::string evaluated;
  for (const auto& p : r.points) evaluated += p.params.dump() + " ";
  INFO(evaluated);
  CHECK(r.points[static_cast<std::size_t>(r.best)].params["tasks.redundancy"] == 5);
  CHECK(r.points.size() == 10);  // 5 + 2 in the rounds, then 6 and 8, then 5
}

TEST_CASE("experiment::optimize: a penalty counts against the point, maximizing or minimizing", "[experiment]") {
  // minimize latency_mean + w * total_cost over the bounty: with fixed pay the bounty changes
  // only the cost, so the cheapest bounty must win. Before, a penalty was subtracted when
  // minimizing too, which made the dearest bounty win.
  json doc = testing::small_scenario();
  doc["replications"] = 2;
  doc["tasks"]["count"] = 200;
  doc["optimize"] = json::parse(R"({
    "params": {"tasks.bounty": {"min": 0.05, "max": 1}},
    "objective": {"minimize": "latency_mean", "minus": {"total_cost": 0.01}},
    "grid": 3, "rounds": 1
  })");
  testing::MemoryRecorder rec;
  experiment::OptimizeResult r = experiment::optimize(doc, ".", rec, 2);
  REQUIRE(r.best >= 0);
  CHECK(r.points[static_cast<std::size_t>(r.best)].params["tasks.bounty"] == 0.05);
  CHECK(r.objective_text == "minimize latency_mean + 0.01 * total_cost");
}

// tune_incentives, smaller (fewer tasks and workers, a coarser grid, 2 rounds): the best point
// found lies on the lower bound of tasks.bounty, and the search must say so, with how much the
// objective gained over the last step toward the bound.
TEST_CASE("experiment::optimize: an optimum on a bound of the search range is reported as such", "[experiment]") {
  json doc = json::parse(std::ifstream(CROWDSIM_SOURCE_DIR "/scenarios/tune_incentives.json"));
  doc["replications"] = 2;
  doc["tasks"]["count"] = 150;
  doc["workers"]["count"] = 15;
  doc["optimize"]["grid"] = 3;
  doc["optimize"]["rounds"] = 2;
  testing::MemoryRecorder rec;
  experiment::OptimizeResult r = experiment::optimize(doc, CROWDSIM_SOURCE_DIR "/scenarios", rec, 2);
  REQUIRE(r.best >= 0);
  const experiment::Evaluated& best = r.points[static_cast<std::size_t>(r.best)];
  double bounty = best.params["tasks.bounty"], beta = best.params["incentive.beta"];
  bool on_bound = bounty == 0.05 || bounty == 1.0 || beta == -2 || beta == 2;
  INFO(best.params.dump());
  REQUIRE(on_bound);  // what this scenario does; if it changes, pick a case that stays on a bound
  std::string all;
  for (const auto& w : r.warnings) all += w + "\n";
  INFO(all);
  CHECK_THAT(all, Catch::Contains("the optimum lies on the") && Catch::Contains("bound of") &&
                      Catch::Contains("to the bound the objective"));
  if (bounty == 0.05) CHECK_THAT(all, Catch::Contains("lower bound of tasks.bounty (0.05)"));
  // The constraint is reported per replication.
  std::ostringstream out;
  experiment::print_optimum(r, out);
  CHECK_THAT(out.str(), Catch::Contains("latency_p95 <= 1800 s: met in ") && Catch::Contains(" of 2 runs"));
}

// The winner's curse, and its remedy. The number of workers cannot change the accuracy of
// single answers by workers who are all right with probability 0.7, but it changes which draws
// each answer gets: maximising accuracy over it picks whichever point's noise came out best, so
// the search's estimate at its optimum is biased upward. The optimum run again on fresh draws
// (seed + 1) is not: over 12 seeds, its mean error must be within 3 standard errors of 0, while
// the search's is positive. The fresh runs are exactly `run` with seed + 1 at the optimum.
TEST_CASE("experiment::optimize: the optimum is estimated again on fresh draws, without the winner's curse", "[experiment][validation]") {
  json doc = testing::small_scenario();
  doc["replications"] = 2;
  doc["tasks"]["redundancy"] = 1;
  doc["workers"] = {{"count", 10}, {"accuracy", 0.7}};
  doc["optimize"] = json::parse(R"({
    "params": {"workers.count": {"min": 5, "max": 50, "integer": true}},
    "objective": {"maximize": "accuracy"}, "grid": 10, "rounds": 1
  })");
  const int seeds = 12;
  double search_error = 0, fresh_error = 0, fresh_sq = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    doc["seed"] = seed;
    testing::MemoryRecorder rec;
    experiment::OptimizeResult r = experiment::optimize(doc, ".", rec, 2);
    REQUIRE(r.best >= 0);
    const experiment::Evaluated& b = r.points[static_cast<std::size_t>(r.best)];
    REQUIRE(r.fresh.runs == 2);
    CHECK(r.fresh_seed == static_cast<std::uint64_t>(seed + 1));
    CHECK(r.fresh.point == r.points.size());
    CHECK(rec.kpis.size() == (r.points.size() + 1) * 2);
    search_error += b.objective.mean - 0.7;
    fresh_error += r.fresh.objective.mean - 0.7;
    fresh_sq += (r.fresh.objective.mean - 0.7) * (r.fresh.objective.mean - 0.7);
    if (seed == 1) {
      // The same numbers as a plain run of the optimum with the next seed.
      json plain = doc;
      plain.erase("optimize");
      plain["seed"] = seed + 1;
      plain["workers"]["count"] = b.params["workers.count"];
      testing::MemoryRecorder again = testing::run_in_memory(plain);
      REQUIRE(again.kpis.size() == 2);
      double accuracy = 0;
      for (const auto& k : again.kpis)
        for (const auto& [n, v] : k)
          if (n == "accuracy") accuracy += v / 2;
      CHECK(accuracy == Approx(r.fresh.objective.mean).epsilon(1e-12));
      json chosen = json::parse(experiment::optimum_json(r));
      CHECK(chosen["fresh"]["point"] == r.points.size());
      CHECK(chosen["fresh"]["seed"] == seed + 1);
      std::ostringstream out;
      experiment::print_optimum(r, out);
      CHECK_THAT(out.str(), Catch::Contains("on fresh draws (seed 2): ") && Catch::Contains("the estimate to report") &&
                                Catch::Contains("every KPI at the optimum, on fresh draws (seed 2):"));
    }
  }
  search_error /= seeds, fresh_error /= seeds;
  double fresh_se = std::sqrt((fresh_sq / seeds - fresh_error * fresh_error) / (seeds - 1));
  INFO("search's mean error " << search_error << ", fresh draws' " << fresh_error << " (standard error " << fresh_se << ")");
  CHECK(std::abs(fresh_error) < 3 * fresh_se);
  CHECK(search_error > fresh_error + 3 * fresh_se);
  // At the top of the seed's range (2^63 - 1) seed + 1 is no seed: the fresh draws take seed - 1.
  doc["seed"] = std::numeric_limits<std::int64_t>::max();
  testing::MemoryRecorder top;
  experiment::OptimizeResult r = experiment::optimize(doc, ".", top, 2);
  CHECK(r.fresh_seed == static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) - 1);
  CHECK(r.fresh.runs == 2);
}
