#include "models/platform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <memory>
#include <unordered_map>

#include "models/aggregation/aggregator.hpp"
#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"
#include "models/review.hpp"

namespace crowdsim::models {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Stream purposes. Each name keys its own streams, so a new purpose never shifts these draws,
// and a policy's choices never shift a worker's or task's intrinsic draws (common random numbers).
constexpr std::uint32_t kArrivalPurpose = sim::purpose_id("task.arrival");
constexpr std::uint32_t kTaskPurpose = sim::purpose_id("task.attributes");
constexpr std::uint32_t kLabelPurpose = sim::purpose_id("task.label");  // four top-level tasks a block
constexpr std::uint32_t kSubtaskPurpose = sim::purpose_id("task.subtask");  // + child index
constexpr std::uint32_t kAggregatePurpose = sim::purpose_id("task.aggregate");
constexpr std::uint32_t kWorkerArrivalPurpose = sim::purpose_id("worker.arrival");
constexpr std::uint32_t kPolicyPurpose = sim::purpose_id("policy.assignment");

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

// A closed task's aggregate against its truth: right (1), wrong (0), or not known (-1).
std::int8_t correctness(std::int32_t final_label, std::int32_t true_label) {
  return final_label < 0 || true_label < 0 ? -1 : (final_label == true_label ? 1 : 0);
}

}  // namespace

Platform::Platform(const ModelParams& params, std::uint32_t replication, Recorder& recorder)
    : params_(params),
      replication_(replication),
      recorder_(recorder),
      keeps_(recorder.keeps()),
      assignment_(assignment_policies().create(params.assignment.params, params.assignment.path)),
      kind_(assignment_->kind()),
      incentive_(incentive_policies().create(params.incentive.params, params.incentive.path)),
      pays_at_close_(incentive_->pays_at_close()),
      arrivals_(stream(kArrivalPurpose, 0)),
      worker_arrivals_(stream(kWorkerArrivalPurpose, 0)),
      policy_rng_(stream(kPolicyPurpose, 0)),
      rules_(params.monitor) {
  budget_.budget = params.budget;
  double cum = 0.0;
  for (const TaskType& t : params.tasks.types) type_cdf_.push_back(cum += t.weight);
  for (double& c : type_cdf_) c /= cum;
  if (params.workers.any_plans()) book_ = std::make_unique<StrategyBook>(params, *incentive_);
  // What a task of each type may cost at most, reserved against the budget when it is
  // published, and what one answer may earn, released as each answer is paid: functions of the
  // type alone, so they are asked once per type.
  budgeted_ = std::isfinite(params.budget);
  for (const TaskType& tt : params.tasks.types) {
    leaf_cost_.push_back(incentive_->max_task_cost(tt.bounty, tt.expected_duration, tt.redundancy));
    slot_cost_.push_back(incentive_->max_reward(tt.bounty, tt.expected_duration));
  }
  for (const TaskType& tt : params.tasks.types)
    task_cost_.push_back(tt.decompose.into >= 0 ? leaf_cost_[static_cast<std::size_t>(tt.decompose.into)] * tt.decompose.count
                                                : leaf_cost_[task_cost_.size()]);
  sim_.name_kinds({"task_arrival", "submit", "abandon", "slot_return", "deadline", "snapshot", "worker_arrival",
                   "session_end", "batch_match"});  // EventKind's order
  snapshot_timer_ = sim_.add_timer();
  if (params.tasks.arrival.process != ArrivalParams::Process::kBatch) arrival_timer_ = sim_.add_timer();
  if (params.workers.arrival_rate_per_hour > 0) worker_arrival_timer_ = sim_.add_timer();
  if (kind_ == AssignmentKind::kBatch) batch_timer_ = sim_.add_timer();
  for (std::int64_t i = 0; i < params.workers.count; ++i) add_worker(false);
}

Platform::~Platform() = default;

sim::Stream Platform::stream(std::uint32_t purpose, std::uint32_t entity) const {
  return sim::Stream(sim::StreamKey{params_.seed, replication_, purpose, entity});
}

// Events about a task carry its slot and id, so an event outliving its task is recognised.
std::uint64_t Platform::pack(std::uint32_t slot) const {
  return static_cast<std::uint64_t>(slot) << 32 | static_cast<std::uint32_t>(tasks_[slot].id);
}
std::uint32_t Platform::live_slot(std::uint64_t packed) const {
  auto slot = static_cast<std::uint32_t>(packed >> 32);
  bool live = tasks_[slot].id >= 0 && static_cast<std::uint32_t>(tasks_[slot].id) == static_cast<std::uint32_t>(packed);
  return live ? slot : kNone;
}

Kpis Platform::run(RunInfo& info, const std::atomic<bool>* interrupt) {
  const TaskParams& tp = params_.tasks;
  if (tp.arrival.process == ArrivalParams::Process::kBatch) {
    for (std::int64_t i = 0; i < tp.count; ++i)
      if (!arrive_top(-1)) break;
  } else {
    schedule_task_arrival();
  }
  snapshot();
  sim_.set_timer_in(snapshot_timer_, params_.monitor.snapshot_interval, kSnapshot, 0);
  if (kind_ == AssignmentKind::kBatch) sim_.set_timer_in(batch_timer_, assignment_->batch_interval(), kBatchMatch, 0);
  if (params_.workers.arrival_rate_per_hour > 0)
    sim_.set_timer_in(worker_arrival_timer_, worker_arrivals_.exponential(3600.0 / params_.workers.arrival_rate_per_hour),
                      kWorkerArrival, 0);

  double end = now();
  if (work_left()) {
    sim::RunResult r = sim_.run(*this, sim::RunLimits{params_.horizon, params_.max_events, interrupt});
    if (r.reason == sim::StopReason::kInterrupted) throw Interrupted();
    end = r.now;
  }
  if (last_snapshot_ < end) snapshot();  // the state where the clock stopped

  // What is still open is recorded as open; workers still online close the run.
  for (const TaskState& t : tasks_)
    if (t.id >= 0) {
      if (!t.subtask) summary_.on_left_open(end > t.deadline);
      if (keeps_.tasks) recorder_.task(task_record(t, TaskStatus::kOpen, -1, false));
    }
  std::vector<WorkerRecord> records;
  records.reserve(workers_.size());
  for (std::uint32_t w = 0; w < workers_.size(); ++w) {
    records.push_back(worker_record(w));
    if (workers_[w].online) recorder_.worker(records.back());
  }
  info.events_processed = sim_.events_processed();
  // Refused: the tasks never published once publishing stopped for good (the backlog then and
  // every later task); without that stop, tasks the horizon cut off are not refused.
  budget_.refused = publishing_stopped_ ? tp.count - published_top_ : 0;
  if (book_ && !workers_.empty()) {
    // Share of (worker, leaf type) pairs taken: planning workers decide, sampled ones take all.
    double taken = 0, pairs = 0;
    for (const WorkerState& w : workers_)
      for (std::size_t t = 0; t < tp.types.size(); ++t)
        if (tp.types[t].decompose.into < 0) taken += w.accepts.empty() ? 1 : w.accepts[t], pairs += 1;
    summary_.set_participation(pairs > 0 ? taken / pairs : kNaN);
    for (const StrategyEntry& e : book_->entries()) {
      const Decision& d = e.decision;
      recorder_.strategy(StrategyRecord{e.group, e.type, e.traits.speed, e.traits.accuracy, e.traits.wage, e.workers,
                                        d.effort, d.delay, d.time, d.quality, d.pay, d.utility,
                                        static_cast<std::int8_t>(e.converged ? 1 : 0)});
    }
  }
  Kpis kpis = summary_.finish(records, end, budget_);
  batch_aggregate(kpis);
  if (params_.deviation.group >= 0) {  // only in the runs of crowdsim deviations
    kpis.emplace_back("deviation_expected_gain",
                      deviation_assignments_ > 0 ? deviation_gain_sum_ / static_cast<double>(deviation_assignments_) : kNaN);
    bool one = params_.deviation.worker != Deviation::kWholeGroup;
    kpis.emplace_back("deviation_worker", one ? static_cast<double>(params_.deviation.worker >= 0 ? params_.deviation.worker : deviator_) : -1.0);
  }
  return kpis;
}

// Work is left while tasks are still to arrive, assignments are under way or slots are on their
// way back, or open tasks can still change (new workers may come, or deadlines expire them).
// Without it the run ends at the last real event, not at an idle tick (throughput and
// utilisation divide by the end time). Tasks waiting for budget wait on the open top-level
// tasks (publishing stops for good when none is open), so while any of those can still end and
// release money, one of the conditions below holds.
bool Platform::work_left() const {
  if (arrival_pending_ || in_progress_ > 0 || returns_pending_ > 0) return true;  // the usual case, checked after every event
  bool workers_coming = params_.workers.arrival_rate_per_hour > 0 &&
                        static_cast<std::int64_t>(workers_.size()) < params_.workers.max_total;
  bool batch_pending = kind_ == AssignmentKind::kBatch && batch_stale_ && !open_.empty() && !idle_.empty();
  return batch_pending || (open_leaves_ > 0 && (workers_coming || expiries_pending_ > 0));
}

void Platform::on_event(const sim::Event& e) {
  switch (e.kind) {
    case kTaskArrival: {
      arrival_pending_ = false;
      const ArrivalParams& a = params_.tasks.arrival;
      std::int32_t type = a.process == ArrivalParams::Process::kTrace
                              ? (*a.trace)[static_cast<std::size_t>(arrived_top_)].type
                              : -1;
      if (arrive_top(type)) schedule_task_arrival();
      break;
    }
    case kSubmit: on_submit(static_cast<std::uint32_t>(e.target)); break;
    case kAbandon: on_abandon(static_cast<std::uint32_t>(e.target)); break;
    case kSlotReturn: {
      --returns_pending_;
      std::uint32_t slot = live_slot(e.target);
      if (slot != kNone) return_slot(slot);
      break;
    }
    case kDeadline: {
      std::uint32_t slot = live_slot(e.target);
      if (slot != kNone) on_deadline(slot);
      break;
    }
    case kSnapshot:
      snapshot();
      sim_.set_timer_in(snapshot_timer_, params_.monitor.snapshot_interval, kSnapshot, 0);
      break;
    case kWorkerArrival:
      add_worker(true);
      if (static_cast<std::int64_t>(workers_.size()) < params_.workers.max_total)
        sim_.set_timer_in(worker_arrival_timer_, worker_arrivals_.exponential(3600.0 / params_.workers.arrival_rate_per_hour),
                          kWorkerArrival, 0);
      break;
    case kSessionEnd: {
      auto w = static_cast<std::uint32_t>(e.target);
      if (workers_[w].busy) workers_[w].leaving = true;
      else if (workers_[w].online) depart(w);
      break;
    }
    case kBatchMatch:
      batch_match();
      if (work_left()) sim_.set_timer_in(batch_timer_, assignment_->batch_interval(), kBatchMatch, 0);
      break;
  }
  // Money released by this event may publish tasks waiting for budget; here, not where it is
  // released, since publishing may move the task slots the handlers hold.
  if (released_) {
    released_ = false;
    if (!backlog_.empty()) publish_backlog();
  }
  if (!work_left()) sim_.stop();
}

// ---- Tasks -------------------------------------------------------------------------------

void Platform::schedule_task_arrival() {
  const ArrivalParams& a = params_.tasks.arrival;
  if (arrived_top_ >= params_.tasks.count) return;
  double t = now();
  using P = ArrivalParams::Process;
  if (a.process == P::kPoisson) {
    t += arrivals_.exponential(3600.0 / a.rate_per_hour);
  } else if (a.process == P::kNhpp) {
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
  } else if (a.process == P::kTrace) {
    t = (*a.trace)[static_cast<std::size_t>(arrived_top_)].time;
  }
  if (!std::isfinite(t)) return;  // a rate so small that the next arrival never comes
  sim_.set_timer_at(arrival_timer_, t, kTaskArrival, 0);
  arrival_pending_ = true;
}

// A top-level task arrives; its type (`type` < 0: drawn by weight) and all its draws come from
// its own stream, keyed by its arrival index, whenever it is published. It is published at once
// when the budget covers its worst case and no earlier arrival is waiting; else it waits in the
// backlog. When nothing is open to release money, the backlog can never be published: then
// publishing stops for good, and this returns false.
bool Platform::arrive_top(std::int32_t type) {
  if (publishing_stopped_) return false;
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
  if (backlog_.empty() && fits_budget(type)) {
    publish_top(index, type, draws);
    return true;
  }
  backlog_.push_back(Deferred{index, type, drawn});
  if (open_top_ == 0) {
    stop_publishing();
    return false;
  }
  return true;
}

// True when the money paid so far, the reservations of the open tasks and this type's worst
// case fit in the budget.
bool Platform::fits_budget(std::int32_t type) const {
  return !budgeted_ || summary_.total_cost() + reserved_ + task_cost_[static_cast<std::size_t>(type)] <= params_.budget;
}

// Publishes top-level arrival `index` now (its `created` time): it reserves its worst case.
void Platform::publish_top(std::uint32_t index, std::int32_t type, sim::Stream& draws) {
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(type)];
  double cost = budgeted_ ? task_cost_[static_cast<std::size_t>(type)] : 0.0;
  ++published_top_;
  ++open_top_;
  reserved_ += cost;
  summary_.on_published();
  if (auto v = rules_.on_open_tasks(open_top_)) alert(AlertKind::kQueueAboveThreshold, -1, -1, *v);
  bool leaf = tt.decompose.into < 0;
  std::uint32_t slot = create_task(type, kNone, draws, leaf && tt.labelled ? label_word(index) : 0);
  tasks_[slot].reserved = cost;
  tasks_[slot].top_index = index;
  if (tt.decompose.into >= 0) {
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

// Releases what task `t` has reserved beyond `keep` (its remaining worst case).
void Platform::release(TaskState& t, double keep) {
  if (t.reserved <= keep) return;
  reserved_ -= t.reserved - keep;
  t.reserved = keep;
  released_ = true;
}

// The budget cannot cover the next task even with nothing open: the backlog and every later
// arrival are refused.
void Platform::stop_publishing() {
  if (publishing_stopped_) return;
  publishing_stopped_ = true;
  backlog_.clear();
  budget_.exhausted_at = now();
  if (arrival_pending_) sim_.clear_timer(arrival_timer_);
  arrival_pending_ = false;
  alert(AlertKind::kBudgetExhausted, -1, -1, params_.budget - summary_.total_cost());
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
std::uint32_t Platform::create_task(std::int32_t type, std::uint32_t parent, sim::Stream& draws, std::uint64_t label) {
  std::uint32_t slot;
  if (!free_tasks_.empty()) {
    slot = free_tasks_.back();
    free_tasks_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(tasks_.size());
    tasks_.emplace_back();
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
  bool leaf = tt.decompose.into < 0;
  t.difficulty = leaf ? tt.difficulty.sample(draws) : kNaN;
  t.true_label = leaf && tt.labelled ? static_cast<std::int32_t>(label % static_cast<std::uint64_t>(tt.classes)) : -1;
  t.gold = leaf && params_.review.model == ReviewParams::Model::kGold && draws.uniform01() < params_.review.gold_fraction;
  // A reused slot usually has vectors of the right size already: zero them in place.
  std::size_t classes = leaf && tt.labelled ? static_cast<std::size_t>(tt.classes) : 0;
  if (t.votes.size() == classes) zero(t.votes);
  else t.votes.assign(classes, 0);
  std::size_t posteriors = params_.aggregation.weighted ? classes : 0;
  if (t.log_post.size() == posteriors) zero(t.log_post);
  else t.log_post.assign(posteriors, 0.0);
  t.open_slots = leaf ? tt.redundancy : 0;
  // Adaptive redundancy asks for min_answers first, then one more answer at a time.
  t.unopened = params_.aggregation.stop_at_confidence <= 1.0 ? std::max(0, t.open_slots - params_.aggregation.min_answers) : 0;
  t.open_slots -= t.unopened;
  t.deadline_pending = std::isfinite(tt.deadline);
  if (t.deadline_pending) {
    t.deadline_event = sim_.schedule_at(t.deadline, kDeadline, pack(slot));
    if (tt.expire && leaf) ++expiries_pending_;
  }
  if (leaf) {
    ++open_leaves_;
    open_.push_back(slot);
    dispatch_task(slot);
  }
  return slot;
}

// A task has a new open slot. Push: the policy chooses a worker for it; pull: the idle workers
// look at the board again; batch: it waits for the next matching.
void Platform::dispatch_task(std::uint32_t task) {
  switch (kind_) {
    case AssignmentKind::kPush:
      while (tasks_[task].open_slots > 0 && !idle_.empty()) {
        std::uint32_t w = assignment_->choose_worker(*this, task, policy_rng_);
        if (w == kNone) break;
        assign(task, w);
      }
      break;
    case AssignmentKind::kPull: offer_to_idle(); break;
    case AssignmentKind::kBatch: batch_stale_ = true; break;
  }
}

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

void Platform::assign(std::uint32_t task, std::uint32_t worker) {
  // A policy (perhaps a user's) may only hand out an open slot to an idle worker allowed to take it.
  bool valid = task < tasks_.size() && tasks_[task].id >= 0 && tasks_[task].open_slots > 0 &&
               worker < workers_.size() && workers_[worker].online && !workers_[worker].busy && eligible(task, worker);
  if (!valid)
    throw std::logic_error("assignment policy \"" + params_.assignment.name + "\" chose task slot " +
                           std::to_string(task) + " for worker " + std::to_string(worker) +
                           ", which is not an open slot for an available, eligible worker");
  TaskState& t = tasks_[task];
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  WorkerState& w = workers_[worker];
  if (--t.open_slots == 0) open_.erase(task);
  if (idle_.contains(worker)) idle_.erase(worker);
  w.busy = true;
  ++busy_;
  t.workers.push_back(worker);
  if (std::isnan(t.first_assigned)) {
    t.first_assigned = now();
    if (t.parent != kNone && std::isnan(tasks_[t.parent].first_assigned)) tasks_[t.parent].first_assigned = now();
  }

  // t = T · difficulty · speed · noise; the answer from the worker's skill and confusion. A
  // strategic worker scales the work by its effort e, and submits d seconds later.
  double duration = tt.expected_duration * t.difficulty * w.speed * params_.work.time_noise.sample(w.work);
  double effort = 1.0, gain = 1.0, delay = 0.0;
  if (!w.strategies.empty()) {
    const Decision& d = book_->entries()[w.strategies[static_cast<std::size_t>(t.type)]].decision;
    effort = d.effort;
    delay = d.delay;
    if (params_.deviation.group == w.group) deviate(worker, t.type, effort, delay);
    gain = effort_gain(params_.workers.groups[static_cast<std::size_t>(w.group)].behavior, effort);
    duration = duration * effort + delay;
  }
  Answer ans = draw_answer(w, tt, t.type, t.true_label, t.difficulty, gain);
  // Abandonment: an exponential clock at the worker's hazard races the work.
  double quit = w.abandon_hazard > 0 ? w.work.exponential(3600.0 / w.abandon_hazard) : kInf;

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

void Platform::on_submit(std::uint32_t a) {
  const Assignment as = end_assignment(a, false);
  TaskState& t = tasks_[as.task];
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  WorkerState& w = workers_[as.worker];

  bool assessed = false;
  double r = review(params_.review, ReviewInput{as.quality, as.answer, t.true_label, t.gold, &t.votes}, w, &assessed);
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
  if (pays_at_close_) {
    t.held.push_back(record(0.0));
  } else {
    // A late answer (accepted past an expiring deadline, or under on_deadline "keep") is paid
    // as any other; the policy sees deadline_left < 0 (deadline_bonus pays no bonus then).
    double reward = incentive_->reward(Submission{tt.bounty, tt.expected_duration, as.duration, as.quality, r, t.deadline - now()});
    double u = utility_of_assignment(as.worker, reward, as.duration, as.effort);
    w.earnings += reward;
    w.utility += u;
    summary_.on_payment(reward);
    t.paid += reward;
    if (t.parent != kNone) tasks_[t.parent].paid += reward;
    // This slot's worst case is spent: the task keeps the worst case of the answers still to
    // come (or what its own cap leaves, if that is less).
    if (budgeted_) {
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
    if (!params_.aggregation.batch.empty())
      answers_.push_back(BatchAnswer{t.id, as.worker, t.type, as.answer, t.true_label});
  }
  t.submitted += 1;
  if (!t.log_post.empty() && as.answer >= 0) update_posterior(t, tt, as.worker, as.answer);
  if (t.submitted == tt.redundancy || (t.withdrawn() && t.in_progress == 0)) {
    close(as.task);
  } else if (t.unopened > 0 && !t.withdrawn() && t.open_slots == 0 && t.in_progress == 0) {
    --t.unopened;  // not confident yet: one more answer
    return_slot(as.task);
  }
  worker_free(as.worker);
}

// Pays and records one submission, its reward in the record.
void Platform::pay_one(const AssignmentRecord& rec) {
  WorkerState& w = workers_[static_cast<std::size_t>(rec.worker_id)];
  w.earnings += rec.reward;
  w.utility += rec.utility;
  summary_.on_payment(rec.reward);
  if (keeps_.assignments) recorder_.assignment(rec);
}

// Pays the submissions a task held until its close, as the incentive ranks them; returns the total.
double Platform::pay(const std::vector<AssignmentRecord>& held, const std::vector<Submission>& subs) {
  std::vector<double> rewards = incentive_->rewards_at_close(subs);
  double total = 0.0;
  for (std::size_t i = 0; i < held.size(); ++i) {
    AssignmentRecord rec = held[i];
    rec.reward = rewards[i];
    rec.utility = utility_of_assignment(static_cast<std::uint32_t>(rec.worker_id), rec.reward, rec.duration, rec.effort);
    total += rec.reward;
    pay_one(rec);
  }
  return total;
}

void Platform::on_abandon(std::uint32_t a) {
  const Assignment as = end_assignment(a, true);
  TaskState& t = tasks_[as.task];
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  WorkerState& w = workers_[as.worker];
  ++w.abandoned;
  w.busy_time += as.duration;
  double u = utility_of_assignment(as.worker, 0.0, as.duration, as.effort);
  w.utility += u;
  summary_.on_abandoned();
  if (keeps_.assignments)
    recorder_.assignment(AssignmentRecord{t.id, as.worker, as.assigned, now(), as.duration,
                                          as.duration / tt.expected_duration, as.effort, as.delay, as.quality, kNaN,
                                          0.0, u, -1, 1, 0});
  if (t.withdrawn()) {
    if (t.in_progress == 0) close(as.task);
  } else if (tt.abandon_timeout > 0) {
    sim_.schedule_in(tt.abandon_timeout, kSlotReturn, pack(as.task));
    ++returns_pending_;
  } else {
    return_slot(as.task);
  }
  worker_free(as.worker);
}

void Platform::return_slot(std::uint32_t task) {
  TaskState& t = tasks_[task];
  if (t.withdrawn()) {
    if (t.in_progress == 0) close(task);
    return;
  }
  if (t.open_slots++ == 0) open_.push_back(task);
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
// closes with the answers it has.
void Platform::cancel_in_progress(std::uint32_t task) {
  std::vector<std::uint32_t> freed;
  {
    TaskState& t = tasks_[task];
    const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
    for (std::uint32_t w : t.workers) {
      std::uint32_t a = working_on_[w];
      if (a == kNone || assignments_[a].task != task) continue;  // done with this task already
      sim_.cancel(assignments_[a].end);
      const Assignment as = end_assignment(a, false);
      double spent = now() - as.assigned;
      double u = utility_of_assignment(w, 0.0, spent, as.effort);
      workers_[w].busy_time += spent;
      workers_[w].utility += u;
      summary_.on_cancelled();
      if (keeps_.assignments)
        recorder_.assignment(AssignmentRecord{t.id, w, as.assigned, now(), spent, spent / tt.expected_duration,
                                              as.effort, as.delay, as.quality, kNaN, 0.0, u, -1, 0, 1});
      freed.push_back(w);
    }
  }
  close(task);  // may publish a subtask and move the task slots
  for (std::uint32_t w : freed) worker_free(w);
}

// A task ends. A leaf is closed when all its answers are in (or it stopped, confident), else
// expired; a decomposed task is expired when one of its subtasks is. Held submissions are paid,
// and what is left of its budget reservation is released.
void Platform::close(std::uint32_t task) {
  TaskState& t = tasks_[task];
  const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(t.type)];
  bool leaf = !t.is_parent();
  std::int32_t final_label = online_label(t);
  if (!t.held.empty()) {
    std::vector<Submission> subs;
    for (const AssignmentRecord& r : t.held)
      subs.push_back(Submission{tt.bounty, tt.expected_duration, r.duration, r.quality, r.review, t.deadline - r.finished});
    double total = pay(t.held, subs);
    t.paid += total;
    if (t.parent != kNone) tasks_[t.parent].paid += total;
  }
  if (budgeted_) release(t, 0.0);
  if (t.deadline_pending) {
    sim_.cancel(t.deadline_event);
    if (tt.expire && leaf) --expiries_pending_;
  }
  bool expired = leaf ? t.submitted < tt.redundancy && !t.stopped : t.child_expired;
  bool late = !expired && now() > t.deadline;

  if (leaf) {
    --open_leaves_;
    summary_.on_leaf_closed(correctness(final_label, t.true_label), t.subtask, expired);
  }
  if (!t.subtask) {
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

  if (parent != kNone) {
    TaskState& p = tasks_[parent];
    const TaskType& pt = params_.tasks.types[static_cast<std::size_t>(p.type)];
    p.child_expired = p.child_expired || expired;
    if (--p.children_left == 0) close(parent);
    else if (pt.decompose.sequential && p.children_published < pt.decompose.count) publish_child(parent);
  }
}

// Batch aggregation: each method over all of the run's answers, task type by task type (types
// may differ in classes); its accuracy over the tasks with a known truth and an answer is the
// KPI accuracy_<method>.
void Platform::batch_aggregate(Kpis& kpis) const {
  for (const std::string& method : params_.aggregation.batch) {
    std::unique_ptr<Aggregator> agg = make_aggregator(method);
    double right = 0, judged = 0;
    for (std::size_t type = 0; type < params_.tasks.types.size(); ++type) {
      const TaskType& tt = params_.tasks.types[type];
      if (!tt.labelled) continue;
      AnswerSet set;
      set.classes = tt.classes;
      std::unordered_map<std::int64_t, std::int32_t> item;
      std::unordered_map<std::uint32_t, std::int32_t> worker;
      std::vector<std::int32_t> truth;
      for (const BatchAnswer& a : answers_) {
        if (a.type != static_cast<std::int32_t>(type)) continue;
        auto [it, added] = item.emplace(a.task, set.items);
        if (added) ++set.items, truth.push_back(a.truth);
        auto [wt, wadded] = worker.emplace(a.worker, set.workers);
        if (wadded) ++set.workers;
        set.answers.push_back(AnswerSet::Answer{it->second, wt->second, a.label});
      }
      if (set.answers.empty()) continue;
      std::vector<Estimate> est = agg->aggregate(set);
      for (std::size_t i = 0; i < truth.size(); ++i)
        if (truth[i] >= 0) judged += 1, right += est[i].label == truth[i] ? 1 : 0;
    }
    kpis.emplace_back("accuracy_" + method, judged > 0 ? right / judged : kNaN);
  }
}

// The label a task closes with: the class with most votes (or the highest posterior, weighted);
// a tie is broken uniformly at random from the task's own stream, which is only opened when
// there is a tie (a Philox block per task is a measurable cost).
std::int32_t Platform::online_label(const TaskState& t) const {
  if (t.votes.empty() || t.submitted == 0) return -1;
  auto pick_among_best = [&](const auto& score) {
    // Scans without branches on the scores: votes are random, and a branch on them would be
    // mispredicted about half the time (measured: 6% of an mmc run).
    auto best = score[0];
    for (std::size_t k = 1; k < score.size(); ++k) best = std::max(best, score[k]);
    std::uint32_t ties = 0;
    std::size_t first = 0;
    for (std::size_t k = score.size(); k-- > 0;) {
      bool top = score[k] == best;
      ties += top;
      first = top ? k : first;
    }
    if (ties == 1) return static_cast<std::int32_t>(first);
    auto pick = static_cast<std::uint32_t>(ties > 1 ? stream(kAggregatePurpose, static_cast<std::uint32_t>(t.id))() % ties : 0);
    for (std::size_t k = 0; k < score.size(); ++k)
      if (score[k] == best && pick-- == 0) return static_cast<std::int32_t>(k);
    return -1;
  };
  return t.log_post.empty() ? pick_among_best(t.votes) : pick_among_best(t.log_post);
}

// One-coin posterior: a worker of reputation p (its estimated accuracy, as it stands when the
// answer arrives) gives the true class with probability p, each other class with (1 − p)/(K − 1).
// Adaptive redundancy: once the top class is probable enough, the task takes no more answers.
void Platform::update_posterior(TaskState& t, const TaskType& tt, std::uint32_t worker, std::int32_t answer) {
  const std::size_t k = t.log_post.size();
  double p = std::clamp(workers_[worker].reputation(), 1e-3, 1.0 - 1e-3);
  double right = std::log(p), wrong = std::log((1.0 - p) / static_cast<double>(k - 1));
  for (std::size_t c = 0; c < k; ++c) t.log_post[c] += static_cast<std::int32_t>(c) == answer ? right : wrong;
  const AggregationParams& ag = params_.aggregation;
  if (t.withdrawn() || t.submitted < ag.min_answers || t.submitted >= tt.redundancy) return;
  double top = *std::max_element(t.log_post.begin(), t.log_post.end()), z = 0;
  for (double l : t.log_post) z += std::exp(l - top);
  if (1.0 / z < ag.stop_at_confidence) return;
  t.stopped = true;
  if (t.open_slots > 0) open_.erase(static_cast<std::uint32_t>(&t - tasks_.data()));
  t.open_slots = t.unopened = 0;
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
