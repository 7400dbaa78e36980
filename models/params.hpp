#pragma once
/// \file The parameters of the platform model, with their defaults, units and meanings, read
/// from the scenario JSON (docs/scenarios.md is the reference). Unknown keys are errors.
/// Times are seconds; money is in currency units; rates are per hour.

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/config.hpp"
#include "sim/distribution.hpp"
#include "sim/params.hpp"

namespace crowdsim::models {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// One task of a trace: when it arrives and its type index.
struct TraceRow {
  double time;
  std::int32_t type;
};

/// How top-level tasks are published.
struct ArrivalParams {
  enum class Process { kBatch, kPoisson, kNhpp, kTrace };
  Process process = Process::kBatch;  ///< batch: all at t = 0
  double rate_per_hour = 60.0;        ///< Poisson rate; for nhpp the base rate
  std::vector<double> profile;        ///< nhpp: 24 multipliers of the rate, one per hour of the day
  std::shared_ptr<const std::vector<TraceRow>> trace;  ///< trace: rows sorted by time
};

/// How a task is split into subtasks.
struct Decomposition {
  std::int32_t into = -1;   ///< subtask type index; -1: not decomposed
  std::int32_t count = 0;   ///< subtasks per task
  bool sequential = false;  ///< a chain (true) or fork-join (false)
};

/// One task type: what a task of this type asks and pays.
struct TaskType {
  std::string name = "task";
  double weight = 1.0;                 ///< share of arrivals (normalised over types)
  bool labelled = true;                ///< kind "label" (true label among K) or "continuous"
  double expected_duration = 600.0;    ///< T, seconds: a nominal worker's mean time on a task
  double bounty = 1.0;                 ///< k, currency units per answer
  std::int32_t redundancy = 1;         ///< M, answers wanted per task
  std::int32_t classes = 2;            ///< K, labels a task can have (true label uniform)
  sim::Distribution difficulty{1.0};   ///< d > 0: multiplies time, divides skill above chance
  double deadline = kInf;              ///< seconds after publication (deadline.after)
  bool expire = false;                 ///< on_deadline "expire": withdraw open slots at the deadline
  /// deadline.in_progress "cancel" (only with expire): the work under way at the deadline ends
  /// there, unpaid; "accept" (false) lets it finish, paid as usual.
  bool cancel_in_progress = false;
  double abandon_timeout = 0.0;        ///< seconds before an abandoned slot returns to the queue
  Decomposition decompose;
};

/// The tasks published during a run.
struct TaskParams {
  std::int64_t count = 100;  ///< top-level tasks to publish
  ArrivalParams arrival;
  std::vector<TaskType> types{TaskType{}};
};

/// How a group of workers responds to incentives (workers.behavior, or a group's own behavior).
struct BehaviorParams {
  enum class Model { kSampled, kStrategic, kFixed };
  Model model = Model::kSampled;  ///< sampled: effort 1, no delay; strategic: best response; fixed: effort and delay as given
  bool logit = false;           ///< choice "threshold": take iff E[U] > 0; "logit": P = 1 / (1 + exp(-E[U] / temperature))
  double temperature = 0.05;    ///< currency units
  double effort_min = 0.25, effort_max = 3.0;  ///< effort multiplies the work time
  double kappa = 1.5;           ///< returns to effort: skill above chance scales with (1 - e^-kappa e) / (1 - e^-kappa)
  double effort_cost = 0.0;     ///< currency units per task, times (e - 1)^2: the disutility of effort
  double risk_aversion = 0.0;   ///< CARA coefficient rho, 1/currency: u(x) = (1 - exp(-rho x)) / rho (0: u(x) = x)
  double effort = 1.0;          ///< fixed: the effort every worker of the group uses
  double delay = 0.0;           ///< fixed: the delay before submission, seconds
  bool strategic() const { return model == Model::kStrategic; }
  /// Chooses effort and delay itself (strategic or fixed), rather than being sampled.
  bool plans() const { return model != Model::kSampled; }
};

/// How a worker's wrong answers are drawn.
enum class ConfusionModel { kOneCoin, kClassConditional, kDirichlet };

/// A worker's accuracy on every task type when the scenario gives none.
constexpr double kDefaultAccuracy = 0.8;

/// One group of workers (a spammer/hammer mix is two groups). Every field is per worker.
struct WorkerGroup {
  std::string name = "workers";
  double share = 1.0;
  std::vector<sim::Distribution> skill;  ///< accuracy per task type, in [0, 1]
  ConfusionModel confusion = ConfusionModel::kOneCoin;
  double concentration = 1.0;            ///< Dirichlet parameter of the dirichlet model
  sim::Distribution speed{1.0};          ///< time multiplier, > 0 (2 = twice as slow)
  sim::Distribution reservation_wage{1.38};  ///< currency units per hour
  sim::Distribution abandon_hazard{0.0};     ///< abandonments per hour of work
  sim::Distribution session{kInf};           ///< seconds online (+inf: to the end)
  BehaviorParams behavior;                   ///< the workers' behavior, or the group's own
};

/// The worker population.
struct WorkerParams {
  std::int64_t count = 10;          ///< workers online at t = 0
  double arrival_rate_per_hour = 0.0;  ///< Poisson arrivals of new workers (0: none)
  std::int64_t max_total = std::numeric_limits<std::int64_t>::max();  ///< cap on workers ever
  std::int64_t max_tasks = std::numeric_limits<std::int64_t>::max();  ///< answers after which a worker leaves
  std::vector<WorkerGroup> groups{WorkerGroup{}};
  /// True when some group plans (strategic or fixed).
  bool any_plans() const {
    for (const WorkerGroup& g : groups)
      if (g.behavior.plans()) return true;
    return false;
  }
};

/// How one assignment's time is drawn: t = T · difficulty · speed · noise.
struct WorkParams {
  sim::Distribution time_noise = sim::Distribution::exponential(1.0);  ///< noise, mean 1 advised
};

/// How submissions are assessed, and the reputation prior.
struct ReviewParams {
  /// exact: r = 1 if the answer is right, else 0 (continuous tasks: r = q); oracle_accuracy: r = q,
  /// the probability of being right; noisy: the exact review plus N(0, sd), clipped to [0, 1];
  /// gold: exact on gold tasks, the worker's reputation elsewhere; agreement: 1 if the answer
  /// agrees with the plurality of the answers already in.
  enum class Model { kExact, kOracleAccuracy, kNoisy, kGold, kAgreement };
  Model model = Model::kExact;
  double sd = 0.1;              ///< noisy: r = clip(exact + N(0, sd))
  double gold_fraction = 0.1;   ///< gold: share of tasks with a known answer
  double prior_alpha = 1.0;     ///< Beta prior of every worker's reputation
  double prior_beta = 1.0;
};

/// Monitoring: snapshots and alerts.
struct MonitorParams {
  double snapshot_interval = 3600.0;   ///< seconds between timeseries snapshots
  bool alert_overdue = true;           ///< alert when an open task passes its deadline
  std::int64_t open_tasks_above = std::numeric_limits<std::int64_t>::max();  ///< queue alert threshold
  double abandonment_rate_above = kInf;  ///< abandonment-spike threshold (share per interval)
  std::int64_t abandonment_min_ended = 10;  ///< assignments that must end in an interval to judge
};

/// How answers become labels: online, as each task closes, and in batch over a run's answers.
struct AggregationParams {
  /// Online label: majority vote, or the one-coin posterior with each worker's reputation as its
  /// accuracy (the default when stopping by confidence).
  bool weighted = false;
  /// Adaptive redundancy: a task stops taking answers once its posterior's top class reaches
  /// this probability (with at least `min_answers`); above 1 means never.
  double stop_at_confidence = 2.0;
  std::int32_t min_answers = 1;
  /// Methods run over all of a run's answers at its end (KPIs accuracy_<method>; an EM method's
  /// em_capped_<method> and em_moved_<method> too).
  std::vector<std::string> batch;
  /// Batch methods: a tie among an item's top labels goes to the smallest label (crowd-kit's
  /// rule) instead of being broken at random from the run's seed.
  bool ties_first = false;
};

/// A policy chosen by name, with its own parameters (validated by its factory).
struct PolicySpec {
  std::string name;
  nlohmann::json params = nlohmann::json::object();  ///< the whole policy object, "policy" included
  std::string path;                                  ///< its JSON path, for error messages
};

/// A deviation imposed on some planning workers, for `crowdsim deviations` (not read from the
/// scenario): they use e = e* · effort_factor (within the group's [effort_min, effort_max]) and
/// d = max(0, d* + delay_shift) instead of their strategy (e*, d*), and take the same tasks they
/// would have taken; or, with `enter`, they keep their strategies and also take the task types
/// they would stay out of.
struct Deviation {
  static constexpr std::int64_t kWholeGroup = -1;  ///< worker: every worker of the group deviates
  static constexpr std::int64_t kFirstWorker = -2;  ///< worker: the group's first worker (lowest id) only
  std::int32_t group = -1;     ///< the deviating group (-1: nobody deviates)
  std::int64_t worker = kWholeGroup;  ///< a worker id, or one of the two above
  double effort_factor = 1.0;
  double delay_shift = 0.0;    ///< seconds
  /// The deviators also take the types they would stay out of (each at its strategy for the
  /// type). With kFirstWorker, the deviator is then the group's first worker who stays out of one.
  bool enter = false;
};

/// Everything one run needs.
struct ModelParams {
  std::uint64_t seed = 1;
  double horizon = kInf;  ///< stop the clock here (seconds)
  std::uint64_t max_events = std::numeric_limits<std::uint64_t>::max();  ///< event budget
  double budget = kInf;   ///< platform budget, currency units
  TaskParams tasks;
  WorkerParams workers;
  WorkParams work;
  ReviewParams review;
  MonitorParams monitor;
  AggregationParams aggregation;
  PolicySpec assignment{"fifo", {{"policy", "fifo"}}, "assignment"};
  PolicySpec incentive{"fixed", {{"policy", "fixed"}}, "incentive"};
  Deviation deviation;
};

/// The platform's sections, each declared once beside its reader (crowdsim list --params
/// scenario): tasks, a task type, workers, a group, work, review's prior, monitor, aggregation
/// and the objects inside them, in the order docs/parameters.md shows them.
const std::vector<const sim::Section*>& platform_sections();
const sim::Section& task_section();
const sim::Section& task_type_section();
const sim::Section& deadline_section();
const sim::Section& decompose_section();
const sim::Section& worker_section();
const sim::Section& worker_arrival_section();
const sim::Section& group_section();

/// Readers: each validates its object and rejects unknown keys. `base_dir` resolves data files.
TaskParams read_task_params(const sim::Config& c, const std::string& base_dir);
/// Needs the task types, to resolve per-type skills.
WorkerParams read_worker_params(const sim::Config& c, const std::vector<TaskType>& types,
                                const std::string& base_dir);
WorkParams read_work_params(const sim::Config& c, const std::string& base_dir);
ReviewParams read_review_params(const sim::Config& c);
MonitorParams read_monitor_params(const sim::Config& c);
/// `types` tells which methods apply (kos needs two classes).
AggregationParams read_aggregation_params(const sim::Config& c, const std::vector<TaskType>& types);
/// Reads {"policy": name, ...} and checks the name against `registry_names`; the policy's own
/// keys are validated when the policy is built.
PolicySpec read_policy_spec(const sim::Config& c, const std::vector<std::string>& registry_names);

}  // namespace crowdsim::models
