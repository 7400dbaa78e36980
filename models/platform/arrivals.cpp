// Task arrivals: the arrival processes, top-level tasks published or deferred until the budget
// covers them, decomposition into subtasks, and a new task's draws.
#include "models/platform.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/platform/steps.hpp"
#include "models/platform/internal.hpp"

namespace crowdsim::models {

using namespace platform_impl;

namespace {

// Zeroes a short vector in place: for a few elements, stores beat the call to memset that
// std::fill becomes.
template <class T>
void zero(std::vector<T>& v) {
  T* p = v.data();
  std::size_t n = v.size();
  if (n <= 4) {
    if (n > 0) p[0] = T{};
    if (n > 1) p[1] = T{};
    if (n > 2) p[2] = T{};
    if (n > 3) p[3] = T{};
  } else {
    std::fill(p, p + n, T{});
  }
}

}  // namespace

// The next arrival of a non-homogeneous Poisson process after time `t` (schedule_task_arrival,
// models/platform/steps.hpp, draws the other processes inline).
double Platform::next_nhpp_arrival(double t) {
  const ArrivalParams& a = params_.tasks.arrival;
  // Exact sampling by inverting the integrated rate, hour by hour: the next arrival comes when
  // the rate integrated from now reaches an Exp(1) draw. (Thinning gives the same law but
  // loops for ever when the profile is very peaked; the fuzzer found one.)
  double e = arrivals_.exponential(1.0), daily = 0.0;
  for (double v : a.profile) daily += v * a.rate_per_hour;  // expected arrivals per day
  t += std::floor(e / daily) * 86400.0;                    // whole days first
  e = std::fmod(e, daily);
  for (int step = 0; step < 48; ++step) {
    double hour_end = (std::floor(t / 3600.0) + 1.0) * 3600.0;
    auto hour = static_cast<std::size_t>(std::fmod(std::floor(t / 3600.0), 24.0));
    double rate = a.rate_per_hour * a.profile[hour] / 3600.0;  // per second
    double mass = rate * (hour_end - t);
    if (e < mass) {
      t += e / rate;
      break;
    }
    e -= mass;
    t = hour_end;
  }
  return t;
}

// A top-level task arrives; its type (`type` < 0: drawn by weight) and all its draws come from
// its own stream, keyed by its arrival index, whenever it is published. It is published at once
// when the budget covers its worst case and no earlier arrival is waiting; else it waits in the
// backlog. When nothing is open to release money, the backlog can never be published: then
// publishing stops for good, and this returns false.
template <bool Simple>
bool Platform::arrive_top(std::int32_t type) {
  if (!Simple && publishing_stopped_) return false;
  auto index = static_cast<std::uint32_t>(arrived_top_++);
  sim::Stream draws = stream(kTaskPurpose, index);
  bool drawn = false;
  if (type < 0 && type_cdf_.size() == 1) {
    type = 0;  // one type: nothing to draw, and the task's own stream stays unopened
  } else if (type < 0) {
    double u = draws.uniform01();
    type = static_cast<std::int32_t>(std::upper_bound(type_cdf_.begin(), type_cdf_.end(), u) - type_cdf_.begin());
    type = std::min(type, static_cast<std::int32_t>(type_cdf_.size() - 1));
    drawn = true;
  }
  if (Simple || (backlog_.empty() && fits_budget(type))) {
    publish_top<Simple>(index, type, draws);
    return true;
  }
  backlog_.push_back(Deferred{index, type, drawn});
  if (open_top_ == 0) {
    stop_publishing();
    return false;
  }
  return true;
}

// Publishes top-level arrival `index` now (its `created` time): it reserves its worst case.
template <bool Simple>
inline void Platform::publish_top(std::uint32_t index, std::int32_t type, sim::Stream& draws) {
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(type)];
  double cost = !Simple && budgeted_ ? task_cost_[static_cast<std::size_t>(type)] : 0.0;
  ++published_top_;
  ++open_top_;
  reserved_ += cost;
  summary_.on_published();
  if (auto v = rules_.on_open_tasks(open_top_)) alert(AlertKind::kQueueAboveThreshold, -1, -1, *v);
  bool leaf = Simple || tt.decompose.into < 0;
  std::uint32_t slot = create_task<Simple>(type, kNone, draws, leaf && tt.labelled ? label_word(index) : 0);
  tasks_[slot].reserved = cost;
  tasks_[slot].top_index = index;
  if (!Simple && tt.decompose.into >= 0) {
    tasks_[slot].children_left = tt.decompose.count;
    for (std::int32_t i = 0; i < (tt.decompose.sequential ? 1 : tt.decompose.count); ++i) publish_child(slot);
  }
}

// Publishes the waiting tasks, in arrival order, as far as the budget now covers them.
void Platform::publish_backlog() {
  while (!backlog_.empty() && fits_budget(backlog_.front().type)) {
    Deferred d = backlog_.front();
    backlog_.pop_front();
    sim::Stream draws = stream(kTaskPurpose, d.index);
    if (d.drawn) draws.uniform01();  // the type draw, as at its arrival
    ++budget_.deferred;
    publish_top(d.index, d.type, draws);
  }
  if (!backlog_.empty() && open_top_ == 0) stop_publishing();
}

void Platform::publish_child(std::uint32_t parent) {
  TaskState& p = tasks_[parent];
  const TaskType& pt = params_.tasks.types[static_cast<std::size_t>(p.type)];
  // A subtask's draws are keyed by its parent's arrival and its place in the parent, so they do
  // not depend on when (or after which other tasks) it is published.
  sim::Stream draws = stream(kSubtaskPurpose + static_cast<std::uint32_t>(p.children_published), p.top_index);
  ++p.children_published;
  std::uint32_t top = p.top_index;
  const TaskType& ct = params_.tasks.types[static_cast<std::size_t>(pt.decompose.into)];
  std::uint64_t label = ct.labelled ? draws() : 0;
  std::uint32_t slot = create_task(pt.decompose.into, parent, draws, label);  // may move tasks_
  tasks_[slot].top_index = top;
  if (budgeted_) {  // the subtask takes its share of the parent's reservation
    double share = std::min(leaf_cost_[static_cast<std::size_t>(tasks_[slot].type)], tasks_[parent].reserved);
    tasks_[parent].reserved -= share;
    tasks_[slot].reserved = share;
  }
}

// The true label of top-level task `index` comes from word index mod 4 of block index / 4 of
// the task.label stream: it is the one draw every labelled task makes, and a Philox block of its
// own per task was a measurable share of a run (docs/performance.md). Tasks are published in
// index order, so each block is computed once.
void Platform::refill_labels(std::uint32_t block) {
  label_words_ = stream(kLabelPurpose, block).block();
  label_block_ = block;
}

// A new task in a free slot; leaf tasks open their slots and are offered to idle workers.
template <bool Simple>
inline std::uint32_t Platform::create_task(std::int32_t type, std::uint32_t parent, sim::Stream& draws, std::uint64_t label) {
  std::uint32_t slot;
  if (!free_tasks_.empty()) {
    slot = free_tasks_.back();
    free_tasks_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(tasks_.size());
    tasks_.emplace_back();
    point_at(tasks_, workers_);  // the policies' view follows the vector
  }
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(type)];
  TaskState& t = tasks_[slot];
  t.id = next_task_id_++;
  t.type = type;
  t.parent = parent;
  t.subtask = parent != kNone;
  t.created = now();
  t.deadline = now() + tt.deadline;
  t.first_assigned = kNaN;
  t.reserved = t.paid = 0.0;
  t.submitted = t.in_progress = t.children_left = t.children_published = 0;
  t.past_deadline = t.child_expired = t.stopped = false;
  t.workers.clear();
  t.held.clear();
  bool leaf = Simple || tt.decompose.into < 0;
  t.difficulty = leaf ? tt.difficulty.sample(draws) : kNaN;
  t.true_label = leaf && tt.labelled ? static_cast<std::int32_t>(label % static_cast<std::uint64_t>(tt.classes)) : -1;
  t.gold = !Simple && leaf && params_.review.model == ReviewParams::Model::kGold && draws.uniform01() < params_.review.gold_fraction;
  // A reused slot usually has vectors of the right size already: zero them in place.
  std::size_t classes = leaf && tt.labelled ? static_cast<std::size_t>(tt.classes) : 0;
  if (t.votes.size() == classes) zero(t.votes);
  else t.votes.assign(classes, 0);
  if (!Simple) {  // the simple instantiation: no weighted aggregation (log_post stays empty)
    std::size_t posteriors = params_.aggregation.weighted ? classes : 0;
    if (t.log_post.size() == posteriors) zero(t.log_post);
    else t.log_post.assign(posteriors, 0.0);
  }
  t.open_slots = leaf ? tt.redundancy : 0;
  // Adaptive redundancy asks for min_answers first, then one more answer at a time.
  t.unopened = !Simple && params_.aggregation.stop_at_confidence <= 1.0 ? std::max(0, t.open_slots - params_.aggregation.min_answers) : 0;
  t.open_slots -= t.unopened;
  t.deadline_pending = !Simple && std::isfinite(tt.deadline);
  if (t.deadline_pending) {
    t.deadline_event = sim_.schedule_at(t.deadline, kDeadline, pack(slot));
    if (tt.expire && leaf) ++expiries_pending_;
  }
  if (leaf) {
    ++open_leaves_;
    open_.push_back(slot);  // the youngest task: publication order (return_slot keeps it)
    dispatch_task<Simple>(slot);
  }
  return slot;
}

template bool Platform::arrive_top<false>(std::int32_t type);
template bool Platform::arrive_top<true>(std::int32_t type);

}  // namespace crowdsim::models
