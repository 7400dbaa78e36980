// Assignment: open slots and idle workers brought together by the policy (push, pull or batch),
// each pair it returns checked, and the work of an assignment drawn.
#include "models/platform.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/assignment/policy.hpp"

namespace crowdsim::models {

namespace {

// Out of line and cold: building the message inside assign() made it too large to inline.
[[noreturn, gnu::noinline, gnu::cold]] void invalid_pair(const std::string& policy, std::uint32_t task,
                                                         std::uint32_t worker) {
  throw std::logic_error("assignment policy \"" + policy + "\" chose task slot " + std::to_string(task) +
                         " for worker " + std::to_string(worker) +
                         ", which is not an open slot for an available, eligible worker");
}

}  // namespace

// dispatch_task (a task has a new open slot) is in models/platform/steps.hpp, inline in its callers.

// Pull: each idle worker, longest idle first, may take one of the open tasks.
void Platform::offer_to_idle() {
  for (std::uint32_t w = idle_.front(); w != kNone && !open_.empty();) {
    std::uint32_t next = idle_.next(w);  // assign() removes w only
    std::uint32_t t = assignment_->choose_task(*this, w, policy_rng_);
    if (t != kNone) assign(t, w);
    w = next;
  }
}

// Batch: the policy matches open slots to idle workers all at once.
void Platform::batch_match() {
  matches_.clear();
  assignment_->match(*this, policy_rng_, matches_);
  for (const Match& m : matches_) assign(m.task, m.worker);
  if (matches_.empty()) batch_stale_ = false;  // nothing to do until slots or workers change
}

template <bool Simple>
void Platform::assign(std::uint32_t task, std::uint32_t worker) {
  // A policy (perhaps a user's) may only hand out an open slot to an idle worker allowed to take it.
  if (task >= tasks_.size() || worker >= workers_.size()) invalid_pair(params_.assignment.name, task, worker);
  TaskState& t = tasks_[task];
  WorkerState& w = workers_[worker];
  if (t.id < 0 || t.open_slots <= 0 || !w.online || w.busy || !eligible(t, w, worker))
    invalid_pair(params_.assignment.name, task, worker);
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  if (--t.open_slots == 0) open_.erase(task);
  if (idle_.contains(worker)) idle_.erase(worker);
  w.busy = true;
  ++busy_;
  t.workers.push_back(worker);
  if (std::isnan(t.first_assigned)) {
    t.first_assigned = now();
    if (!Simple && t.parent != kNone && std::isnan(tasks_[t.parent].first_assigned)) tasks_[t.parent].first_assigned = now();
  }

  // t = T · difficulty · speed · noise; the answer from the worker's skill and confusion. A
  // strategic worker scales the work by its effort e, and submits d seconds later.
  double duration = tt.expected_duration * t.difficulty * w.speed * params_.work.time_noise.sample(w.work);
  double effort = 1.0, gain = 1.0, delay = 0.0;
  if (!Simple && !w.strategies.empty()) {
    const StrategyEntry& s = book_->entries()[w.strategies[static_cast<std::size_t>(t.type)]];
    effort = s.decision.effort;
    delay = s.decision.delay;
    gain = s.gain;
    if (params_.deviation.group == w.group) {
      deviate(worker, t.type, effort, delay);
      gain = effort_gain(params_.workers.groups[static_cast<std::size_t>(w.group)].behavior, effort);
    }
    duration = duration * effort + delay;
  }
  Answer ans = draw_answer(w, tt, t.type, t.true_label, t.difficulty, gain);
  // Abandonment: an exponential clock at the worker's hazard races the work.
  double quit = !Simple && w.abandon_hazard > 0 ? w.work.exponential(3600.0 / w.abandon_hazard) : kInf;

  std::uint32_t a;
  if (!free_assignments_.empty()) {
    a = free_assignments_.back();
    free_assignments_.pop_back();
  } else {
    a = static_cast<std::uint32_t>(assignments_.size());
    assignments_.emplace_back();
  }
  bool abandons = quit < duration;
  sim::EventHandle end = sim_.schedule_in(abandons ? quit : duration, abandons ? kAbandon : kSubmit, a);
  assignments_[a] = Assignment{task, worker, now(), abandons ? quit : duration, ans.quality, effort, delay, ans.label, end};
  working_on_[worker] = a;
  ++in_progress_;
  ++t.in_progress;
}

template void Platform::assign<false>(std::uint32_t task, std::uint32_t worker);
template void Platform::assign<true>(std::uint32_t task, std::uint32_t worker);

}  // namespace crowdsim::models
