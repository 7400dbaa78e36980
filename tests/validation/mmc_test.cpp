// The M/M/c queue in closed form against the simulator: Poisson arrivals,
// exponential completion times, c identical workers, redundancy 1, fifo. The mean wait for a
// worker must match Erlang C, and Little's law L = lambda W must hold on the time series.

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <cmath>
#include <sstream>

#include "bench/mmc_same_work.hpp"
#include "io/scenario.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;

namespace {

// Erlang C: probability of waiting with c servers and offered load a = lambda/mu, by the stable
// Erlang B recursion B_k = a B_{k-1} / (k + a B_{k-1}), C = B / (1 - rho (1 - B)).
double erlang_c(int c, double a) {
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  double rho = a / c;
  return b / (1.0 - rho * (1.0 - b));
}

struct BatchMeans {
  double mean, se;
};

// Batch means over a correlated sequence: `batches` equal batches after dropping `warmup`.
BatchMeans batch_means(const std::vector<double>& x, std::size_t warmup, std::size_t batches) {
  std::size_t n = (x.size() - warmup) / batches;
  std::vector<double> m(batches, 0.0);
  for (std::size_t b = 0; b < batches; ++b)
    for (std::size_t i = 0; i < n; ++i) m[b] += x[warmup + b * n + i] / n;
  double mean = 0, var = 0;
  for (double v : m) mean += v / batches;
  for (double v : m) var += (v - mean) * (v - mean) / (batches - 1);
  return {mean, std::sqrt(var / batches)};
}

}  // namespace

TEST_CASE("validation::mmc: mean wait matches Erlang C, Little's law holds", "[validation]") {
  const double service_mean = 60.0;  // seconds, as in scenarios/mmc.json
  struct Case {
    int c;
    double rho;
    int tasks;
  };
  // Sizes: c = 50 at 0.9 is the shipped scenario, 10^6 tasks. Enough tasks that the batch-means SE is a few percent of Wq, so the test has power.
  auto [c, rho, tasks] = GENERATE(Case{1, 0.5, 200000}, Case{10, 0.8, 200000}, Case{50, 0.9, 1000000});
  double lambda = rho * c / service_mean;  // per second
  double a = lambda * service_mean;
  double wq = erlang_c(c, a) / (c / service_mean - lambda);

  std::ostringstream rate, interval;
  rate.precision(17);
  rate << "tasks.arrival.rate_per_hour=" << lambda * 3600.0;
  interval.precision(17);
  interval << "monitor.snapshot_interval=" << 1.0 / lambda;  // one snapshot per mean gap
  io::Scenario s = io::load_scenario(CROWDSIM_SOURCE_DIR "/scenarios/mmc.json",
                                     {"tasks.count=" + std::to_string(tasks), "workers.count=" + std::to_string(c),
                                      rate.str(), interval.str(), "detail=\"full\""});
  testing::MemoryRecorder rec;
  experiment::run_experiment(s, rec);
  REQUIRE(rec.tasks.size() == static_cast<std::size_t>(tasks));

  // Waits in order of arrival (records come in order of closing).
  std::vector<double> wait(tasks), sojourn(tasks);
  for (const auto& t : rec.tasks) {
    wait[t.task_id] = t.first_assigned - t.created;
    sojourn[t.task_id] = t.closed - t.created;
  }
  BatchMeans w = batch_means(wait, tasks / 20, 30);
  INFO("c=" << c << " rho=" << rho << " Erlang C Wq=" << wq << " simulated " << w.mean << " +- " << w.se);
  CHECK(w.se < 0.07 * wq);  // power: 3 SE stays under ~20% of Wq, so a wrong queue discipline or rate fails
  CHECK(std::abs(w.mean - wq) < 3 * w.se);
  CHECK(rec.kpi("wait_mean") == Approx(std::accumulate(wait.begin(), wait.end(), 0.0) / tasks).epsilon(1e-9));

  // Little's law over the whole run, which starts and ends empty: L = (N / T) W holds exactly for
  // the time average, so the only error is sampling L at the snapshots (well under 1% here).
  double end = rec.kpi("end_time");
  double mean_sojourn = std::accumulate(sojourn.begin(), sojourn.end(), 0.0) / tasks;
  double l_snap = 0;
  std::size_t regular = rec.snapshots.size() - 1;  // the last one, at the end, is off the grid
  for (std::size_t i = 0; i < regular; ++i) l_snap += static_cast<double>(rec.snapshots[i].open_tasks) / regular;
  double l_little = tasks / end * mean_sojourn;
  INFO("L from snapshots " << l_snap << ", lambda W " << l_little);
  CHECK(std::abs(l_snap - l_little) < 0.02 * l_little);
  // And against theory: L = lambda (Wq + 1/mu).
  CHECK(l_little == Approx(lambda * (wq + service_mean)).epsilon(0.03));
}

// bench/mmc_same_work.hpp is an M/M/c loop written apart from the platform (no slots, policies or
// recorder), that draws what the platform should draw for this scenario from the same streams:
// its sums must give crowdsim's KPIs exactly. A change in the platform's draws, their order, the
// queue discipline or a KPI's sum fails here, with the loop as a readable statement of the model.
// (The performance benchmark times the same loop: docs/performance.md, "What the model costs".)
TEST_CASE("validation::mmc_same_work: an independent M/M/c loop with crowdsim's streams gives its KPIs bit for bit",
          "[validation]") {
  struct Case {
    std::uint32_t c;
    double rate_per_hour;
    std::int64_t tasks;
  };
  auto [c, rate, tasks] = GENERATE(Case{50, 2700, 20000}, Case{10, 480.5, 5000}, Case{3, 200, 3001}, Case{1, 30, 1});
  std::ostringstream set_rate;
  set_rate.precision(17);
  set_rate << "tasks.arrival.rate_per_hour=" << rate;
  io::Scenario s = io::load_scenario(CROWDSIM_SOURCE_DIR "/scenarios/mmc.json",
                                     {"tasks.count=" + std::to_string(tasks), "workers.count=" + std::to_string(c),
                                      set_rate.str()});
  testing::MemoryRecorder rec;
  experiment::run_experiment(s, rec);

  // The loop's model is the scenario's, as loaded (its one task type and one worker group).
  const models::ModelParams& model = s.points[0].model;
  const models::TaskType& type = model.tasks.types[0];
  bench::SameWorkParams p;
  p.tasks = model.tasks.count;
  p.workers = static_cast<std::uint32_t>(model.workers.count);
  p.rate_per_hour = model.tasks.arrival.rate_per_hour;
  p.expected_duration = type.expected_duration;
  p.accuracy = model.workers.groups[0].skill[0].mean();
  p.bounty = type.bounty;
  p.seed = model.seed;
  bench::SameWorkResult r = bench::simulate_same_work(p);
  auto n = static_cast<double>(r.closed);
  INFO("c=" << c << " rate=" << rate << " tasks=" << tasks);
  REQUIRE(r.closed == tasks);
  CHECK(rec.kpi("tasks_closed") == n);
  CHECK(rec.kpi("wait_mean") == r.wait_sum / n);
  CHECK(rec.kpi("latency_mean") == r.latency_sum / n);
  CHECK(rec.kpi("accuracy") == static_cast<double>(r.correct) / n);
  CHECK(rec.kpi("mean_review") == r.review_sum / n);
  CHECK(rec.kpi("mean_quality") == r.quality_sum / n);
  CHECK(rec.kpi("duration_mean") == r.duration_sum / n);
  CHECK(rec.kpi("total_cost") == r.cost);
  CHECK(rec.kpi("end_time") == r.end);
}
