#pragma once
/// \file What an assignment policy sees of the platform: a read-only view of the open tasks,
/// the workers and the clock. This header (with the scenario's parameters, models/params.hpp)
/// is the whole interface a policy, built in or a plug-in, is written against; the platform's
/// own bookkeeping (event handles, budget reservations, held payments, votes, posteriors), true
/// labels and true skills stay out of it, so it can change without breaking a user's policy. It
/// is not limited to what a real platform observes: a task's difficulty is the true one, and a
/// worker's group and reservation wage are its own (docs/extending.md).
///
/// Everything is inline: a policy scoring thousands of candidates pays no call per read.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "models/index_list.hpp"
#include "models/params.hpp"

namespace crowdsim::models {

/// A published task, as policies see it (a task slot; slots of closed tasks are reused).
struct TaskView {
  std::int64_t id = -1;                ///< the task's id in the output (tasks.task_id)
  std::int32_t type = 0;               ///< index into params().tasks.types
  std::uint32_t parent = kNone;        ///< slot of the decomposed parent, or kNone
  bool subtask = false;                ///< a part of a decomposed task
  bool gold = false;                   ///< its answer is known to the platform (gold review)
  double created = 0.0;                ///< when it was published, seconds
  double deadline = kInf;              ///< absolute, seconds (kInf: none)
  /// d, the true difficulty drawn for the task (not an estimate: an oracle the skill-aware
  /// policies use): it multiplies the work time and divides skill above chance.
  double difficulty = 1.0;
  std::int32_t open_slots = 0;         ///< slots not yet given to a worker
  std::int32_t submitted = 0;          ///< answers in
  std::int32_t in_progress = 0;        ///< assignments under way
  /// Who holds a slot or has answered. A worker holds at most one slot of a task and answers it
  /// at most once; one who abandoned its slot stays until the slot comes back (at once, or
  /// abandon_timeout later), and may then take the task again.
  std::vector<std::uint32_t> workers;
};

/// A worker, as policies see it. Its true accuracy is not here: policies learn it from reviews
/// (on_review) or use the platform's estimate, reputation(). Its group (whose accuracy is in
/// params()) and its reservation wage are the true ones, which no built-in policy reads.
struct WorkerView {
  std::int32_t group = 0;            ///< index into params().workers.groups (0 without groups)
  double arrived = 0.0;              ///< when it came online, seconds
  bool online = false;
  bool busy = false;                 ///< working on an assignment
  double reservation_wage = 0.0;     ///< the least pay per hour it works for, currency/h
  std::int64_t tasks_done = 0;       ///< answers submitted
  std::int64_t abandoned = 0;        ///< assignments walked away from
  double earnings = 0.0;             ///< rewards paid so far
  double busy_time = 0.0;            ///< seconds spent working
  double rep_alpha = 1.0, rep_beta = 1.0;  ///< reputation: Beta posterior from reviews
  std::vector<std::uint8_t> accepts;  ///< per task type: a planning worker takes such tasks (empty: all; 2: only as a deviation)
  /// Reputation mean: the platform's estimate of the worker's accuracy.
  double reputation() const { return rep_alpha / (rep_alpha + rep_beta); }
};

/// The platform as policies see it. The platform keeps it pointing at its current state.
class PlatformView {
 public:
  /// Current time, seconds.
  double now() const { return *clock_; }
  /// Idle online workers, longest idle first.
  const IndexList& idle_workers() const { return idle_; }
  /// Tasks with an open slot in publication order, oldest first: by creation time, then id (a
  /// task whose slot comes back keeps its place). Indices are task slots.
  const IndexList& open_tasks() const { return open_; }
  /// The task in slot `task`.
  const TaskView& task(std::uint32_t task) const {
    return *reinterpret_cast<const TaskView*>(tasks_.base + static_cast<std::size_t>(task) * tasks_.stride);
  }
  /// Worker `worker`; ids are 0 .. workers_seen() - 1.
  const WorkerView& worker(std::uint32_t worker) const {
    return *reinterpret_cast<const WorkerView*>(workers_.base + static_cast<std::size_t>(worker) * workers_.stride);
  }
  /// Workers ever seen (online or gone).
  std::size_t workers_seen() const { return workers_.size; }
  /// True when `worker` may take a slot of `task`: it holds no slot of it and has not answered
  /// it (TaskView::workers), and (a planning worker) it takes tasks of this type.
  bool eligible(std::uint32_t task, std::uint32_t worker) const {
    return eligible(this->task(task), this->worker(worker), worker);
  }
  /// The same, given the task and worker `worker`'s state (no lookups: the platform has them).
  static bool eligible(const TaskView& t, const WorkerView& w, std::uint32_t worker) {
    if (!w.accepts.empty() && !w.accepts[static_cast<std::size_t>(t.type)]) return false;
    for (std::uint32_t v : t.workers)  // a few at most: a plain loop, not std::find's unrolled one
      if (v == worker) return false;
    return true;
  }
  /// The run's parameters (the scenario, resolved).
  const ModelParams& params() const { return params_; }

 protected:
  explicit PlatformView(const ModelParams& params) : params_(params) {}
  ~PlatformView() = default;
  PlatformView(const PlatformView&) = delete;
  PlatformView& operator=(const PlatformView&) = delete;

  /// Reads the time from `clock` (the simulator's).
  void watch_clock(const double* clock) { clock_ = clock; }
  /// Points the view at the platform's vectors of task and worker states (types derived from
  /// TaskView and WorkerView): called whenever either may have moved.
  template <class Task, class Worker>
  void point_at(const std::vector<Task>& tasks, const std::vector<Worker>& workers) {
    static_assert(std::is_base_of_v<TaskView, Task> && std::is_base_of_v<WorkerView, Worker>);
    tasks_ = Span::of<TaskView>(tasks);
    workers_ = Span::of<WorkerView>(workers);
  }

  const ModelParams& params_;
  IndexList idle_, open_;

 private:
  // A vector of some type derived from View, read as Views: the address of element 0's View
  // part and the size of an element.
  struct Span {
    const char* base = nullptr;
    std::size_t stride = 0, size = 0;
    template <class View, class T>
    static Span of(const std::vector<T>& v) {
      Span s;
      s.stride = sizeof(T);
      s.size = v.size();
      if (!v.empty()) s.base = reinterpret_cast<const char*>(static_cast<const View*>(v.data()));
      return s;
    }
  };
  const double* clock_ = nullptr;
  Span tasks_, workers_;
};

}  // namespace crowdsim::models
