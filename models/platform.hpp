#pragma once
/// \file The crowdsourcing platform: tasks are published (or decomposed into subtasks), matched
/// to workers by the assignment policy, worked on (or abandoned), reviewed, paid by the
/// incentive policy, aggregated and closed; workers come and go. It is the event handler of one
/// run; everything that happens is emitted to a Recorder.

#include <algorithm>
#include <array>
#include <cstdint>
#include <atomic>
#include <deque>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/index_list.hpp"
#include "models/monitor.hpp"
#include "models/params.hpp"
#include "models/behavior/strategy_book.hpp"
#include "models/population.hpp"
#include "models/recorder.hpp"
#include "models/summary.hpp"
#include "models/view.hpp"
#include "sim/rng.hpp"
#include "sim/simulator.hpp"

namespace crowdsim::models {

class AssignmentPolicy;
class IncentivePolicy;
enum class AssignmentKind;
struct Match;
struct Submission;

/// A published task while it is open: what policies see (TaskView) and the platform's own
/// bookkeeping. Slots of closed tasks are reused.
struct TaskState : TaskView {
  double first_assigned = 0.0;
  /// Budget still reserved for it: the most its remaining answers can cost (a decomposed task:
  /// what its unpublished subtasks may cost; each subtask holds its own share once published).
  double reserved = 0.0;
  double paid = 0.0;                   ///< rewards paid for its answers (a parent: its subtasks')
  std::int32_t unopened = 0;           ///< adaptive redundancy: slots held back until answers disagree
  std::int32_t true_label = -1;
  std::int32_t children_left = 0;      ///< decomposed: subtasks not yet closed
  std::int32_t children_published = 0;
  bool past_deadline = false;          ///< past an expiring deadline: no new assignments
  bool child_expired = false;          ///< decomposed: a subtask expired (so does the parent)
  bool stopped = false;                ///< confident enough: no new assignments (adaptive redundancy)
  std::uint32_t top_index = 0;         ///< the top-level arrival it belongs to (keys its draws)
  sim::EventHandle deadline_event;
  bool deadline_pending = false;       ///< deadline_event has not fired
  std::vector<std::uint32_t> votes;    ///< answers per class
  std::vector<double> log_post;        ///< one-coin log posterior per class (weighted aggregation)
  std::vector<AssignmentRecord> held;  ///< submissions awaiting payment at close (tournaments)
  bool is_parent() const { return children_left > 0 || children_published > 0; }
  /// No new assignments: past an expiring deadline, or stopped by confidence.
  bool withdrawn() const { return past_deadline || stopped; }
};

/// Thrown by Platform::run when its interrupt flag is raised (a signal): the run is incomplete.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

/// One run of the platform model. Assignment policies see it through its PlatformView.
class Platform : public PlatformView {
 public:
  /// Sets up a run; `replication` selects independent random streams.
  Platform(const ModelParams& params, std::uint32_t replication, Recorder& recorder);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  /// Runs to the end (no work left, horizon or event budget) and emits everything; fills
  /// `info.events_processed` and returns the KPIs. Throws Interrupted if `interrupt` is raised.
  Kpis run(RunInfo& info, const std::atomic<bool>* interrupt = nullptr);
  /// True when this run's task steps take their simple instantiation (the scenario has none of
  /// the features that need the general one; see simple_).
  bool simple() const { return simple_; }
  /// Makes the run take the general instantiation whatever the scenario: tests compare the two.
  void force_general() { simple_ = false; }
  /// The event handler called by the simulator.
  void on_event(const sim::Event& e);

  /// Current time, seconds.
  double now() const { return sim_.now(); }
  /// The whole state of the task in slot `task` (policies see its TaskView part).
  const TaskState& task(std::uint32_t task) const { return tasks_[task]; }
  /// The whole state of worker `worker` (policies see its WorkerView part).
  const WorkerState& worker(std::uint32_t worker) const { return workers_[worker]; }

 private:
  enum EventKind : std::uint32_t {
    kTaskArrival,
    kSubmit,
    kAbandon,
    kSlotReturn,
    kDeadline,
    kSnapshot,
    kWorkerArrival,
    kSessionEnd,
    kBatchMatch,
    kWorkerFree  // a worker freed by a deadline looks for work (after that instant's deadlines)
  };
  struct Assignment {
    std::uint32_t task, worker;
    double assigned, duration, quality, effort, delay;
    std::int32_t answer;
    sim::EventHandle end;  // its kSubmit or kAbandon event (cancelled at an expiring deadline)
  };
  /// A top-level arrival waiting for budget: its arrival index keys its draws.
  struct Deferred {
    std::uint32_t index;
    std::int32_t type;
    bool drawn;  // the type was drawn from the task's stream (so the draw is repeated)
  };

  sim::Stream stream(std::uint32_t purpose, std::uint32_t entity) const;
  // The steps every task takes are templates on `Simple`: true when the scenario has none of
  // the features listed at simple_ (no budget, deadlines, decomposition, planning workers,
  // abandonment, ...). The simple instantiation leaves out their checks; the general one
  // (false, the default) makes them all. docs/architecture.md, "Two instantiations".
  // Tasks.
  // Inline (models/platform/steps.hpp), as dispatch_task: once per task.
  [[gnu::always_inline]] inline void schedule_task_arrival();
  double next_nhpp_arrival(double t);
  /// A top-level task arrives (`type` < 0: drawn by weight): published, or deferred for budget,
  /// or refused. False once publishing has stopped for good.
  template <bool Simple = false>
  bool arrive_top(std::int32_t type);
  bool fits_budget(std::int32_t type) const;
  template <bool Simple = false>
  [[gnu::always_inline]] inline void publish_top(std::uint32_t index, std::int32_t type, sim::Stream& draws);
  void publish_backlog();
  void release(TaskState& t, double keep);
  void cancel_in_progress(std::uint32_t task);
  /// `draws`: the task's own stream; `label`: the random word its true label comes from.
  template <bool Simple = false>
  [[gnu::always_inline]] inline std::uint32_t create_task(std::int32_t type, std::uint32_t parent, sim::Stream& draws, std::uint64_t label);
  std::uint64_t label_word(std::uint32_t index) {
    if (index / 4 != label_block_) refill_labels(index / 4);
    return label_words_[index % 4];
  }
  void refill_labels(std::uint32_t block);
  void publish_child(std::uint32_t parent);
  // Inline (models/platform/steps.hpp): a call per task was a measurable share of mmc.
  template <bool Simple = false>
  [[gnu::always_inline]] inline void dispatch_task(std::uint32_t task);
  void offer_to_idle();
  void batch_match();
  template <bool Simple = false>
  void assign(std::uint32_t task, std::uint32_t worker);
  Assignment end_assignment(std::uint32_t assignment, bool abandoned);
  template <bool Simple = false>
  void on_submit(std::uint32_t assignment);
  void on_abandon(std::uint32_t assignment);
  void return_slot(std::uint32_t task);
  void slot_returned(std::uint64_t packed);
  void forget_worker(TaskState& t, std::uint32_t worker);
  void on_deadline(std::uint32_t task);
  template <bool Simple = false>
  [[gnu::always_inline]] inline void close(std::uint32_t task);
  void child_closed(std::uint32_t parent, bool expired);
  /// The label a task closes with (aggregation.cpp): inline, the usual case of two classes with
  /// unequal votes, unweighted (the larger wins); out of line (online_label_other), the rest.
  std::int32_t online_label(const TaskState& t) const {
    if (t.votes.size() == 2 && t.log_post.empty() && t.votes[0] != t.votes[1]) return t.votes[1] > t.votes[0] ? 1 : 0;
    return online_label_other(t);
  }
  std::int32_t online_label_other(const TaskState& t) const;
  void update_posterior(TaskState& t, const TaskType& tt, std::uint32_t worker, std::int32_t answer);
  void batch_aggregate(Kpis& kpis) const;
  double pay(const std::vector<AssignmentRecord>& held, const std::vector<Submission>& subs, std::int32_t type);
  void pay_one(const AssignmentRecord& rec, std::int32_t type);
  void stop_publishing();
  TaskRecord task_record(const TaskState& t, TaskStatus status, std::int32_t final_label, bool late) const;
  // Workers.
  void add_worker(bool serve);
  template <bool Simple = false>
  void serve_worker(std::uint32_t worker);
  template <bool Simple = false>
  void worker_free(std::uint32_t worker);
  void depart(std::uint32_t worker);
  WorkerRecord worker_record(std::uint32_t worker) const;
  // Monitoring.
  void snapshot();
  void alert(AlertKind kind, std::int64_t task, std::int64_t worker, double value);
  /// Checked after every event: the usual case inline, the rest (work_left_other) out of line.
  bool work_left() const { return arrival_pending_ || in_progress_ > 0 || !returning_.empty() || work_left_other(); }
  bool work_left_other() const;
  bool simple_scenario() const;
  void decide_participation(std::uint32_t worker);
  /// crowdsim deviations: turns `worker`'s planned effort and delay into the deviation's, when
  /// it is a deviating worker of the deviating group.
  void deviate(std::uint32_t worker, std::int32_t type, double& effort, double& delay);
  /// Adds the realized utility `u` of an assignment of a task of `type` to its worker's (and, in
  /// an entry run, to the entries' when the worker takes that type only as a deviation, with the
  /// E[U] of its strategy, which deviate() found when the assignment began).
  void credit(std::uint32_t worker, std::int32_t type, double u) {
    WorkerState& w = workers_[worker];
    w.utility += u;
    if (params_.deviation.enter && !w.accepts.empty() && w.accepts[static_cast<std::size_t>(type)] == kEntered) {
      entry_utility_sum_ += u;
      entry_expected_sum_ += deviation_gain_.at(static_cast<std::uint64_t>(worker) << 32 | static_cast<std::uint32_t>(type)).second;
      ++entries_;
    }
  }
  /// The realized utility of an assignment of `worker` paid `reward` (see realized_utility).
  double utility_of_assignment(std::uint32_t worker, double reward, double duration, double effort) const {
    const WorkerState& w = workers_[worker];
    return realized_utility(params_.workers.groups[static_cast<std::size_t>(w.group)].behavior, reward,
                            w.reservation_wage, duration, effort);
  }
  std::uint64_t pack(std::uint32_t slot) const;
  std::uint32_t live_slot(std::uint64_t packed) const;
  // on_event's body. Defined (and called) only in platform.cpp, forced inline there so that the
  // simulator's loop in run() takes it in: a call per event was a measurable share of mmc.
  template <bool Simple>
  [[gnu::always_inline]] inline void dispatch(const sim::Event& e);
  // What run() hands the simulator: it calls dispatch directly (also defined in platform.cpp).
  template <bool Simple>
  struct Dispatcher {
    Platform& platform;
    inline void on_event(const sim::Event& e);
  };

  std::uint32_t replication_;
  Recorder& recorder_;
  Keeps keeps_;                     // the rows the recorder keeps
  sim::Simulator sim_;
  std::unique_ptr<AssignmentPolicy> assignment_;
  AssignmentKind kind_;
  bool batch_stale_ = false;        // batch: slots or workers changed since a matching found nothing
  std::vector<Match> matches_;
  struct BatchAnswer {
    std::int64_t task;
    std::uint32_t worker;
    std::int32_t type, label, truth;
  };
  std::vector<BatchAnswer> answers_;  // every labelled answer, kept only for batch aggregation
  std::unique_ptr<IncentivePolicy> incentive_;
  bool pays_at_close_;              // the incentive ranks a task's submissions at its close
  std::vector<double> task_cost_;   // per top-level type: the most a task can cost (budget reservation)
  std::vector<double> leaf_cost_;   // per type: the most one task of it can cost if it takes answers
  std::vector<double> slot_cost_;   // per type: the most one answer to it can earn
  bool budgeted_;                   // a finite budget: reservations are tracked
  // None of these features in the scenario: the steps of every task run their Simple
  // instantiation. Set by the constructor; tests/models/simple_steps_test.cpp clears it to check
  // that both instantiations give the same results.
  bool simple_ = false;
  sim::Stream arrivals_, worker_arrivals_, policy_rng_;
  std::vector<sim::Stream> review_noise_;  // per worker, for the noisy review only (else empty)
  double arrival_gap_;            // Poisson arrivals: the mean gap, seconds (3600 / rate per hour)
  std::vector<double> type_cdf_;  // cumulative weights of top-level types
  std::uint32_t label_block_ = kNone;  // the task.label block in label_words_
  std::array<std::uint64_t, 4> label_words_{};
  std::unique_ptr<StrategyBook> book_;  // planning workers' strategies (null when every group is sampled)
  // A deviation (crowdsim deviations): the model's expected gain of each deviating (worker,
  // type), and its sum over the deviating assignments.
  std::int64_t deviator_ = -1;  // kFirstWorker: the group's first worker who takes tasks, once it exists
  std::unordered_map<std::uint64_t, std::pair<double, double>> deviation_gain_;  // (worker, type): gain, E[U] planned
  double deviation_gain_sum_ = 0.0;
  double deviation_utility_sum_ = 0.0;  // the expected utility of the strategies deviated from
  std::int64_t deviation_assignments_ = 0;
  // Entry runs: accepts[type] of a type a deviator takes only as a deviation; the realized and
  // the expected utility of those assignments (against the outside option, 0), and their number.
  static constexpr std::uint8_t kEntered = 2;
  double entry_utility_sum_ = 0.0;
  double entry_expected_sum_ = 0.0;
  std::int64_t entries_ = 0;

  std::vector<TaskState> tasks_;
  std::vector<std::uint32_t> free_tasks_;
  std::vector<WorkerState> workers_;
  std::vector<Assignment> assignments_;
  std::vector<std::uint32_t> free_assignments_;
  std::vector<std::uint32_t> working_on_;  // per worker: its assignment under way, or kNone

  std::int64_t arrived_top_ = 0;    // top-level tasks arrived (their arrival index)
  std::int64_t published_top_ = 0;  // top-level tasks published
  std::deque<Deferred> backlog_;    // arrivals waiting for budget, in arrival order
  bool released_ = false;           // budget was released since the backlog last looked
  bool publishing_stopped_ = false;  // the budget refused for good
  std::int64_t next_task_id_ = 0;
  std::int64_t open_top_ = 0;       // top-level tasks published, not closed
  std::int64_t open_leaves_ = 0;    // tasks that take answers, not closed
  std::int64_t in_progress_ = 0;
  // Abandoned slots coming back after abandon_timeout: the task (pack()) and the worker who
  // walked away, in abandonment order. A return finds its own by task: a task's earliest entry
  // is the one due first (one timeout per task type).
  struct Returning {
    std::uint64_t task;
    std::uint32_t worker;
  };
  std::vector<Returning> returning_;
  std::int64_t expiries_pending_ = 0;
  std::int64_t frees_pending_ = 0;  // kWorkerFree events queued
  std::int64_t online_ = 0, busy_ = 0;
  bool arrival_pending_ = false;
  // The events of which one at most is pending wait in timers, out of the event heap; a run
  // adds only the ones its scenario uses (firing a timer looks at each).
  sim::TimerId arrival_timer_ = 0, snapshot_timer_ = 0, worker_arrival_timer_ = 0, batch_timer_ = 0;
  double reserved_ = 0.0;           // budget reserved by open tasks (sum of their `reserved`)
  BudgetInfo budget_;
  double last_snapshot_ = -1.0;
  AlertRules rules_;
  SummaryAccumulator summary_;
};

}  // namespace crowdsim::models
