#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::run_in_memory;
using crowdsim::testing::small_scenario;

TEST_CASE("models::Platform: a worker never takes two slots of one task", "[models]") {
  for (const char* policy : {"fifo", "random"}) {
    // Redundancy equal to the pool size forces every worker onto every task exactly once.
    auto rec = run_in_memory(small_scenario(), {"assignment.policy=" + std::string(policy),
                                                "tasks.redundancy=5", "workers.count=5"});
    std::map<std::int64_t, std::set<std::int64_t>> seen;
    for (const auto& a : rec.assignments) {
      INFO("policy " << policy << " task " << a.task_id << " worker " << a.worker_id);
      CHECK(seen[a.task_id].insert(a.worker_id).second);
    }
    REQUIRE(seen.size() == 200);
    for (const auto& [task, workers] : seen) CHECK(workers.size() == 5);
  }
}

TEST_CASE("models::Platform: every task gets its redundancy and closes", "[models]") {
  auto rec = run_in_memory(small_scenario());
  REQUIRE(rec.tasks.size() == 200);
  REQUIRE(rec.assignments.size() == 600);
  for (const auto& t : rec.tasks) {
    CHECK(t.status == models::TaskStatus::kClosed);
    CHECK(t.closed >= t.first_assigned);
    CHECK(t.first_assigned >= t.created);
    CHECK(t.correct == (t.final_label == t.true_label ? 1 : 0));
  }
  CHECK(rec.kpi("tasks_closed") == 200);
  CHECK(rec.kpi("completion_rate") == 1.0);
}

TEST_CASE("models::Platform: money and time add up", "[models]") {
  auto rec = run_in_memory(small_scenario(), {"incentive={\"policy\":\"exponential_progress\",\"beta\":-0.7}"});
  double paid = 0, busy = 0, earned = 0, workers_busy = 0;
  std::int64_t done = 0;
  for (const auto& a : rec.assignments) {
    paid += a.reward;
    busy += a.duration;
    CHECK(a.finished - a.assigned == Approx(a.duration).epsilon(1e-9));
  }
  for (const auto& w : rec.workers) {
    earned += w.earnings;
    workers_busy += w.busy_time;
    done += w.tasks_done;
  }
  CHECK(paid == Approx(rec.kpi("total_cost")).epsilon(1e-12));
  CHECK(earned == Approx(paid).epsilon(1e-12));
  CHECK(workers_busy == Approx(busy).epsilon(1e-12));
  CHECK(done == static_cast<std::int64_t>(rec.assignments.size()));
  double end = rec.kpi("end_time");
  CHECK(rec.kpi("utilization") == Approx(busy / (10 * end)).epsilon(1e-12));
  CHECK(rec.kpi("cost_per_task") == Approx(paid / 200).epsilon(1e-12));
}

TEST_CASE("models::Platform: fifo serves tasks in publication order", "[models]") {
  // One worker, redundancy 1: it must take task 0, 1, 2, ... in turn.
  auto rec = run_in_memory(small_scenario(), {"workers.count=1", "tasks.redundancy=1"});
  REQUIRE(rec.assignments.size() == 200);
  for (std::size_t i = 0; i < rec.assignments.size(); ++i) CHECK(rec.assignments[i].task_id == static_cast<std::int64_t>(i));
  // Back to back: each assignment starts when the previous one ends.
  for (std::size_t i = 1; i < rec.assignments.size(); ++i)
    CHECK(rec.assignments[i].assigned == rec.assignments[i - 1].finished);
}

TEST_CASE("models::Platform: random assignment differs from fifo but keeps the rules", "[models]") {
  auto fifo = run_in_memory(small_scenario(), {"workers.count=1", "tasks.redundancy=1"});
  auto rnd = run_in_memory(small_scenario(), {"workers.count=1", "tasks.redundancy=1", "assignment.policy=random"});
  std::size_t out_of_order = 0;
  for (std::size_t i = 0; i < rnd.assignments.size(); ++i)
    out_of_order += rnd.assignments[i].task_id != static_cast<std::int64_t>(i);
  CHECK(out_of_order > 150);  // a random order of 200 leaves about 1 task in place
  CHECK(rnd.tasks.size() == fifo.tasks.size());
}

TEST_CASE("models::Platform: Poisson arrivals come at the configured rate", "[models]") {
  auto rec = run_in_memory(small_scenario(), {"tasks.count=20000", "tasks.arrival={\"process\":\"poisson\",\"rate_per_hour\":360}",
                                              "tasks.redundancy=1", "workers.count=20", "detail=\"full\""});
  std::vector<double> created;
  for (const auto& t : rec.tasks) created.push_back(t.created);
  std::sort(created.begin(), created.end());
  // The first task comes one gap after t = 0, so the last arrival is the sum of n gaps.
  // Mean gap 10 s; exponential gaps have sd = mean, so the SE of the mean is 10/sqrt(n).
  double mean_gap = created.back() / created.size();
  double se = 10.0 / std::sqrt(static_cast<double>(created.size()));
  CHECK(std::abs(mean_gap - 10.0) < 4 * se);
}

TEST_CASE("models::Platform: quality follows accuracy and difficulty", "[models]") {
  // q = 1/K + (a - 1/K) / d with a = 0.9, K = 2, d = 2: q = 0.5 + 0.4 / 2 = 0.7.
  auto rec = run_in_memory(small_scenario(), {"workers.accuracy=0.9", "tasks.difficulty=2", "tasks.count=3000",
                                              "tasks.redundancy=1"});
  std::size_t right = 0;
  std::map<std::int64_t, std::int32_t> truth;
  for (const auto& t : rec.tasks) truth[t.task_id] = t.true_label;
  for (const auto& a : rec.assignments) {
    CHECK(a.quality == Approx(0.7));
    CHECK(a.review == (a.answer == truth.at(a.task_id) ? 1.0 : 0.0));  // review "exact" judges the answer
  }
  for (const auto& t : rec.tasks) right += t.correct == 1;
  double acc = static_cast<double>(right) / rec.tasks.size();
  double se = std::sqrt(0.7 * 0.3 / rec.tasks.size());
  CHECK(std::abs(acc - 0.7) < 4 * se);
  // Difficulty 2 doubles the mean time: 60 s * 2.
  double mean = 0;
  for (const auto& a : rec.assignments) mean += a.duration / rec.assignments.size();
  CHECK(std::abs(mean - 120.0) < 4 * 120.0 / std::sqrt(3000.0));
}

TEST_CASE("models::Platform: changing the incentive policy leaves every draw in place", "[models]") {
  // Common random numbers: the reward differs, who did what, when and how well does not.
  auto a = run_in_memory(small_scenario(), {"incentive.policy=fixed"});
  auto b = run_in_memory(small_scenario(), {"incentive={\"policy\":\"exponential_progress\",\"beta\":1.5}"});
  REQUIRE(a.assignments.size() == b.assignments.size());
  bool rewards_differ = false;
  for (std::size_t i = 0; i < a.assignments.size(); ++i) {
    CHECK(a.assignments[i].task_id == b.assignments[i].task_id);
    CHECK(a.assignments[i].worker_id == b.assignments[i].worker_id);
    CHECK(a.assignments[i].duration == b.assignments[i].duration);
    CHECK(a.assignments[i].answer == b.assignments[i].answer);
    rewards_differ |= a.assignments[i].reward != b.assignments[i].reward;
  }
  CHECK(rewards_differ);
}

TEST_CASE("models::Platform: replications are independent, seeds reproducible", "[models]") {
  auto a = run_in_memory(small_scenario(), {"replications=2"});
  auto b = run_in_memory(small_scenario(), {"replications=2"});
  REQUIRE(a.kpis.size() == 2);
  CHECK(a.same_kpis(b));
  CHECK(a.kpi("latency_mean", 0) != a.kpi("latency_mean", 1));
  auto c = run_in_memory(small_scenario(), {"seed=8"});
  CHECK(c.kpi("latency_mean") != a.kpi("latency_mean"));
}

TEST_CASE("models::Platform: a horizon stops the clock and leaves tasks open", "[models]") {
  auto rec = run_in_memory(small_scenario(), {"horizon=600"});
  std::size_t open = 0;
  for (const auto& t : rec.tasks) open += t.status == models::TaskStatus::kOpen;
  CHECK(open > 0);
  CHECK(rec.tasks.size() == 200);
  CHECK(rec.kpi("end_time") == 600.0);
  CHECK(rec.snapshots.back().time == 600.0);
  CHECK(rec.snapshots.back().open_tasks == static_cast<std::int64_t>(open));
}

TEST_CASE("models::Platform: each snapshot comes with the events handled so far", "[models]") {
  auto rec = run_in_memory(small_scenario(), {"monitor.snapshot_interval=60"});
  REQUIRE(rec.snapshots.size() >= 3);
  REQUIRE(rec.event_counts.size() == rec.snapshots.size());
  CHECK(rec.event_counts.front() == 0);  // the first snapshot is taken before the first event
  CHECK(std::is_sorted(rec.event_counts.begin(), rec.event_counts.end()));
  CHECK(rec.event_counts.back() > rec.event_counts.front());
  CHECK(rec.event_counts.back() <= rec.runs.at(0).events_processed);
  // Every task closed so far took three submissions (redundancy 3), each an event of its own.
  for (std::size_t i = 0; i < rec.snapshots.size(); ++i)
    CHECK(rec.event_counts[i] >= 3 * static_cast<std::uint64_t>(rec.snapshots[i].completed));
}

namespace {
// Keeps no rows: the platform must not emit them (nor build them), the rest still comes.
struct KeepsNothing : testing::MemoryRecorder {
  models::Keeps keeps() const override { return {false, false}; }
};
}  // namespace

TEST_CASE("models::Platform: rows the recorder does not keep are not emitted", "[models]") {
  io::Scenario s = io::parse_scenario(testing::small_scenario(), ".");
  KeepsNothing rec;
  experiment::run_experiment(s, rec);
  CHECK(rec.tasks.empty());
  CHECK(rec.assignments.empty());
  CHECK_FALSE(rec.workers.empty());
  CHECK(rec.kpi("tasks_closed") == 200);
  // Through the threaded path too (per-run buffers take the recorder's keeps).
  io::Scenario two = io::parse_scenario(testing::small_scenario(), ".");
  two.replications = 3;
  KeepsNothing threaded;
  experiment::run_experiment(two, threaded, {}, 2);
  CHECK(threaded.tasks.empty());
  CHECK(threaded.assignments.empty());
  CHECK(threaded.kpis.size() == 3);
}
