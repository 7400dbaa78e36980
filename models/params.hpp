#pragma once
/// \file The parameters of the platform model, with their defaults, units and meanings, read
/// from the scenario JSON. Unknown keys are errors. Times are seconds; money is in currency units.

#include <cstdint>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/config.hpp"
#include "sim/distribution.hpp"

namespace crowdsim::models {

/// How tasks are published.
struct ArrivalParams {
  enum class Process { kBatch, kPoisson };
  Process process = Process::kBatch;  ///< batch: all at t = 0; poisson: one stream at a rate
  double rate_per_hour = 60.0;        ///< Poisson arrival rate, tasks per hour
};

/// The tasks published during a run.
struct TaskParams {
  std::int64_t count = 100;            ///< tasks to publish
  ArrivalParams arrival;
  double expected_duration = 600.0;    ///< T, seconds: a nominal worker's mean time on a task
  double bounty = 1.0;                 ///< k, currency units per answer
  std::int32_t redundancy = 1;         ///< M, answers wanted per task
  std::int32_t classes = 2;            ///< K, labels a task can have (true label uniform)
  sim::Distribution difficulty{1.0};   ///< d > 0: multiplies time, divides skill above chance
  double deadline = std::numeric_limits<double>::infinity();  ///< seconds after publication
};

/// The worker pool (fixed in v1: every worker online from t = 0).
struct WorkerParams {
  std::int64_t count = 10;                 ///< workers in the pool
  sim::Distribution accuracy{0.8};         ///< P(right answer) on a unit-difficulty task, in [0, 1]
  sim::Distribution speed{1.0};            ///< time multiplier, > 0 (2 = twice as slow)
  sim::Distribution reservation_wage{1.38};  ///< currency units per hour (not used by sampled workers)
};

/// How one assignment's time is drawn: t = T · difficulty · speed · noise.
struct WorkParams {
  sim::Distribution time_noise = sim::Distribution::exponential(1.0);  ///< noise, mean 1 advised
};

/// How submissions are assessed.
struct ReviewParams {
  std::string model = "exact";  ///< exact: r = q
};

/// Monitoring.
struct MonitorParams {
  double snapshot_interval = 3600.0;  ///< seconds between timeseries snapshots
};

/// A policy chosen by name, with its own parameters (validated by its factory).
struct PolicySpec {
  std::string name;
  nlohmann::json params = nlohmann::json::object();  ///< the whole policy object, "policy" included
  std::string path;                                  ///< its JSON path, for error messages
};

/// Everything one run needs.
struct ModelParams {
  std::uint64_t seed = 1;
  double horizon = std::numeric_limits<double>::infinity();  ///< stop the clock here (seconds)
  std::uint64_t max_events = std::numeric_limits<std::uint64_t>::max();  ///< event budget
  TaskParams tasks;
  WorkerParams workers;
  WorkParams work;
  ReviewParams review;
  MonitorParams monitor;
  PolicySpec assignment{"fifo", {{"policy", "fifo"}}, "assignment"};
  PolicySpec incentive{"fixed", {{"policy", "fixed"}}, "incentive"};
};

/// Readers: each validates its object and rejects unknown keys. `base_dir` resolves data files.
TaskParams read_task_params(const sim::Config& c, const std::string& base_dir);
WorkerParams read_worker_params(const sim::Config& c, const std::string& base_dir);
WorkParams read_work_params(const sim::Config& c, const std::string& base_dir);
ReviewParams read_review_params(const sim::Config& c);
MonitorParams read_monitor_params(const sim::Config& c);
/// Reads {"policy": name, ...} and checks the name against `registry_names`; the policy's own
/// keys are validated when the policy is built.
PolicySpec read_policy_spec(const sim::Config& c, const std::vector<std::string>& registry_names);

}  // namespace crowdsim::models
