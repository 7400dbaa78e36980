// Work and review: an assignment submitted (reviewed, reputation updated, paid or held) or
// abandoned, slots returned, deadlines, cancelled work, and a task's close.
#include "models/platform.hpp"

#include <algorithm>
#include <vector>

#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"
#include "models/platform/steps.hpp"
#include "models/platform/internal.hpp"
#include "models/review.hpp"

namespace crowdsim::models {

using namespace platform_impl;

namespace {

// A closed task's aggregate against its truth: right (1), wrong (0), or not known (-1).
std::int8_t correctness(std::int32_t final_label, std::int32_t true_label) {
  return final_label < 0 || true_label < 0 ? -1 : (final_label == true_label ? 1 : 0);
}

}  // namespace

// An assignment ends (submitted, abandoned or cancelled): its slot is freed and the counts follow.
inline Platform::Assignment Platform::end_assignment(std::uint32_t a, bool abandoned) {
  const Assignment as = assignments_[a];
  free_assignments_.push_back(a);
  working_on_[as.worker] = kNone;
  --in_progress_;
  --tasks_[as.task].in_progress;
  rules_.on_ended(abandoned);
  return as;
}

template <bool Simple>
void Platform::on_submit(std::uint32_t a) {
  const Assignment as = end_assignment(a, false);
  TaskState& t = tasks_[as.task];
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  WorkerState& w = workers_[as.worker];

  bool assessed = false;
  sim::Stream* noise = review_noise_.empty() ? nullptr : &review_noise_[as.worker];
  double r = review(params_.review, ReviewInput{as.quality, as.answer, t.true_label, t.gold, &t.votes, noise}, w, &assessed);
  if (assessed) assignment_->on_review(*this, as.task, as.worker, r);
  summary_.on_review(as.quality, r);
  summary_.on_work(as.effort, as.duration);
  w.tasks_done += 1;
  w.busy_time += as.duration;
  auto record = [&](double reward) {
    return AssignmentRecord{t.id,      as.worker, as.assigned, now(), as.duration, as.duration / tt.expected_duration,
                            as.effort, as.delay,  as.quality,  r,     reward,      0.0,
                            as.answer, 0,         0};
  };
  if (!Simple && pays_at_close_) {
    t.held.push_back(record(0.0));
    ++w.held;
  } else {
    // A late answer (accepted past an expiring deadline, or under on_deadline "keep") is paid
    // as any other; the policy sees deadline_left < 0 (deadline_bonus pays no bonus then).
    double reward = incentive_->reward(Submission{tt.bounty, tt.expected_duration, as.duration, as.quality, r, t.deadline - now()});
    double u = utility_of_assignment(as.worker, reward, as.duration, as.effort);
    w.earnings += reward;
    if (Simple) w.utility += u;  // no deviations in simple scenarios
    else credit(as.worker, t.type, u);
    summary_.on_payment(reward);
    t.paid += reward;
    if (!Simple && t.parent != kNone) tasks_[t.parent].paid += reward;
    // This slot's worst case is spent: the task keeps the worst case of the answers still to
    // come (or what its own cap leaves, if that is less).
    if (!Simple && budgeted_) {
      std::size_t type = static_cast<std::size_t>(t.type);
      double slots_left = static_cast<double>(tt.redundancy - t.submitted - 1);
      release(t, std::max(0.0, std::min(slots_left * slot_cost_[type], leaf_cost_[type] - t.paid)));
    }
    if (keeps_.assignments) {  // built only when kept
      AssignmentRecord rec = record(reward);
      rec.utility = u;
      recorder_.assignment(rec);
    }
  }
  if (as.answer >= 0) {
    t.votes[static_cast<std::size_t>(as.answer)] += 1;
    if (!Simple && !params_.aggregation.batch.empty())
      answers_.push_back(BatchAnswer{t.id, as.worker, t.type, as.answer, t.true_label});
  }
  t.submitted += 1;
  if (!Simple && !t.log_post.empty() && as.answer >= 0) update_posterior(t, tt, as.worker, as.answer);
  // Simple: nothing withdraws a task (no deadlines, no confidence stop) or holds slots back.
  if (t.submitted == tt.redundancy || (!Simple && t.withdrawn() && t.in_progress == 0)) {
    close<Simple>(as.task);
  } else if (!Simple && t.unopened > 0 && !t.withdrawn() && t.open_slots == 0 && t.in_progress == 0) {
    --t.unopened;  // not confident yet: one more answer
    return_slot(as.task);
  }
  worker_free<Simple>(as.worker);
}

template void Platform::on_submit<false>(std::uint32_t a);
template void Platform::on_submit<true>(std::uint32_t a);

void Platform::on_abandon(std::uint32_t a) {
  const Assignment as = end_assignment(a, true);
  TaskState& t = tasks_[as.task];
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  WorkerState& w = workers_[as.worker];
  ++w.abandoned;
  w.busy_time += as.duration;
  double u = utility_of_assignment(as.worker, 0.0, as.duration, as.effort);
  credit(as.worker, t.type, u);
  summary_.on_abandoned();
  if (keeps_.assignments)
    recorder_.assignment(AssignmentRecord{t.id, as.worker, as.assigned, now(), as.duration,
                                          as.duration / tt.expected_duration, as.effort, as.delay, as.quality, kNaN,
                                          0.0, u, -1, 1, 0});
  if (t.withdrawn()) {
    if (t.in_progress == 0) close(as.task);
  } else if (tt.abandon_timeout > 0) {
    sim_.schedule_in(tt.abandon_timeout, kSlotReturn, pack(as.task));
    returning_.push_back(Returning{pack(as.task), as.worker});
  } else {
    forget_worker(t, as.worker);
    return_slot(as.task);
  }
  worker_free(as.worker);
}

// An abandoned slot comes back, abandon_timeout after the abandonment (if its task is still
// open): from now on the worker who walked away from it may take the task again.
void Platform::slot_returned(std::uint64_t packed) {
  auto r = std::find_if(returning_.begin(), returning_.end(), [&](const Returning& x) { return x.task == packed; });
  std::uint32_t worker = r->worker;
  returning_.erase(r);
  std::uint32_t task = live_slot(packed);
  if (task == kNone) return;
  forget_worker(tasks_[task], worker);
  return_slot(task);
}

// `worker` no longer holds a slot of `t` and gave it no answer (it abandoned the slot, which is
// back): it may take the task again, as a worker who never did. t.workers keeps the workers who
// hold a slot or have answered, so one worker still gives a task at most one answer.
void Platform::forget_worker(TaskState& t, std::uint32_t worker) {
  t.workers.erase(std::find(t.workers.begin(), t.workers.end(), worker));
}

void Platform::return_slot(std::uint32_t task) {
  TaskState& t = tasks_[task];
  if (t.withdrawn()) {
    if (t.in_progress == 0) close(task);
    return;
  }
  // Back in its place by publication (creation time, then id), not behind younger tasks: the
  // open list stays oldest first. New tasks are the youngest, so they append (create_task).
  if (t.open_slots++ == 0)
    open_.insert_ordered(task, [this](std::uint32_t a, std::uint32_t b) {
      const TaskState &x = tasks_[a], &y = tasks_[b];
      return x.created < y.created || (x.created == y.created && x.id < y.id);
    });
  dispatch_task(task);
}

// An expiring deadline withdraws the open (and held-back) slots. The work under way is accepted
// (it ends as it would, paid as usual, and the task closes when it is in) or cancelled now.
void Platform::on_deadline(std::uint32_t task) {
  TaskState& t = tasks_[task];
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  t.deadline_pending = false;
  if (params_.monitor.alert_overdue) alert(AlertKind::kTaskOverdue, t.id, -1, now() - t.created);
  if (!tt.expire || t.is_parent()) return;
  --expiries_pending_;
  t.past_deadline = true;
  if (t.open_slots > 0) open_.erase(task);
  t.open_slots = t.unopened = 0;
  if (tt.cancel_in_progress && t.in_progress > 0) cancel_in_progress(task);
  else if (t.in_progress == 0) close(task);
}

// in_progress "cancel": the task's assignments under way end at its deadline, unpaid (no answer,
// no review); their workers' time counts as busy, and they are free at once. Then the task
// closes with the answers it has (so no worker can take it again: t.workers stays as it is);
// work that ends at the deadline itself is not cancelled, and the task closes when it is in.
// The freed workers look for work by an event at this same instant, queued after the events
// already due now: so every deadline falling now has withdrawn its task first (tasks published
// together share their deadline; a worker freed by the first must not take the next, to have it
// cancelled at once).
void Platform::cancel_in_progress(std::uint32_t task) {
  std::vector<std::uint32_t> freed;
  {
    TaskState& t = tasks_[task];
    const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
    for (std::uint32_t w : t.workers) {
      std::uint32_t a = working_on_[w];
      if (a == kNone || assignments_[a].task != task) continue;  // done with this task already
      // Work ending at this very instant is on time (late means after the deadline): it ends
      // as it would, by its own event now, and the task closes when it is in.
      if (assignments_[a].assigned + assignments_[a].duration <= now()) continue;
      sim_.cancel(assignments_[a].end);
      const Assignment as = end_assignment(a, false);
      double spent = now() - as.assigned;
      double u = utility_of_assignment(w, 0.0, spent, as.effort);
      workers_[w].busy_time += spent;
      credit(w, t.type, u);
      summary_.on_cancelled();
      if (keeps_.assignments)
        recorder_.assignment(AssignmentRecord{t.id, w, as.assigned, now(), spent, spent / tt.expected_duration,
                                              as.effort, as.delay, as.quality, kNaN, 0.0, u, -1, 0, 1});
      freed.push_back(w);
    }
  }
  if (tasks_[task].in_progress == 0) close(task);  // may publish a subtask and move the task slots
  for (std::uint32_t w : freed) {  // worker_free(w) at the kWorkerFree event
    ++frees_pending_;
    sim_.schedule_at(now(), kWorkerFree, w);
  }
}

// A task ends. A leaf is closed when all its answers are in (or it stopped, confident), else
// expired; a decomposed task is expired when one of its subtasks is. Held submissions are paid,
// and what is left of its budget reservation is released.
template <bool Simple>
inline void Platform::close(std::uint32_t task) {
  TaskState& t = tasks_[task];
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  bool leaf = Simple || !t.is_parent();
  std::int32_t final_label = online_label(t);
  if (!Simple && !t.held.empty()) {
    std::vector<Submission> subs;
    for (const AssignmentRecord& r : t.held)
      subs.push_back(Submission{tt.bounty, tt.expected_duration, r.duration, r.quality, r.review, t.deadline - r.finished});
    double total = pay(t.held, subs, t.type);
    t.paid += total;
    if (t.parent != kNone) tasks_[t.parent].paid += total;
  }
  if (!Simple && budgeted_) release(t, 0.0);
  if (!Simple && t.deadline_pending) {
    sim_.cancel(t.deadline_event);
    if (tt.expire && leaf) --expiries_pending_;
  }
  bool expired = leaf ? t.submitted < tt.redundancy && !t.stopped : t.child_expired;
  bool late = !expired && now() > t.deadline;

  if (leaf) {
    --open_leaves_;
    summary_.on_leaf_closed(correctness(final_label, t.true_label), t.subtask, expired);
  }
  if (Simple || !t.subtask) {
    if (--open_top_ == 0) reserved_ = 0.0;  // nothing open: no reservation (and no rounding left)
    summary_.on_closed(now() - t.created, t.first_assigned - t.created, late, expired);
    rules_.on_open_tasks(open_top_);
  }
  if (keeps_.tasks) {
    TaskRecord rec = task_record(t, expired ? TaskStatus::kExpired : TaskStatus::kClosed, final_label, late);
    rec.closed = now();
    recorder_.task(rec);
  }
  std::uint32_t parent = t.parent;
  t.id = -1;
  free_tasks_.push_back(task);

  if (!Simple && parent != kNone) child_closed(parent, expired);
}

// A subtask of `parent` closed (`expired`): the parent closes with its last one, or publishes
// its next one (sequential decomposition). A chain ends with a step that expired: the next step
// needs the previous one's output, so none is published (nor paid) and the parent expires now.
// Parallel subtasks already published go on: they are under way independently.
void Platform::child_closed(std::uint32_t parent, bool expired) {
  TaskState& p = tasks_[parent];
  const TaskType& pt = params_.tasks.types[static_cast<std::size_t>(p.type)];
  p.child_expired = p.child_expired || expired;
  --p.children_left;
  if (pt.decompose.sequential && expired) p.children_left = 0;  // the steps not yet published never will be
  if (p.children_left == 0) close(parent);
  else if (pt.decompose.sequential && p.children_published < pt.decompose.count) publish_child(parent);
}

TaskRecord Platform::task_record(const TaskState& t, TaskStatus status, std::int32_t final_label, bool late) const {
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  bool leaf = !t.is_parent();
  std::int8_t correct = correctness(final_label, t.true_label);
  std::int64_t parent_id = t.parent == kNone ? -1 : tasks_[t.parent].id;
  return TaskRecord{t.id, parent_id, t.type, t.created, t.deadline,
                    leaf ? tt.expected_duration : kNaN, leaf ? tt.redundancy : 0, leaf ? tt.bounty : 0.0,
                    t.difficulty, t.first_assigned, kNaN, status, t.true_label, final_label, correct,
                    static_cast<std::int8_t>(late ? 1 : 0), t.paid};
}

}  // namespace crowdsim::models
