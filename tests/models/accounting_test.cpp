// The platform's accounting: what a deadline does to the work under way, how tasks and
// assignments end, what each KPI counts (recomputed here from the rows), and the budget.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "sim/stats.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::MemoryRecorder;
using crowdsim::testing::run_in_memory;
using crowdsim::testing::small_scenario;
using models::AlertKind;
using models::AssignmentRecord;
using models::TaskRecord;
using models::TaskStatus;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Far more work than the workers can do: Poisson arrivals at 900 tasks an hour, 3 answers of
// ~200 s each, 30 workers (about 540 answers an hour) who sometimes abandon, and a 400 s deadline
// that expires tasks. Fixed pay.
json overloaded(const std::string& in_progress) {
  json doc = small_scenario();
  doc["tasks"] = {{"count", 1500},
                  {"arrival", {{"process", "poisson"}, {"rate_per_hour", 900}}},
                  {"expected_duration", 200},
                  {"bounty", 0.05},
                  {"redundancy", 3},
                  {"classes", 2},
                  {"deadline", {{"after", "400s"}, {"in_progress", in_progress}}},
                  {"on_deadline", "expire"}};
  doc["workers"] = {{"count", 30}, {"accuracy", {{"dist", "beta"}, {"alpha", 7}, {"beta", 3}}}, {"abandon_hazard", 0.5}};
  doc["detail"] = "full";
  return doc;
}

bool submitted(const AssignmentRecord& a) { return !a.abandoned && !a.cancelled; }
double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? kNaN : s / static_cast<double>(v.size());
}
double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

// Every KPI of run 0, recomputed from its task, assignment and worker rows by its definition in
// docs/hdf5-layout.md. Percentiles are checked apart (the histogram is exact to 0.1%).
std::map<std::string, double> kpis_from_rows(const MemoryRecorder& rec, double budget, std::int64_t count) {
  const double end = rec.kpi("end_time");
  std::map<std::string, double> k;
  double published = 0, closed = 0, late = 0, expired = 0, subtasks_ended = 0, overdue = 0;
  double labelled = 0, correct = 0, top_cost = 0;
  std::vector<double> latency, wait;
  for (const TaskRecord& t : rec.tasks) {
    bool top = t.parent_id < 0;
    if (!top) subtasks_ended += t.status != TaskStatus::kOpen;
    if (t.redundancy > 0 && t.status == TaskStatus::kClosed && t.correct >= 0) labelled += 1, correct += t.correct;
    if (!top) continue;
    published += 1;
    top_cost += t.cost;
    if (t.status == TaskStatus::kClosed) {
      closed += 1;
      late += t.late;
      latency.push_back(t.closed - t.created);
      wait.push_back(t.first_assigned - t.created);
    }
    expired += t.status == TaskStatus::kExpired;
    overdue += t.late || t.status == TaskStatus::kExpired || (t.status == TaskStatus::kOpen && t.deadline < end);
  }
  double paid = 0, submissions = 0, abandoned = 0, cancelled = 0;
  std::vector<double> quality, review, effort, duration;
  for (const AssignmentRecord& a : rec.assignments) {
    paid += a.reward;
    abandoned += a.abandoned;
    cancelled += a.cancelled;
    if (!submitted(a)) continue;
    submissions += 1;
    quality.push_back(a.quality);
    review.push_back(a.review);
    effort.push_back(a.effort);
    duration.push_back(a.duration);
  }
  double busy = 0, online = 0;
  std::vector<double> per_hour;
  for (const auto& w : rec.workers) {
    double span = (std::isnan(w.departed) ? end : w.departed) - w.arrived;
    busy += std::min(w.busy_time, span);
    online += span;
    if (w.busy_time > 0) per_hour.push_back(w.earnings / (w.busy_time / 3600.0));
  }
  std::sort(per_hour.begin(), per_hour.end());
  k["tasks_published"] = published;
  k["tasks_closed"] = closed;
  k["tasks_late"] = late;
  k["tasks_expired"] = expired;
  k["subtasks_closed"] = subtasks_ended;
  k["completion_rate"] = ratio(closed, published);
  k["latency_mean"] = mean(latency);
  k["wait_mean"] = mean(wait);
  k["throughput_per_hour"] = ratio(closed, end / 3600.0);
  k["utilization"] = ratio(busy, online);
  k["accuracy"] = ratio(correct, labelled);
  k["mean_quality"] = mean(quality);
  k["mean_review"] = mean(review);
  k["effort_mean"] = mean(effort);
  k["duration_mean"] = mean(duration);
  k["total_cost"] = paid;
  k["top_level_cost"] = top_cost;  // not a KPI: the tasks' side of total_cost
  k["cost_per_task"] = ratio(paid, published);
  k["cost_per_closed_task"] = ratio(paid, closed);
  k["cost_per_correct"] = ratio(paid, correct);
  k["earnings_per_hour_mean"] = mean(per_hour);
  k["earnings_per_hour_median"] = per_hour.empty() ? kNaN : sim::quantile_sorted(per_hour, 0.5);
  k["earnings_per_hour_p10"] = per_hour.empty() ? kNaN : sim::quantile_sorted(per_hour, 0.1);
  k["earnings_gini"] = sim::gini(per_hour);
  k["abandonment_rate"] = ratio(abandoned, submissions + abandoned + cancelled);
  k["assignments_cancelled"] = cancelled;
  k["overdue_tasks"] = overdue;
  k["budget_left"] = std::isinf(budget) ? kNaN : budget - paid;
  // Publishing stopped for good at the budget_exhausted alert; then every task not published
  // was refused.
  double stopped = kNaN;
  for (const auto& a : rec.alerts)
    if (a.kind == AlertKind::kBudgetExhausted) stopped = a.time;
  k["budget_exhausted_at"] = stopped;
  k["tasks_refused"] = std::isnan(stopped) ? 0.0 : static_cast<double>(count) - published;
  k["workers_total"] = static_cast<double>(rec.workers.size());
  // Latency percentiles: the value of rank ceil(p n) among the closed tasks' latencies.
  std::sort(latency.begin(), latency.end());
  for (auto [name, p] : {std::pair{"latency_p50", 0.50}, {"latency_p95", 0.95}, {"latency_p99", 0.99}}) {
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(latency.size())));
    k[name] = latency.empty() ? kNaN : latency[std::max<std::size_t>(rank, 1) - 1];
  }
  return k;
}

// `count`: tasks.count; `deferred`: tasks_deferred as the caller knows it (the rows do not say
// when a task arrived); `utilization`, when the run ended with work under way (the rows do not
// hold it).
void check_kpis_against_rows(const MemoryRecorder& rec, std::int64_t count, double deferred = 0,
                             double budget = std::numeric_limits<double>::infinity(), double utilization = kNaN) {
  std::map<std::string, double> want = kpis_from_rows(rec, budget, count);
  if (!std::isnan(utilization)) want["utilization"] = utilization;
  CHECK(want["top_level_cost"] == Approx(want["total_cost"]).epsilon(1e-12));
  want.erase("top_level_cost");
  want["tasks_deferred"] = deferred;
  // Every KPI of the summary is checked here (but end_time, which the others divide by).
  for (const auto& [name, value] : rec.kpis.at(0)) {
    INFO("KPI " << name);
    CHECK((want.count(name) == 1 || name == "end_time" || name == "participation"));
  }
  for (const auto& [name, value] : want) {
    double got = rec.kpi(name);
    INFO("KPI " << name << ": summary " << got << ", from the rows " << value);
    if (std::isnan(value)) {
      CHECK(std::isnan(got));
    } else if (name.rfind("latency_p", 0) == 0) {
      CHECK(std::abs(got - value) <= 1e-3 * value);
    } else {
      CHECK(got == Approx(value).epsilon(1e-12).margin(1e-12));
    }
  }
  CHECK(rec.kpi("participation") == 1.0);
}

// Per task: its rows' submissions, payments and last payment time.
struct TaskWork {
  int answers = 0;
  double paid = 0, last_paid_at = -1;
};
std::map<std::int64_t, TaskWork> work_by_task(const MemoryRecorder& rec) {
  std::map<std::int64_t, TaskWork> out;
  for (const AssignmentRecord& a : rec.assignments) {
    TaskWork& w = out[a.task_id];
    w.answers += submitted(a);
    w.paid += a.reward;
    if (a.reward > 0) w.last_paid_at = std::max(w.last_paid_at, a.finished);
  }
  return out;
}

// With every task arriving at t = 0, the deferred ones are those published later.
double published_later(const MemoryRecorder& rec) {
  double n = 0;
  for (const TaskRecord& t : rec.tasks) n += t.parent_id < 0 && t.created > 0;
  return n;
}


}  // namespace

TEST_CASE("models::Platform: an overloaded run with expiring deadlines counts what happened", "[models]") {
  for (const std::string in_progress : {"accept", "cancel"}) {
    INFO("in_progress " << in_progress);
    MemoryRecorder rec = run_in_memory(overloaded(in_progress));
    std::map<std::int64_t, TaskWork> work = work_by_task(rec);
    std::size_t expired = 0, late = 0, late_paid_after = 0;
    for (const TaskRecord& t : rec.tasks) {
      const TaskWork& w = work[t.task_id];
      INFO("task " << t.task_id << ": " << w.answers << " answers, status " << int(t.status));
      REQUIRE(t.status != TaskStatus::kOpen);  // no horizon: every task ends
      // Expired means answers missing; all answers in means closed.
      if (t.status == TaskStatus::kExpired) CHECK(w.answers < t.redundancy);
      if (w.answers == t.redundancy) CHECK(t.status == TaskStatus::kClosed);
      CHECK(t.late == (t.status == TaskStatus::kClosed && t.closed > t.deadline ? 1 : 0));
      CHECK(t.cost == Approx(w.paid).epsilon(1e-12).margin(1e-15));
      expired += t.status == TaskStatus::kExpired;
      late += t.late;
      late_paid_after += t.late && w.last_paid_at > t.deadline;
    }
    CHECK(expired > 100);  // the overload is real
    for (const AssignmentRecord& a : rec.assignments) {
      CHECK(a.finished - a.assigned == Approx(a.duration).epsilon(1e-9));
      if (a.cancelled) {
        CHECK(a.reward == 0.0);
        CHECK(std::isnan(a.review));
        CHECK(a.answer == -1);
        CHECK_FALSE(a.abandoned);
      }
    }
    // A worker's busy time is the time of its assignments, cancelled ones included.
    std::map<std::int64_t, double> busy;
    for (const AssignmentRecord& a : rec.assignments) busy[a.worker_id] += a.duration;
    for (const auto& w : rec.workers) CHECK(w.busy_time == Approx(busy[w.worker_id]).epsilon(1e-9));
    if (in_progress == "accept") {
      CHECK(rec.kpi("assignments_cancelled") == 0);
      CHECK(late > 20);             // work under way at the deadline finished, late
      CHECK(late_paid_after == late);  // and was paid, in full
    } else {
      CHECK(rec.kpi("assignments_cancelled") > 100);
      CHECK(late == 0);  // nothing under way outlives a deadline
      for (const TaskRecord& t : rec.tasks) CHECK(work[t.task_id].last_paid_at <= t.deadline);
    }
    check_kpis_against_rows(rec, 1500);
  }
}

TEST_CASE("models::Platform: a decomposed task expires with a subtask, is late by its own deadline, costs its subtasks", "[models]") {
  json doc = small_scenario();
  doc["tasks"]["count"] = 120;
  doc["tasks"]["arrival"] = {{"process", "poisson"}, {"rate_per_hour", 240}};
  doc["tasks"]["types"] = json::array({
      {{"name", "job"}, {"decompose", {{"into", "step"}, {"count", 3}}}, {"deadline", {{"after", "15min"}, {"in_progress", "accept"}}}},
      {{"name", "job_chain"}, {"decompose", {{"into", "step"}, {"count", 2}, {"mode", "sequential"}}}, {"deadline", "20min"}},
      {{"name", "step"}, {"weight", 0}, {"redundancy", 2}, {"deadline", "10min"}, {"on_deadline", "expire"}},
  });
  doc["incentive"] = {{"policy", "linear_quality"}, {"floor", 0.5}};
  MemoryRecorder rec = run_in_memory(doc);
  std::map<std::int64_t, std::vector<TaskRecord>> children;
  for (const TaskRecord& t : rec.tasks)
    if (t.parent_id >= 0) children[t.parent_id].push_back(t);
  std::size_t parents = 0, expired = 0, late = 0;
  for (const TaskRecord& t : rec.tasks) {
    if (t.parent_id >= 0) continue;
    ++parents;
    const auto& kids = children[t.task_id];
    bool any_expired = std::any_of(kids.begin(), kids.end(), [](const TaskRecord& c) { return c.status == TaskStatus::kExpired; });
    double cost = 0;
    for (const TaskRecord& c : kids) cost += c.cost;
    INFO("parent " << t.task_id);
    CHECK(t.status == (any_expired ? TaskStatus::kExpired : TaskStatus::kClosed));
    CHECK(t.late == (!any_expired && t.closed > t.deadline ? 1 : 0));
    CHECK(t.cost == Approx(cost).epsilon(1e-12).margin(1e-15));
    if (t.type == 1 && any_expired) {
      // A chain ends with its expired step: no later step is published, the job expires then.
      const TaskRecord& last = *std::max_element(kids.begin(), kids.end(), [](const TaskRecord& a, const TaskRecord& b) { return a.created < b.created; });
      CHECK(last.status == TaskStatus::kExpired);
      CHECK(t.closed == last.closed);
    }
    expired += any_expired;
    late += t.late;
  }
  CHECK(parents == 120);
  CHECK(expired > 0);
  CHECK(late > 0);
  CHECK(expired < parents);
  check_kpis_against_rows(rec, 120);
}

TEST_CASE("models::Platform: the budget is never counted twice, and publishing waits for it", "[models]") {
  json doc = small_scenario();  // 3 answers of ~60 s by 10 workers, bounty 1
  doc["tasks"]["count"] = 1000;
  doc["workers"] = {{"count", 10}, {"accuracy", 0.8}};

  SECTION("fixed pay, all at t = 0") {
    doc["budget"] = 50;  // 3 a task: 16 tasks fit, the 17th never can
    MemoryRecorder rec = run_in_memory(doc);
    CHECK(rec.kpi("tasks_published") == 16);
    CHECK(rec.kpi("tasks_refused") == 984);
    CHECK(rec.kpi("total_cost") == 48);
    CHECK(rec.kpi("budget_left") == 2);
    // Publishing stops for good when nothing open can release money: at the last close.
    CHECK(rec.kpi("budget_exhausted_at") == rec.kpi("end_time"));
    REQUIRE(rec.alerts_of(AlertKind::kBudgetExhausted) == 1);
    for (const auto& a : rec.alerts)
      if (a.kind == AlertKind::kBudgetExhausted) CHECK(a.value < 3);
    check_kpis_against_rows(rec, 1000, 0, 50);
  }
  SECTION("fixed pay, Poisson arrivals: what is left when publishing stops is less than one task") {
    doc["budget"] = 50;
    doc["tasks"]["bounty"] = 0.3;  // worst case 0.9 a task
    doc["tasks"]["arrival"] = {{"process", "poisson"}, {"rate_per_hour", 600}};
    MemoryRecorder rec = run_in_memory(doc);
    CHECK(rec.kpi("total_cost") <= 50);
    CHECK(50 - rec.kpi("total_cost") < 0.9);
    for (const auto& a : rec.alerts)
      if (a.kind == AlertKind::kBudgetExhausted) CHECK(a.value < 0.9);
    CHECK(rec.kpi("tasks_refused") > 0);
    // With fixed pay a published task commits exactly 0.9 until it closes (paid plus still
    // reserved): 55 tasks fit, and none ever waits, as it would if paid money were counted on
    // top of the full reservations of the tasks it was paid for.
    CHECK(rec.kpi("tasks_published") == 55);
    CHECK(rec.kpi("tasks_deferred") == 0);
    check_kpis_against_rows(rec, 1000, 0, 50);
  }
  SECTION("exponential_progress (worst case far above the typical payment), all at t = 0") {
    doc["incentive"] = {{"policy", "exponential_progress"}, {"beta", 1.0}, {"p_max", 2}};
    doc["budget"] = 200;
    const double worst = 3 * std::exp(2.0);  // 22.2 a task, 9 tasks at t = 0
    MemoryRecorder rec = run_in_memory(doc);
    CHECK(rec.kpi("total_cost") <= 200);
    CHECK(200 - rec.kpi("total_cost") < worst);  // most of the budget is used
    CHECK(rec.kpi("tasks_refused") > 0);
    CHECK(rec.kpi("tasks_deferred") > 0);
    CHECK(rec.kpi("tasks_published") == 9 + rec.kpi("tasks_deferred"));
    // A deferred task is created when it is published, in arrival order.
    std::vector<TaskRecord> tasks = rec.tasks;
    std::sort(tasks.begin(), tasks.end(), [](const auto& a, const auto& b) { return a.task_id < b.task_id; });
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      CHECK((i < 9 ? tasks[i].created == 0.0 : tasks[i].created > 0.0));
      if (i > 0) CHECK(tasks[i].created >= tasks[i - 1].created);
    }
    check_kpis_against_rows(rec, 1000, published_later(rec), 200);
  }
  SECTION("a tournament reserves its purse and releases it when it pays, at close") {
    doc["tasks"]["kind"] = "continuous";
    doc["tasks"]["redundancy"] = 4;
    doc["tasks"]["deadline"] = "3min";  // some contests close with fewer entries, paying less
    doc["tasks"]["on_deadline"] = "expire";
    doc["review"] = {{"model", "noisy"}, {"sd", 0.05}};
    doc["incentive"] = {{"policy", "tournament"}, {"winners", 2}, {"prizes", {1.0, 0.5}}};
    doc["budget"] = 100;
    MemoryRecorder rec = run_in_memory(doc);
    CHECK(rec.kpi("total_cost") <= 100);
    CHECK(100 - rec.kpi("total_cost") < 1.5);
    CHECK(rec.kpi("tasks_expired") > 0);
    CHECK(rec.kpi("tasks_published") > 100 / 1.5);  // expired contests paid less than their purse
    check_kpis_against_rows(rec, 1000, published_later(rec), 100);
  }
  SECTION("decomposed tasks reserve for their subtasks") {
    doc["tasks"]["count"] = 200;
    doc["tasks"]["types"] = json::array({
        {{"name", "job"}, {"decompose", {{"into", "step"}, {"count", 3}}}},
        {{"name", "chain"}, {"decompose", {{"into", "step"}, {"count", 2}, {"mode", "sequential"}}}},
        {{"name", "step"}, {"weight", 0}, {"redundancy", 2}},
    });
    doc["incentive"] = {{"policy", "exponential_progress"}, {"beta", 1.0}, {"p_max", 2}};
    doc["budget"] = 300;
    const double worst = 3 * 2 * std::exp(2.0);  // a fork-join job's worst case (a chain's is less)
    MemoryRecorder rec = run_in_memory(doc);
    CHECK(rec.kpi("total_cost") <= 300);
    CHECK(300 - rec.kpi("total_cost") < worst);
    CHECK(rec.kpi("tasks_deferred") > 0);
    CHECK(rec.kpi("tasks_refused") > 0);
    check_kpis_against_rows(rec, 200, published_later(rec), 300);
  }
}

TEST_CASE("models::Platform: a horizon cuts the run: work under way counts in utilisation, open contests' entries are recorded unpaid", "[models]") {
  // Contests of 4 entries (paid at their close) by 10 workers: after 30 minutes some contests
  // hold entries and wait for more, and most workers are in the middle of an assignment.
  json doc = small_scenario();
  doc["tasks"]["kind"] = "continuous";
  doc["tasks"]["redundancy"] = 4;
  doc["review"] = {{"model", "noisy"}, {"sd", 0.05}};
  doc["incentive"] = {{"policy", "tournament"}, {"winners", 2}, {"prizes", {1.0, 0.5}}};
  doc["detail"] = "full";
  const double horizon = 1800;
  MemoryRecorder whole = run_in_memory(doc);
  doc["horizon"] = horizon;
  MemoryRecorder cut = run_in_memory(doc);
  REQUIRE(cut.kpi("end_time") == horizon);

  // The cut run is the whole run up to the horizon (the same draws): its busy share of [0, H]
  // is what the whole run's rows say of that interval, work under way included.
  std::map<std::int64_t, double> busy;
  for (const AssignmentRecord& a : whole.assignments)
    if (a.assigned < horizon) busy[a.worker_id] += std::min(a.finished, horizon) - a.assigned;
  double busy_total = 0, online = 0, under_way = 0;
  for (const auto& w : whole.workers) {
    if (w.arrived >= horizon) continue;
    double span = std::min(std::isnan(w.departed) ? horizon : w.departed, horizon) - w.arrived;
    busy_total += std::min(busy[w.worker_id], span);
    online += span;
  }
  for (const auto& w : cut.workers) under_way += busy[w.worker_id] - w.busy_time;
  CHECK(under_way > 60);  // the case at hand: minutes of work were under way at the horizon
  CHECK(cut.kpi("utilization") == Approx(busy_total / online).epsilon(1e-12));

  // Every entry submitted by the horizon is a row: paid if its contest closed, else reward 0.
  std::map<std::int64_t, TaskStatus> status;
  for (const TaskRecord& t : cut.tasks) status[t.task_id] = t.status;
  double submitted_by_then = 0, unpaid = 0, rows = 0, done = 0;
  for (const AssignmentRecord& a : whole.assignments) submitted_by_then += submitted(a) && a.finished <= horizon;
  for (const AssignmentRecord& a : cut.assignments) {
    rows += submitted(a);
    if (status.at(a.task_id) == TaskStatus::kOpen) {
      CHECK(a.reward == 0.0);
      unpaid += 1;
    }
  }
  double row_utility = 0, worker_utility = 0;
  for (const AssignmentRecord& a : cut.assignments) row_utility += a.utility;
  for (const auto& w : cut.workers) done += static_cast<double>(w.tasks_done), worker_utility += w.utility;
  CHECK(worker_utility == Approx(row_utility).epsilon(1e-12));
  CHECK(unpaid > 0);
  CHECK(rows == submitted_by_then);
  CHECK(done == rows);
  check_kpis_against_rows(cut, 200, 0, std::numeric_limits<double>::infinity(), busy_total / online);
}

TEST_CASE("models::Platform: a task waiting for budget keeps its own draws", "[models]") {
  // Two types drawn by weight, random difficulty: a deferred task must be the task it would
  // have been without a budget (its draws keyed by its arrival index).
  json doc = small_scenario();
  doc["tasks"]["count"] = 300;
  doc["tasks"]["difficulty"] = {{"dist", "uniform"}, {"min", 0.5}, {"max", 2}};
  doc["tasks"]["types"] = json::array({{{"name", "a"}, {"bounty", 1}}, {{"name", "b"}, {"bounty", 2}, {"classes", 4}}});
  doc["incentive"] = {{"policy", "exponential_progress"}, {"beta", 1.0}, {"p_max", 2}};
  MemoryRecorder free_run = run_in_memory(doc);
  doc["budget"] = 250;
  MemoryRecorder budgeted = run_in_memory(doc);
  REQUIRE(budgeted.kpi("tasks_deferred") > 10);
  std::map<std::int64_t, TaskRecord> by_id;
  for (const TaskRecord& t : free_run.tasks) by_id[t.task_id] = t;
  for (const TaskRecord& t : budgeted.tasks) {
    const TaskRecord& u = by_id.at(t.task_id);  // top-level ids follow arrival order in both
    CHECK(t.type == u.type);
    CHECK(t.difficulty == u.difficulty);
    CHECK(t.true_label == u.true_label);
  }
}

TEST_CASE("models::Platform: deadline objects are validated with their JSON path", "[models]") {
  auto error = [](json doc) {
    try {
      io::parse_scenario(doc, ".");
    } catch (const sim::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  json doc = small_scenario();
  doc["tasks"]["on_deadline"] = "expire";
  doc["tasks"]["deadline"] = {{"after", "400s"}, {"in_progress", "cancel"}};
  CHECK(error(doc) == "no error");
  doc["tasks"]["deadline"]["in_progress"] = "drop";
  CHECK_THAT(error(doc), Catch::StartsWith("tasks.deadline.in_progress: expected one of accept, cancel, found \"drop\""));
  doc["tasks"]["deadline"] = {{"after", "400s"}, {"in_progres", "cancel"}};
  CHECK_THAT(error(doc), Catch::StartsWith("tasks.deadline.in_progres: expected one of the known keys") &&
                             Catch::Contains("did you mean \"in_progress\""));
  doc["tasks"]["deadline"] = {{"in_progress", "accept"}};
  CHECK_THAT(error(doc), Catch::StartsWith("tasks.deadline.after: expected a duration > 0"));
  doc["tasks"]["deadline"] = json::array({400});
  CHECK_THAT(error(doc), Catch::StartsWith("tasks.deadline: expected a duration > 0") && Catch::Contains("or an object"));
  // cancel without expire: at the level that says cancel, or the one that says keep.
  doc["tasks"]["deadline"] = {{"after", "400s"}, {"in_progress", "cancel"}};
  doc["tasks"].erase("on_deadline");
  CHECK_THAT(error(doc), Catch::StartsWith("tasks.deadline.in_progress: expected \"accept\" unless on_deadline is \"expire\"") &&
                             Catch::Contains("found \"cancel\" with on_deadline \"keep\""));
  doc["tasks"]["on_deadline"] = "expire";
  doc["tasks"]["types"] = json::array({{{"name", "a"}, {"on_deadline", "keep"}}});
  CHECK_THAT(error(doc), Catch::StartsWith("tasks.types.0.on_deadline: expected \"expire\"") && Catch::Contains("found \"keep\""));
  doc["tasks"]["types"] = json::array({{{"name", "a"}, {"on_deadline", "keep"}, {"deadline", "1h"}}});
  CHECK(error(doc) == "no error");  // a plain duration resets in_progress to accept
  // A decomposed type takes the object form, but only its deadline matters.
  doc["tasks"]["types"] = json::array({
      {{"name", "job"}, {"decompose", {{"into", "step"}, {"count", 2}}}, {"deadline", {{"after", "1h"}, {"in_progress", "accept"}}}},
      {{"name", "step"}, {"weight", 0}},
  });
  CHECK(error(doc) == "no error");
  doc["tasks"]["types"][0]["deadline"]["in_progress"] = "cancel";
  CHECK_THAT(error(doc), Catch::StartsWith("tasks.types.0.deadline.in_progress: expected \"accept\" on a decomposed type"));
}

TEST_CASE("models::Platform: a worker who leaves before its contest closes still gets its prize in its row", "[models]") {
  // Contests of 4 entries paid at their close; workers stay about 10 minutes and new ones come.
  // Many leave before a contest they entered closes: their rows must wait for the prizes.
  json doc = small_scenario();
  doc["tasks"]["kind"] = "continuous";
  doc["tasks"]["redundancy"] = 4;
  doc["tasks"]["count"] = 100;
  doc["workers"] = {{"count", 10}, {"accuracy", 0.7}, {"reservation_wage", 3.0},
                    {"session", {{"dist", "exponential"}, {"mean", 600}}}, {"arrival", {{"rate_per_hour", 60}}}};
  doc["review"] = {{"model", "noisy"}, {"sd", 0.05}};
  doc["incentive"] = {{"policy", "tournament"}, {"winners", 2}, {"prizes", {1.0, 0.5}}};
  doc["detail"] = "full";
  MemoryRecorder rec = run_in_memory(doc);
  REQUIRE(rec.kpi("tasks_closed") == 100);
  // Did someone leave with an entry in a contest that closed after? (the case at hand)
  std::map<std::int64_t, double> closed_at, left_at;
  for (const TaskRecord& t : rec.tasks) closed_at[t.task_id] = t.closed;
  for (const auto& w : rec.workers) left_at[w.worker_id] = w.departed;
  int waited = 0;
  for (const AssignmentRecord& a : rec.assignments)
    waited += submitted(a) && left_at[a.worker_id] < closed_at[a.task_id];
  CHECK(waited > 0);
  double earnings = 0, worker_utility = 0, row_utility = 0;
  for (const auto& w : rec.workers) earnings += w.earnings, worker_utility += w.utility;
  for (const AssignmentRecord& a : rec.assignments) row_utility += a.utility;
  CHECK(earnings == Approx(rec.kpi("total_cost")).epsilon(1e-12));
  CHECK(worker_utility == Approx(row_utility).epsilon(1e-12));
  check_kpis_against_rows(rec, 100);
}

// Events at one instant. Three tasks published together with a common 4-minute deadline
// (in_progress "cancel"), one worker, 2 minutes of work each: it does A (0-120 s), then B, which
// ends at 240 s, the deadline itself, so B is on time and paid (late means after the deadline),
// and C expires at 240 s untouched. Before, B's deadline event came first and cancelled B's
// finished work, and the worker it freed took C at 240 s only to have it cancelled at once,
// after 0 seconds: 2 cancelled assignments where there are none.
TEST_CASE("models::Platform: at a deadline's instant, work ending then is on time and no task expiring then is taken", "[models]") {
  json doc = small_scenario();
  doc["tasks"] = {{"count", 3},  {"arrival", {{"process", "batch"}}}, {"expected_duration", 120}, {"bounty", 1.0},
                  {"redundancy", 1}, {"classes", 2}, {"difficulty", 1},
                  {"deadline", {{"after", "4min"}, {"in_progress", "cancel"}}}, {"on_deadline", "expire"}};
  doc["workers"] = {{"count", 1}, {"accuracy", 0.8}};
  doc["work"] = {{"time_noise", 1}};
  doc["detail"] = "full";
  MemoryRecorder rec = run_in_memory(doc);
  REQUIRE(rec.assignments.size() == 2);
  for (const AssignmentRecord& a : rec.assignments) {
    CHECK(submitted(a));
    CHECK(a.reward == 1.0);
  }
  CHECK(rec.assignments[1].finished == 240.0);
  REQUIRE(rec.tasks.size() == 3);
  std::size_t closed = 0, expired = 0;
  for (const TaskRecord& t : rec.tasks) {
    INFO("task " << t.task_id);
    CHECK(t.late == 0);
    if (t.status == TaskStatus::kClosed) ++closed;
    if (t.status == TaskStatus::kExpired) {
      ++expired;
      CHECK(std::isnan(t.first_assigned));
      CHECK(t.closed == 240.0);
    }
  }
  CHECK(closed == 2);
  CHECK(expired == 1);
  CHECK(rec.kpi("assignments_cancelled") == 0);
  CHECK(rec.kpi("total_cost") == 2.0);
  check_kpis_against_rows(rec, 3);
}
