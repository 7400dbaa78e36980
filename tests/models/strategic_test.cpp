#include <catch2/catch.hpp>

#include <cmath>

#include "models/behavior/strategic.hpp"
#include "models/incentive/policy.hpp"
#include "models/registry.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using namespace crowdsim::models;
using crowdsim::testing::run_in_memory;
using crowdsim::testing::small_scenario;
using nlohmann::json;

namespace {
std::unique_ptr<IncentivePolicy> make(const json& j) {
  return incentive_policies().create(PolicySpec{j.at("policy").get<std::string>(), j, "incentive"});
}
// A worker of accuracy 0.8 on a binary task of T = 60 s, 60 s of work at effort 1, wage 6/h.
DecisionInput input(double bounty = 0.2, double deadline = INFINITY) {
  return DecisionInput{bounty, 60.0, 60.0, 0.8, 0.5, 6.0, deadline};
}
}  // namespace

TEST_CASE("models::strategic: the best response equals brute force over a fine grid", "[models]") {
  BehaviorParams b;
  b.strategic = true;
  b.effort_cost = 0.01;
  std::vector<json> policies{
      {{"policy", "fixed"}},
      {{"policy", "linear_quality"}},
      {{"policy", "exponential_progress"}, {"beta", 1.0}, {"p_max", 2.0}},
      {{"policy", "exponential_progress"}, {"beta", -1.0}},
      {{"policy", "exponential_progress"}, {"beta", 3.0}, {"p_max", 1.5}},
      {{"policy", "quality_threshold"}, {"threshold", 0.85}},
      {{"policy", "deadline_bonus"}, {"bonus", 0.1}, {"within", 90}},
  };
  for (const json& pj : policies) {
    auto policy = make(pj);
    for (double bounty : {0.02, 0.2, 1.0}) {
      INFO(pj.dump() << " bounty " << bounty);
      DecisionInput in = input(bounty);
      Decision br = best_response(b, *policy, in);
      // Brute force: 801 x 801 points over the same box.
      double horizon = policy->time_horizon(in.expected_duration);
      double best = -INFINITY;
      for (int i = 0; i <= 800; ++i)
        for (int j = 0; j <= 800; ++j) {
          double e = b.effort_min + (b.effort_max - b.effort_min) * i / 800.0, d = horizon * j / 800.0;
          best = std::max(best, evaluate(b, *policy, in, e, d).utility);
        }
      // The numeric optimum is at least as good as the grid, up to the grid's own resolution.
      CHECK(br.utility >= best - 1e-6);
      CHECK(br.utility == Approx(evaluate(b, *policy, in, br.effort, br.delay).utility));
    }
  }
}

TEST_CASE("models::strategic: closed-form cases of the best response", "[models]") {
  BehaviorParams b;
  b.strategic = true;
  // Fixed pay: quality does not pay and time costs, so minimum effort and no delay.
  Decision fixed = best_response(b, *make({{"policy", "fixed"}}), input());
  CHECK(fixed.effort == b.effort_min);
  CHECK(fixed.delay == 0);
  CHECK(fixed.utility == Approx(0.2 - 6.0 * 60 * b.effort_min / 3600));
  // beta > 0 with a clamp: when k r beta e^(beta p) / T beats the wage per second all the way,
  // the worker takes at least until the clamp p_max T, far from the claimed closed form
  // min(T/(1+beta), T/(1-beta)) = 30 s; past the clamp only quality (effort) still pays.
  Decision wait = best_response(b, *make({{"policy", "exponential_progress"}, {"beta", 1.0}, {"p_max", 2.0}}), input(1.0));
  CHECK(wait.time >= 120.0 - 0.5);
  CHECK(wait.time > 60.0 / (1 + 1.0));
  // With the clamp binding, no time is wasted idling beyond it: delay only fills up to p_max T.
  CHECK((wait.delay < 1e-9 || wait.time == Approx(120.0).margin(0.5)));
}

TEST_CASE("models::strategic: raising k raises participation and throughput", "[models][validation]") {
  json doc = small_scenario();
  doc["tasks"] = {{"count", 600}, {"arrival", {{"process", "poisson"}, {"rate_per_hour", 120}}}, {"expected_duration", 60},
                  {"redundancy", 1}};
  doc["workers"] = {{"count", 40}, {"accuracy", 0.8},
                    {"reservation_wage", {{"dist", "lognormal"}, {"median", 6}, {"sigma", 0.8}}},
                    {"behavior", {{"model", "strategic"}}}};
  doc["incentive"] = {{"policy", "fixed"}};
  doc["horizon"] = "4h";
  double last_participation = -1, last_closed = -1;
  for (double k : {0.02, 0.05, 0.1, 0.3}) {
    doc["tasks"]["bounty"] = k;
    auto rec = run_in_memory(doc);
    INFO("k = " << k);
    // The same workers decide at every k (common random numbers): more of them take part,
    // strictly so until all do.
    double participation = rec.kpi("participation");
    CHECK(participation >= last_participation);
    if (last_participation < 1.0) CHECK(participation > last_participation);
    CHECK(rec.kpi("tasks_closed") >= last_closed);
    last_participation = participation;
    last_closed = rec.kpi("tasks_closed");
  }
  CHECK(last_participation > 0.9);
}

TEST_CASE("models::strategic: beta > 0 slows submissions and beta < 0 speeds them", "[models][validation]") {
  json doc = small_scenario();
  doc["tasks"] = {{"count", 300}, {"expected_duration", 60}, {"redundancy", 1}, {"bounty", 1.0}};
  doc["workers"] = {{"count", 10}, {"accuracy", 0.8}, {"reservation_wage", 6}, {"behavior", {{"model", "strategic"}}}};
  auto mean_time = [&](double beta) {
    doc["incentive"] = {{"policy", "exponential_progress"}, {"beta", beta}, {"p_max", 2}};
    return run_in_memory(doc).kpi("duration_mean");
  };
  double slow = mean_time(1.0), neutral = mean_time(0.0), fast = mean_time(-1.0);
  CHECK(slow > neutral);
  CHECK(fast < neutral);
}

TEST_CASE("models::strategic: a quality threshold raises effort over fixed pay at equal cost", "[models][validation]") {
  json doc = small_scenario();
  doc["tasks"] = {{"count", 300}, {"expected_duration", 60}, {"redundancy", 1}, {"bounty", 0.5}, {"classes", 2}};
  doc["workers"] = {{"count", 10}, {"accuracy", 0.8}, {"reservation_wage", 6}, {"behavior", {{"model", "strategic"}}}};
  doc["incentive"] = {{"policy", "fixed"}};
  auto fixed = run_in_memory(doc);
  doc["incentive"] = {{"policy", "quality_threshold"}, {"threshold", 0.85}};
  auto threshold = run_in_memory(doc);
  // Every worker clears the threshold, so both pay k per task: the same cost.
  CHECK(threshold.kpi("total_cost") == Approx(fixed.kpi("total_cost")));
  CHECK(threshold.kpi("effort_mean") > fixed.kpi("effort_mean"));
  CHECK(threshold.kpi("mean_quality") > fixed.kpi("mean_quality"));
}
