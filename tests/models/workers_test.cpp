#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::run_in_memory;
using crowdsim::testing::small_scenario;
using nlohmann::json;

TEST_CASE("models::workers: groups are drawn by share and keep their own fields", "[models]") {
  json doc = small_scenario();
  doc["workers"] = {{"count", 2000},
                    {"groups", json::array({{{"name", "spammer"}, {"share", 0.1}, {"accuracy", 0.5}},
                                            {{"name", "hammer"}, {"share", 0.9}, {"accuracy", 1.0}}})}};
  doc["tasks"]["count"] = 4000;
  doc["tasks"]["redundancy"] = 1;
  auto rec = run_in_memory(doc);
  REQUIRE(rec.workers.size() == 2000);
  double spammers = 0;
  std::map<std::int64_t, int> group;
  for (const auto& w : rec.workers) {
    spammers += w.group == 0;
    group[w.worker_id] = w.group;
    CHECK(w.accuracy == (w.group == 0 ? 0.5 : 1.0));
  }
  CHECK(std::abs(spammers - 200) < 4 * std::sqrt(2000 * 0.1 * 0.9));  // binomial, 4 sd
  // Hammers are always right; spammers right half the time.
  double right[2] = {0, 0}, n[2] = {0, 0};
  std::map<std::int64_t, std::int32_t> truth;
  for (const auto& t : rec.tasks) truth[t.task_id] = t.true_label;
  for (const auto& a : rec.assignments) {
    int g = group[a.worker_id];
    n[g] += 1;
    right[g] += a.answer == truth[a.task_id];
  }
  CHECK(right[1] == n[1]);
  CHECK(std::abs(right[0] / n[0] - 0.5) < 4 * std::sqrt(0.25 / n[0]));

  doc["workers"]["groups"][0]["share"] = 0.2;
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::StartsWith("workers.groups: expected shares that sum to 1"));
}

TEST_CASE("models::workers: per-type skills override the default accuracy", "[models]") {
  json doc = small_scenario();
  doc["tasks"]["count"] = 3000;
  doc["tasks"]["redundancy"] = 1;
  doc["tasks"]["types"] = json::array({{{"name", "easy"}}, {{"name", "hard"}}});
  doc["workers"]["accuracy"] = 0.9;
  doc["workers"]["skill"] = {{"hard", 0.6}};
  auto rec = run_in_memory(doc);
  std::map<std::int64_t, const models::TaskRecord*> task;
  for (const auto& t : rec.tasks) task[t.task_id] = &t;
  double right[2] = {0, 0}, n[2] = {0, 0};
  for (const auto& a : rec.assignments) {
    int type = task[a.task_id]->type;
    n[type] += 1;
    right[type] += a.answer == task[a.task_id]->true_label;
    CHECK(a.quality == (type == 1 ? 0.6 : 0.9));
  }
  CHECK(std::abs(right[0] / n[0] - 0.9) < 4 * std::sqrt(0.09 / n[0]));
  CHECK(std::abs(right[1] / n[1] - 0.6) < 4 * std::sqrt(0.24 / n[1]));
  doc["workers"]["skill"] = {{"hrad", 0.6}};
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."),
                    Catch::StartsWith("workers.skill.hrad: expected a task type name") && Catch::Contains("did you mean \"hard\""));
}

TEST_CASE("models::workers: confusion models shape the wrong answers", "[models]") {
  // Share of a worker's wrong answers (for one true class) that go to its most frequent wrong
  // label, averaged over workers: near 1/3 or more for uniform errors over 3 others, near 1
  // when a small Dirichlet concentration puts the errors on one label.
  auto concentration_of_errors = [](const std::string& model) {
    json doc = small_scenario();
    doc["tasks"]["count"] = 6000;
    doc["tasks"]["classes"] = 4;
    doc["tasks"]["redundancy"] = 1;
    doc["workers"] = {{"count", 10}, {"accuracy", 0.4}, {"confusion", model}, {"concentration", 0.05}};
    auto rec = run_in_memory(doc);
    std::map<std::int64_t, std::int32_t> truth;
    for (const auto& t : rec.tasks) truth[t.task_id] = t.true_label;
    std::map<std::int64_t, std::map<std::int32_t, double>> wrong;  // worker -> wrong label -> count (truth 0)
    for (const auto& a : rec.assignments)
      if (truth[a.task_id] == 0 && a.answer != 0) wrong[a.worker_id][a.answer] += 1;
    double share = 0;
    for (auto& [w, counts] : wrong) {
      double total = 0, top = 0;
      for (auto& [label, c] : counts) total += c, top = std::max(top, c);
      share += top / total;
    }
    return share / static_cast<double>(wrong.size());
  };
  double uniform = concentration_of_errors("one_coin");
  double dirichlet = concentration_of_errors("dirichlet");
  CHECK(uniform < 0.45);
  CHECK(dirichlet > 0.8);
}

TEST_CASE("models::workers: class_conditional gives each true class its own accuracy", "[models]") {
  json doc = small_scenario();
  doc["tasks"]["count"] = 8000;
  doc["tasks"]["classes"] = 2;
  doc["tasks"]["redundancy"] = 1;
  doc["workers"] = {{"count", 4}, {"accuracy", {{"dist", "uniform"}, {"min", 0.5}, {"max", 1.0}}},
                    {"confusion", "class_conditional"}};
  auto rec = run_in_memory(doc);
  std::map<std::int64_t, std::int32_t> truth;
  for (const auto& t : rec.tasks) truth[t.task_id] = t.true_label;
  std::map<std::int64_t, std::array<double, 4>> c;  // right0, n0, right1, n1
  for (const auto& a : rec.assignments) {
    auto& x = c[a.worker_id];
    int k = truth[a.task_id];
    x[static_cast<std::size_t>(2 * k + 1)] += 1;
    x[static_cast<std::size_t>(2 * k)] += a.answer == k;
  }
  // The recorded accuracy is the mean of the two per-class accuracies; each class's empirical
  // accuracy differs, and their mean matches the record within sampling error.
  double differ = 0;
  for (const auto& w : rec.workers) {
    auto& x = c[w.worker_id];
    double a0 = x[0] / x[1], a1 = x[2] / x[3];
    differ = std::max(differ, std::abs(a0 - a1));
    CHECK(std::abs((a0 + a1) / 2 - w.accuracy) < 4 * 0.5 * std::sqrt(0.25 / x[1] + 0.25 / x[3]));
  }
  CHECK(differ > 0.05);
}

TEST_CASE("models::workers: sessions end, arrivals join, the pool changes over time", "[models]") {
  json doc = small_scenario();
  doc["tasks"]["count"] = 3000;
  doc["tasks"]["redundancy"] = 1;
  doc["workers"] = {{"count", 5}, {"session", 3600}, {"arrival", {{"rate_per_hour", 10}, {"max_total", 25}}}};
  auto rec = run_in_memory(doc);
  REQUIRE(rec.workers.size() == 25);
  std::map<std::int64_t, models::WorkerRecord> w;
  for (const auto& r : rec.workers) w[r.worker_id] = r;
  for (const auto& [id, r] : w) {
    if (id < 5) CHECK(r.arrived == 0);
    else CHECK(r.arrived > 0);
    if (!std::isnan(r.departed)) CHECK(r.departed >= r.arrived + 3600);
  }
  for (const auto& a : rec.assignments) {
    const auto& r = w[a.worker_id];
    CHECK(a.assigned >= r.arrived);
    CHECK(a.assigned < r.arrived + 3600);  // never starts work after its session
    if (!std::isnan(r.departed)) CHECK(a.finished <= r.departed);
  }
  // Online workers in the time series never exceed the ones that have arrived.
  for (const auto& s : rec.snapshots) CHECK(s.online_workers <= 25);
  CHECK(rec.kpi("workers_total") == 25);
  // Utilisation divides by time online, so it stays a share.
  CHECK(rec.kpi("utilization") <= 1.0);
  CHECK(rec.kpi("utilization") > 0.5);
}

TEST_CASE("models::workers: a worker may take a task again after abandoning it but answers it once", "[models]") {
  // Three workers for three answers a task, each abandoning about half of its assignments
  // (hazard 60 per hour against 60 s of work): every task needs every worker's answer, so a
  // worker must come back to the tasks it walked away from, many of them abandoned by all three.
  for (double timeout : {0.0, 120.0}) {
    json doc = small_scenario();
    doc["tasks"]["redundancy"] = 3;
    doc["tasks"]["abandon_timeout"] = timeout;
    doc["workers"] = {{"count", 3}, {"abandon_hazard", 60}};
    auto rec = run_in_memory(doc);
    REQUIRE(rec.tasks.size() == 200);
    for (const auto& t : rec.tasks) CHECK(t.status == models::TaskStatus::kClosed);
    CHECK(rec.kpi("tasks_closed") == 200);
    std::map<std::pair<std::int64_t, std::int64_t>, std::vector<const models::AssignmentRecord*>> mine;
    for (const auto& a : rec.assignments) mine[{a.task_id, a.worker_id}].push_back(&a);
    std::map<std::int64_t, int> quitters;  // workers who abandoned the task at least once
    int retaken = 0;
    for (auto& [key, as] : mine) {
      INFO("abandon_timeout " << timeout << ": task " << key.first << ", worker " << key.second);
      int answers = 0;
      for (const auto* a : as) answers += !a->abandoned;
      CHECK(answers == 1);  // each of the three answers once, never twice
      std::sort(as.begin(), as.end(), [](auto* a, auto* b) { return a->assigned < b->assigned; });
      for (std::size_t i = 0; i + 1 < as.size(); ++i) {
        CHECK(as[i]->abandoned == 1);  // only an abandoned slot is followed by another
        CHECK(as[i + 1]->assigned >= as[i]->finished + timeout);  // once the slot is back
      }
      retaken += as.size() > 1;
      quitters[key.first] += as.front()->abandoned;
    }
    int by_all = 0;
    for (auto [task, n] : quitters) by_all += n == 3;
    INFO("abandon_timeout " << timeout << ": " << retaken << " tasks taken again, " << by_all << " abandoned by every worker");
    CHECK(retaken > 50);
    CHECK(by_all > 5);
  }
}

TEST_CASE("models::workers: the abandonment share matches the hazard race in closed form", "[models]") {
  // Work times are exponential with mean T = 60 s; a hazard of h per hour abandons first with
  // probability (h/3600) / (h/3600 + 1/60). h = 30/h gives 1/3.
  json doc = small_scenario();
  doc["tasks"]["count"] = 4000;
  doc["tasks"]["redundancy"] = 1;
  doc["tasks"]["abandon_timeout"] = 300;
  doc["workers"] = {{"count", 10}, {"abandon_hazard", 30}};
  auto rec = run_in_memory(doc);
  // Abandoned slots come back and get done: even a task every worker has abandoned (a worker
  // may take it again once its slot is back).
  for (const auto& t : rec.tasks) CHECK(t.status == models::TaskStatus::kClosed);
  CHECK(rec.kpi("tasks_closed") == 4000);
  double abandoned = 0;
  std::map<std::int64_t, std::vector<const models::AssignmentRecord*>> by_task;
  for (const auto& a : rec.assignments) {
    abandoned += a.abandoned;
    by_task[a.task_id].push_back(&a);
    if (a.abandoned) {
      CHECK(a.reward == 0);
      CHECK(a.answer == -1);
    }
  }
  double n = static_cast<double>(rec.assignments.size());
  CHECK(rec.kpi("abandonment_rate") == Approx(abandoned / n));
  CHECK(std::abs(abandoned / n - 1.0 / 3) < 4 * std::sqrt((2.0 / 9) / n));
  // A slot comes back abandon_timeout after the abandonment, not before.
  for (auto& [id, as] : by_task)
    for (const auto* a : as)
      if (a->abandoned)
        for (const auto* b : as)
          if (b->assigned > a->assigned) CHECK(b->assigned >= a->finished + 300);
}
