#pragma once
/// \file The crowdsourcing platform: tasks are published, matched to workers by the assignment
/// policy, worked on, reviewed, paid by the incentive policy, aggregated and closed. It is the
/// event handler of one run; everything that happens is emitted to a Recorder.

#include <cstdint>
#include <memory>
#include <vector>

#include "models/index_list.hpp"
#include "models/params.hpp"
#include "models/recorder.hpp"
#include "models/summary.hpp"
#include "sim/rng.hpp"
#include "sim/simulator.hpp"

namespace crowdsim::models {

class AssignmentPolicy;
class IncentivePolicy;

/// A published task while it is open. Slots of closed tasks are reused.
struct TaskState {
  std::int64_t id = -1;
  double created = 0.0;
  double deadline = 0.0;
  double difficulty = 1.0;
  double first_assigned = 0.0;
  std::int32_t open_slots = 0;          ///< slots not yet given to a worker
  std::int32_t submitted = 0;           ///< answers in
  std::int32_t true_label = -1;
  std::vector<std::uint32_t> workers;   ///< who took a slot: a worker never takes two
  std::vector<std::uint32_t> votes;     ///< answers per class
};

/// A worker of the pool.
struct WorkerState {
  double accuracy = 0.0;
  double speed = 1.0;
  double reservation_wage = 0.0;
  bool busy = false;
  std::int64_t tasks_done = 0;
  double earnings = 0.0;
  double busy_time = 0.0;
  sim::Stream work;  ///< this worker's own draws: times and answers
};

/// One run of the platform model.
class Platform {
 public:
  /// Sets up a run; `replication` selects independent random streams.
  Platform(const ModelParams& params, std::uint32_t replication, Recorder& recorder);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  /// Runs to the end (no work left, horizon or event budget) and emits everything; fills
  /// `info.events_processed` and returns the KPIs.
  Kpis run(RunInfo& info);
  /// The event handler called by the simulator.
  void on_event(const sim::Event& e);

  // The view assignment policies use.
  /// Current time, seconds.
  double now() const { return sim_.now(); }
  /// Idle workers, longest idle first.
  const IndexList& idle_workers() const { return idle_; }
  /// Tasks with an open slot, oldest first (indices are task slots).
  const IndexList& open_tasks() const { return open_; }
  /// True when `worker` may take a slot of `task` (it has not taken one already).
  bool eligible(std::uint32_t task, std::uint32_t worker) const;
  /// The task in slot `task`.
  const TaskState& task(std::uint32_t task) const { return tasks_[task]; }
  /// Worker `worker`.
  const WorkerState& worker(std::uint32_t worker) const { return workers_[worker]; }
  /// The run's parameters.
  const ModelParams& params() const { return params_; }

 private:
  enum EventKind : std::uint32_t { kArrival = 0, kSubmit = 1, kSnapshot = 2 };
  struct Assignment {
    std::uint32_t task, worker;
    double assigned, duration, quality;
    std::int32_t answer;
  };

  sim::Stream stream(std::uint32_t purpose, std::uint32_t entity) const;
  void publish();
  void dispatch_task(std::uint32_t task);
  void serve_worker(std::uint32_t worker);
  void assign(std::uint32_t task, std::uint32_t worker);
  void on_submit(std::uint32_t assignment);
  void close(std::uint32_t task);
  void snapshot();
  TaskRecord task_record(const TaskState& t, TaskStatus status, std::int32_t final_label) const;

  const ModelParams& params_;
  std::uint32_t replication_;
  Recorder& recorder_;
  sim::Simulator sim_;
  std::unique_ptr<AssignmentPolicy> assignment_;
  std::unique_ptr<IncentivePolicy> incentive_;
  sim::Stream arrivals_, policy_rng_;

  std::vector<TaskState> tasks_;
  std::vector<std::uint32_t> free_tasks_;
  std::vector<WorkerState> workers_;
  std::vector<Assignment> assignments_;
  std::vector<std::uint32_t> free_assignments_;
  IndexList idle_, open_;

  std::int64_t published_ = 0;
  std::int64_t open_count_ = 0;     // published, not closed
  std::int64_t in_progress_ = 0;
  std::int64_t pending_work_ = 0;   // scheduled arrivals and submissions
  sim::EventHandle next_snapshot_;
  double last_snapshot_ = -1.0;
  SummaryAccumulator summary_;
};

}  // namespace crowdsim::models
