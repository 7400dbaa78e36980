#pragma once
/// \file What the model emits: one plain struct per output table (docs/hdf5-layout.md). Models fill
/// these; recorders decide what to keep and where. Field names are the HDF5 column names.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace crowdsim::models {

/// Lifecycle state of a task when its record is written: still open at the end of the run,
/// closed with all its answers (a decomposed task: with all its subtasks closed), or expired
/// (ended by its deadline with answers missing; a decomposed task: a subtask expired).
enum class TaskStatus : std::uint8_t { kOpen = 0, kClosed = 1, kExpired = 2 };
/// Labels of TaskStatus, in value order (for enum columns).
inline const std::vector<std::string>& task_status_labels() {
  static const std::vector<std::string> l{"open", "closed", "expired"};
  return l;
}

/// Kinds of monitoring alerts.
enum class AlertKind : std::uint8_t {
  kTaskOverdue = 0,
  kQueueAboveThreshold = 1,
  kAbandonmentSpike = 2,
  kBudgetExhausted = 3
};
/// Labels of AlertKind, in value order.
inline const std::vector<std::string>& alert_kind_labels() {
  static const std::vector<std::string> l{"task_overdue", "queue_above_threshold", "abandonment_spike",
                                         "budget_exhausted"};
  return l;
}

/// One task, written when it closes (or at the end of the run if still open). Times in seconds.
struct TaskRecord {
  std::int64_t task_id;
  std::int64_t parent_id;        ///< -1 when the task has no parent
  std::int32_t type;             ///< task type index
  double created;                ///< publication time
  double deadline;               ///< absolute deadline (+inf when none)
  double expected_duration;      ///< T, seconds
  std::int32_t redundancy;       ///< M, answers wanted
  double bounty;                 ///< k, currency units
  double difficulty;             ///< multiplies time; shrinks skill above chance
  double first_assigned;         ///< time of the first assignment (NaN if never assigned)
  double closed;                 ///< time it closed (NaN if still open)
  TaskStatus status;
  std::int32_t true_label;       ///< -1 for tasks without a label
  std::int32_t final_label;      ///< aggregated answer (-1 if none)
  std::int8_t correct;           ///< 1 if final_label == true_label, 0 if not, -1 if unknown
  std::int8_t late;              ///< 1 if it closed with all its answers after its deadline
  double cost;                   ///< rewards paid for its answers (a decomposed task: its subtasks')
};

/// One assignment (a worker doing one slot of one task), written when it ends.
struct AssignmentRecord {
  std::int64_t task_id;
  std::int64_t worker_id;
  double assigned;               ///< time the slot was given to the worker
  double finished;               ///< time of submission (or abandonment)
  double duration;               ///< finished - assigned, seconds
  double progress;               ///< p = duration / T (unclamped)
  double effort;                 ///< effort level e (1 = normal)
  double delay;                  ///< d: seconds the worker waited after its work before submitting
  double quality;                ///< q: probability the answer is right (labelling)
  double review;                 ///< r: assessed quality
  double reward;                 ///< c: payment
  double utility;                ///< u(c − wage · duration / 3600 − effort cost): the worker's realized utility
  std::int32_t answer;           ///< label given (-1 if none)
  std::int8_t abandoned;         ///< 1 if the worker abandoned the slot
  std::int8_t cancelled;         ///< 1 if the task's deadline ended it (in_progress "cancel"): unpaid
};

/// One worker, written at the end of the run (or when it leaves).
struct WorkerRecord {
  std::int64_t worker_id;
  std::int32_t group;            ///< worker group index (order of workers.groups)
  double arrived;
  double departed;               ///< NaN if still online at the end
  double accuracy;               ///< true accuracy on a unit-difficulty task of the first type
  double speed;                  ///< time multiplier (1 = nominal, 2 = twice as slow)
  double reservation_wage;       ///< currency units per hour
  std::int64_t tasks_done;
  std::int64_t abandoned;        ///< assignments it abandoned
  double earnings;
  double utility;                ///< sum of its assignments' realized utility
  double busy_time;              ///< seconds spent on assignments
  double est_accuracy;           ///< the platform's estimate: its reputation mean
};

/// One strategy of planning workers (strategic or fixed groups): chosen once per group, task
/// type and bucket of worker traits, written at the end of the run.
struct StrategyRecord {
  std::int32_t group;            ///< worker group index
  std::int32_t type;             ///< task type index
  double speed;                  ///< the bucket's traits: time multiplier,
  double accuracy;               ///< skill on this type,
  double reservation_wage;       ///< and reservation wage (currency units per hour)
  std::int64_t workers;          ///< workers of the run in this bucket
  double effort;                 ///< e
  double delay;                  ///< d, seconds
  double expected_time;          ///< E[t], seconds
  double expected_quality;       ///< E[q]
  double expected_pay;           ///< E[c], currency units
  double expected_utility;       ///< E[u(c − wage · t / 3600 − effort cost)]
  std::int8_t converged;         ///< 1 unless a game's equilibrium iteration did not converge
};

/// One monitoring snapshot.
struct SnapshotRecord {
  double time;
  std::int64_t open_tasks;       ///< published, not yet closed
  std::int64_t in_progress;      ///< assignments under way
  std::int64_t online_workers;
  std::int64_t busy_workers;
  std::int64_t completed;        ///< tasks closed so far
  double cum_cost;               ///< rewards paid so far
  double mean_quality;           ///< mean q of submissions so far (NaN before the first)
  double accuracy;               ///< fraction of closed labelled tasks answered right (NaN before)
};

/// One alert.
struct AlertRecord {
  double time;
  AlertKind kind;
  std::int64_t task_id;          ///< -1 if not about a task
  std::int64_t worker_id;        ///< -1 if not about a worker
  double value;                  ///< the measured value that raised it
};

/// Key performance indicators of one run, in a fixed order; names are the column names.
using Kpis = std::vector<std::pair<std::string, double>>;

/// What identifies one run in the output.
struct RunInfo {
  std::uint64_t run_id = 0;
  std::uint64_t seed = 0;
  std::uint32_t replication = 0;
  std::uint32_t point = 0;            ///< sweep point index (0 without a sweep)
  std::string params = "{}";          ///< JSON of this run's overrides
  Kpis swept;                         ///< numeric swept parameters: extra /summary columns
  std::string assignment_policy;
  std::string incentive_policy;
  std::uint64_t events_processed = 0;
  double wall_seconds = 0.0;
};

}  // namespace crowdsim::models
