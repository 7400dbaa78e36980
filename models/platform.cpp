// The platform as the event handler of one run: setting up, running to the end and emitting
// what is left, and the dispatch of each event to its seam. The seams are in models/platform/:
// arrivals (publication, budget deferral), assignment (dispatch, checking a policy's pairs),
// work (submission, abandonment, review, deadlines, close), payment (incentives, contests paid
// at close, budget), aggregation, workers and monitoring.
#include "models/platform.hpp"

#include <cmath>
#include <memory>
#include <vector>

#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"
#include "models/platform/internal.hpp"
#include "models/platform/steps.hpp"

namespace crowdsim::models {

using namespace platform_impl;

Platform::Platform(const ModelParams& params, std::uint32_t replication, Recorder& recorder)
    : PlatformView(params),
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
      arrival_gap_(3600.0 / params.tasks.arrival.rate_per_hour),
      rules_(params.monitor) {
  watch_clock(sim_.clock());
  point_at(tasks_, workers_);
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
                   "session_end", "batch_match", "worker_free"});  // EventKind's order
  snapshot_timer_ = sim_.add_timer();
  if (params.tasks.arrival.process != ArrivalParams::Process::kBatch) arrival_timer_ = sim_.add_timer();
  if (params.workers.arrival_rate_per_hour > 0) worker_arrival_timer_ = sim_.add_timer();
  if (kind_ == AssignmentKind::kBatch) batch_timer_ = sim_.add_timer();
  for (std::int64_t i = 0; i < params.workers.count; ++i) add_worker(false);
  simple_ = simple_scenario();
}

// The features whose checks the simple instantiation of the task steps leaves out: none of
// them may be in the scenario. (Sessions, max_tasks, alerts, review hooks, recorded detail and
// several task types are checked in both.)
bool Platform::simple_scenario() const {
  const ModelParams& p = params_;
  if (budgeted_ || book_ || pays_at_close_ || p.deviation.group >= 0) return false;  // budget, planning workers, contests
  if (!p.aggregation.batch.empty() || p.aggregation.weighted || p.aggregation.stop_at_confidence <= 1.0) return false;
  if (p.review.model == ReviewParams::Model::kGold) return false;
  for (const TaskType& tt : p.tasks.types)
    if (tt.decompose.into >= 0 || std::isfinite(tt.deadline)) return false;  // decomposition, deadlines
  for (const WorkerGroup& g : p.workers.groups)
    if (g.abandon_hazard.upper() > 0.0) return false;  // abandonment
  return true;
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
    sim::RunLimits limits{params_.horizon, params_.max_events, interrupt};
    sim::RunResult r;
    if (simple_) {
      Dispatcher<true> dispatcher{*this};
      r = sim_.run(dispatcher, limits);
    } else {
      Dispatcher<false> dispatcher{*this};
      r = sim_.run(dispatcher, limits);
    }
    if (r.reason == sim::StopReason::kInterrupted) throw Interrupted();
    end = r.now;
  }
  if (last_snapshot_ < end) snapshot();  // the state where the clock stopped

  // What is still open is recorded as open; workers still online close the run. A contest's
  // submissions wait for its close to be paid: where the close did not come, they are recorded
  // unpaid (reward 0), their time cost in the workers' utility, as their time is in busy_time.
  for (const TaskState& t : tasks_)
    if (t.id >= 0) {
      if (!t.subtask) summary_.on_left_open(end > t.deadline);
      if (keeps_.tasks) recorder_.task(task_record(t, TaskStatus::kOpen, -1, false));
      for (AssignmentRecord rec : t.held) {
        rec.utility = utility_of_assignment(static_cast<std::uint32_t>(rec.worker_id), 0.0, rec.duration, rec.effort);
        pay_one(rec, t.type);
      }
    }
  std::vector<WorkerRecord> records;
  std::vector<double> under_way(workers_.size(), 0.0);  // time spent so far on the assignments the end cut off
  records.reserve(workers_.size());
  for (std::uint32_t w = 0; w < workers_.size(); ++w) {
    records.push_back(worker_record(w));
    // Online, or gone with prizes still to come (its row waited for them): the row is written now.
    if (workers_[w].online || workers_[w].held > 0) recorder_.worker(records.back());
    if (working_on_[w] != kNone) under_way[w] = end - assignments_[working_on_[w]].assigned;
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
        if (tp.types[t].decompose.into < 0) taken += w.accepts.empty() || w.accepts[t] != 0, pairs += 1;
    summary_.set_participation(pairs > 0 ? taken / pairs : kNaN);
    for (const StrategyEntry& e : book_->entries()) {
      const Decision& d = e.decision;
      recorder_.strategy(StrategyRecord{e.group, e.type, e.traits.speed, e.traits.accuracy, e.traits.wage, e.workers,
                                        d.effort, d.delay, d.time, d.quality, d.pay, d.utility,
                                        static_cast<std::int8_t>(e.converged ? 1 : 0)});
    }
  }
  Kpis kpis = summary_.finish(records, under_way, end, budget_);
  batch_aggregate(kpis);
  if (params_.deviation.group >= 0) {  // only in the runs of crowdsim deviations
    kpis.emplace_back("deviation_expected_gain",
                      deviation_assignments_ > 0 ? deviation_gain_sum_ / static_cast<double>(deviation_assignments_) : kNaN);
    bool one = params_.deviation.worker != Deviation::kWholeGroup;
    kpis.emplace_back("deviation_worker", one ? static_cast<double>(params_.deviation.worker >= 0 ? params_.deviation.worker : deviator_) : -1.0);
    kpis.emplace_back("deviation_expected_utility",  // of the strategies the deviators deviate from
                      deviation_assignments_ > 0 ? deviation_utility_sum_ / static_cast<double>(deviation_assignments_) : kNaN);
    if (params_.deviation.enter) {  // per assignment of a type taken only as a deviation
      double n = static_cast<double>(entries_);
      kpis.emplace_back("deviation_entries", n);
      kpis.emplace_back("deviation_entry_utility", entries_ > 0 ? entry_utility_sum_ / n : kNaN);
      kpis.emplace_back("deviation_entry_expected", entries_ > 0 ? entry_expected_sum_ / n : kNaN);
    }
  }
  return kpis;
}

// Work is left while tasks are still to arrive, assignments are under way or slots are on their
// way back, or open tasks can still change (new workers may come, or deadlines expire them).
// Without it the run ends at the last real event, not at an idle tick (throughput and
// utilisation divide by the end time). Tasks waiting for budget wait on the open top-level
// tasks (publishing stops for good when none is open), so while any of those can still end and
// release money, one of the conditions below holds.
bool Platform::work_left_other() const {  // what is left when work_left's usual case fails
  bool workers_coming = params_.workers.arrival_rate_per_hour > 0 &&
                        static_cast<std::int64_t>(workers_.size()) < params_.workers.max_total;
  bool batch_pending = kind_ == AssignmentKind::kBatch && batch_stale_ && !open_.empty() && !idle_.empty();
  return frees_pending_ > 0 || batch_pending || (open_leaves_ > 0 && (workers_coming || expiries_pending_ > 0));
}

void Platform::on_event(const sim::Event& e) { dispatch<false>(e); }

template <bool Simple>
inline void Platform::Dispatcher<Simple>::on_event(const sim::Event& e) {
  platform.dispatch<Simple>(e);
}

template <bool Simple>
inline void Platform::dispatch(const sim::Event& e) {
  switch (e.kind) {
    case kTaskArrival: {
      arrival_pending_ = false;
      const ArrivalParams& a = params_.tasks.arrival;
      std::int32_t type = a.process == ArrivalParams::Process::kTrace
                              ? (*a.trace)[static_cast<std::size_t>(arrived_top_)].type
                              : -1;
      if (arrive_top<Simple>(type)) schedule_task_arrival();
      break;
    }
    case kSubmit: on_submit<Simple>(static_cast<std::uint32_t>(e.target)); break;
    case kAbandon: on_abandon(static_cast<std::uint32_t>(e.target)); break;
    case kSlotReturn: slot_returned(e.target); break;
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
    case kWorkerFree:
      --frees_pending_;
      worker_free<Simple>(static_cast<std::uint32_t>(e.target));
      break;
  }
  // Money released by this event may publish tasks waiting for budget; here, not where it is
  // released, since publishing may move the task slots the handlers hold.
  if (!Simple && released_) {
    released_ = false;
    if (!backlog_.empty()) publish_backlog();
  }
  if (!work_left()) sim_.stop();
}

}  // namespace crowdsim::models
