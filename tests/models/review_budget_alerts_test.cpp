#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::run_in_memory;
using crowdsim::testing::small_scenario;
using models::AlertKind;
using nlohmann::json;

namespace {
json constant_workers(int tasks, double accuracy) {
  json doc = small_scenario();
  doc["tasks"]["count"] = tasks;
  doc["workers"] = {{"count", 10}, {"accuracy", accuracy}};
  return doc;
}
}  // namespace

TEST_CASE("models::review: exact reviews judge the answer, oracle_accuracy the skill, noisy adds noise", "[models]") {
  auto truth_of = [](const testing::MemoryRecorder& rec) {
    std::map<std::int64_t, std::int32_t> truth;
    for (const auto& t : rec.tasks) truth[t.task_id] = t.true_label;
    return truth;
  };
  // exact: 1 for the right label, 0 for a wrong one, whatever the worker's skill.
  auto exact = run_in_memory(constant_workers(1000, 0.8));
  auto truth = truth_of(exact);
  double right = 0;
  for (const auto& a : exact.assignments) {
    bool ok = a.answer == truth.at(a.task_id);
    CHECK(a.review == (ok ? 1.0 : 0.0));
    right += ok;
  }
  double n = static_cast<double>(exact.assignments.size());
  CHECK(std::abs(right / n - 0.8) < 4 * std::sqrt(0.16 / n));
  // oracle_accuracy: the worker's probability of being right, not the answer.
  json doc = constant_workers(1000, 0.8);
  doc["review"] = {{"model", "oracle_accuracy"}};
  for (const auto& a : run_in_memory(doc).assignments) CHECK(a.review == a.quality);
  // noisy: r = clip(exact + N(0, 0.1), 0, 1): E[r | right] = 1 - 0.1 phi(0), E[r | wrong] = 0.1 phi(0).
  doc = constant_workers(3000, 0.8);
  doc["review"] = {{"model", "noisy"}, {"sd", 0.1}};
  auto noisy = run_in_memory(doc);
  truth = truth_of(noisy);
  double sum[2] = {0, 0}, count[2] = {0, 0};
  for (const auto& a : noisy.assignments) {
    CHECK((a.review >= 0 && a.review <= 1));
    int ok = a.answer == truth.at(a.task_id) ? 1 : 0;
    sum[ok] += a.review, count[ok] += 1;
  }
  const double half_normal = 0.1 * 0.3989422804014327;  // E[max(0, N(0, 0.1))]
  // sd of max(0, N(0, 0.1)) is 0.1 sqrt(1/2 - 1/(2 pi)) = 0.058
  CHECK(std::abs(sum[1] / count[1] - (1 - half_normal)) < 4 * 0.059 / std::sqrt(count[1]));
  CHECK(std::abs(sum[0] / count[0] - half_normal) < 4 * 0.059 / std::sqrt(count[0]));
}

TEST_CASE("models::review: the review model changes the reviews only, not the work (common random numbers)", "[models]") {
  // The noisy review's noise has its own stream: under a policy that ignores reviews (fifo),
  // runs under every review model have the same assignments, times, answers and abandonments,
  // so that comparing review models is paired. Before, the noise came from the worker's work
  // stream and shifted every later time and answer of that worker.
  json doc = constant_workers(500, 0.8);
  doc["workers"]["abandon_hazard"] = 0.5;
  doc["work"] = {{"time_noise", {{"dist", "lognormal"}, {"mean", 1.0}, {"sd", 0.5}}}};
  auto exact = run_in_memory(doc);
  REQUIRE(exact.assignments.size() > 500);
  for (json review : {json{{"model", "noisy"}, {"sd", 0.2}}, json{{"model", "noisy"}, {"sd", 0.05}},
                      json{{"model", "oracle_accuracy"}}, json{{"model", "gold"}, {"gold_fraction", 0.2}}}) {
    doc["review"] = review;
    auto other = run_in_memory(doc);
    INFO(review.dump());
    REQUIRE(other.assignments.size() == exact.assignments.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < exact.assignments.size(); ++i) {
      const auto &a = exact.assignments[i], &b = other.assignments[i];
      differ += a.task_id != b.task_id || a.worker_id != b.worker_id || a.duration != b.duration ||
                a.answer != b.answer || a.abandoned != b.abandoned;
    }
    CHECK(differ == 0);
  }
}

TEST_CASE("models::review: gold questions teach the platform each worker's accuracy", "[models]") {
  json doc = small_scenario();
  doc["tasks"]["count"] = 3000;
  doc["workers"] = {{"count", 10}, {"accuracy", {{"dist", "uniform"}, {"min", 0.55}, {"max", 0.95}}}};
  doc["review"] = {{"model", "gold"}, {"gold_fraction", 0.5}};
  auto rec = run_in_memory(doc);
  // About 450 gold reviews per worker: the posterior mean is within a few points of the truth.
  double err = 0;
  for (const auto& w : rec.workers) err = std::max(err, std::abs(w.est_accuracy - w.accuracy));
  CHECK(err < 0.08);
  // Reviews are 0/1 on gold answers, and the reputation mean elsewhere (strictly inside (0, 1)).
  std::size_t binary = 0;
  for (const auto& a : rec.assignments) binary += a.review == 0.0 || a.review == 1.0;
  double share = static_cast<double>(binary) / static_cast<double>(rec.assignments.size());
  CHECK(std::abs(share - 0.5) < 0.05);
}

TEST_CASE("models::review: agreement rewards answers that side with the majority so far", "[models]") {
  json doc = constant_workers(2000, 0.9);
  doc["review"] = {{"model", "agreement"}};
  auto rec = run_in_memory(doc);
  std::map<std::int64_t, std::int32_t> truth;
  for (const auto& t : rec.tasks) truth[t.task_id] = t.true_label;
  // The first answer of a task has nothing to agree with (it gets the worker's reputation);
  // later ones get 1 when they side with the majority so far and 0 otherwise.
  std::map<std::int64_t, double> first;
  for (const auto& a : rec.assignments) first.emplace(a.task_id, a.finished);  // records come in time order
  double right_r = 0, right_n = 0, wrong_r = 0, wrong_n = 0;
  for (const auto& a : rec.assignments) {
    CHECK((a.review >= 0 && a.review <= 1));
    if (a.finished == first[a.task_id]) continue;
    CHECK((a.review == 0 || a.review == 1));
    (a.answer == truth[a.task_id] ? right_r : wrong_r) += a.review;
    (a.answer == truth[a.task_id] ? right_n : wrong_n) += 1;
  }
  CHECK(right_r / right_n > 0.8);  // right answers mostly agree with a mostly right majority
  CHECK(wrong_r / wrong_n < 0.2);
  doc["tasks"]["kind"] = "continuous";
  auto cont = run_in_memory(doc);  // agreement with no labels: falls back to reputation
  CHECK(cont.kpi("mean_review") > 0);
}

TEST_CASE("models::budget: publishing stops before the budget can be exceeded", "[models]") {
  // (Fixed pay, where each task reserves exactly what it costs: tests/models/accounting_test.cpp.)
  json doc = constant_workers(100, 0.8);

  // Pay that is usually below its maximum: reservations are released at close, so more tasks
  // get published over time, and the spend still never passes the budget.
  doc["incentive"] = {{"policy", "exponential_progress"}, {"beta", 1.0}, {"p_max", 2}};
  doc["tasks"]["arrival"] = {{"process", "poisson"}, {"rate_per_hour", 60}};
  doc["tasks"]["count"] = 1000;
  doc["budget"] = 200;
  auto exp = run_in_memory(doc);
  CHECK(exp.kpi("total_cost") <= 200);
  CHECK(exp.kpi("tasks_published") > 200 / (3 * std::exp(2.0)));
  CHECK(exp.kpi("tasks_refused") > 0);
  CHECK(exp.kpi("budget_exhausted_at") > 0);
  // Without a budget there is nothing left to report.
  auto none = run_in_memory(constant_workers(10, 0.8));
  CHECK(std::isnan(none.kpi("budget_left")));
  CHECK(std::isnan(none.kpi("budget_exhausted_at")));
}

TEST_CASE("models::deadlines: overdue alerts, and expiry closes tasks with what they have", "[models]") {
  json doc = constant_workers(300, 0.8);
  doc["tasks"]["deadline"] = "30min";
  auto keep = run_in_memory(doc);  // 10 workers, 900 answers of ~60 s: the backlog overruns
  CHECK(keep.kpi("overdue_tasks") > 0);
  CHECK(keep.alerts_of(AlertKind::kTaskOverdue) == keep.kpi("overdue_tasks"));
  CHECK(keep.kpi("tasks_closed") == 300);

  doc["tasks"]["on_deadline"] = "expire";
  auto exp = run_in_memory(doc);
  std::map<std::int64_t, models::TaskRecord> task;
  std::size_t expired = 0;
  for (const auto& t : exp.tasks) {
    task[t.task_id] = t;
    if (t.status == models::TaskStatus::kExpired) {
      ++expired;
      CHECK(t.closed >= t.deadline);
    }
  }
  CHECK(expired > 0);
  CHECK(exp.kpi("tasks_expired") == expired);
  CHECK(exp.kpi("tasks_closed") + exp.kpi("tasks_expired") == 300);
  for (const auto& a : exp.assignments) CHECK(a.assigned <= task[a.task_id].deadline);
  CHECK(exp.kpi("total_cost") < keep.kpi("total_cost"));
}

TEST_CASE("models::alerts: queue above threshold with hysteresis, abandonment spikes", "[models]") {
  json doc = constant_workers(2000, 0.8);
  doc["tasks"]["arrival"] = {{"process", "poisson"}, {"rate_per_hour", 900}};  // 45 answers/min vs 10/min
  doc["monitor"] = {{"snapshot_interval", "10min"}, {"alerts", {{"open_tasks_above", 50}}}};
  auto rec = run_in_memory(doc);
  REQUIRE(rec.alerts_of(AlertKind::kQueueAboveThreshold) >= 1);
  for (const auto& a : rec.alerts)
    if (a.kind == AlertKind::kQueueAboveThreshold) CHECK(a.value == 51);
  // The queue only grows here, so the rule never re-arms: exactly one alert.
  CHECK(rec.alerts_of(AlertKind::kQueueAboveThreshold) == 1);

  doc = constant_workers(2000, 0.8);
  doc["workers"]["abandon_hazard"] = 60;  // half the assignments abandoned
  doc["monitor"] = {{"snapshot_interval", "10min"}, {"alerts", {{"abandonment_rate_above", 0.3}}}};
  auto spikes = run_in_memory(doc);
  CHECK(spikes.alerts_of(AlertKind::kAbandonmentSpike) > 0);
  for (const auto& a : spikes.alerts)
    if (a.kind == AlertKind::kAbandonmentSpike) CHECK(a.value > 0.3);
  doc["monitor"]["alerts"]["abandonment_rate_above"] = 0.9;
  CHECK(run_in_memory(doc).alerts_of(AlertKind::kAbandonmentSpike) == 0);
}

TEST_CASE("models::Platform: a tournament pays each task's winners when it closes", "[models]") {
  json doc = small_scenario();
  doc["tasks"]["count"] = 100;
  doc["tasks"]["redundancy"] = 5;
  doc["tasks"]["kind"] = "continuous";
  doc["review"] = {{"model", "noisy"}, {"sd", 0.05}};
  doc["incentive"] = {{"policy", "tournament"}, {"winners", 2}, {"prizes", {1.0, 0.5}}};
  auto rec = run_in_memory(doc);
  std::map<std::int64_t, std::vector<models::AssignmentRecord>> by_task;
  std::map<std::int64_t, double> closed;
  for (const auto& t : rec.tasks) closed[t.task_id] = t.closed;
  for (const auto& a : rec.assignments) by_task[a.task_id].push_back(a);
  for (auto& [id, as] : by_task) {
    REQUIRE(as.size() == 5);
    std::sort(as.begin(), as.end(), [](const auto& a, const auto& b) { return a.review > b.review; });
    CHECK(as[0].reward == 1.0);  // bounty 1, distinct noisy reviews: no ties
    CHECK(as[1].reward == 0.5);
    for (std::size_t i = 2; i < as.size(); ++i) CHECK(as[i].reward == 0.0);
  }
  CHECK(rec.kpi("total_cost") == Approx(100 * 1.5));
  // Earnings go to the winners only.
  double earned = 0;
  for (const auto& w : rec.workers) earned += w.earnings;
  CHECK(earned == Approx(150));
}
