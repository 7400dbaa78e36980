// The worker side of the platform: arrivals, strategic participation, deviations, serving,
// departures. The task side is in the other files of models/platform/.
#include <algorithm>
#include <cmath>

#include "models/platform.hpp"

#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"
#include "models/platform/internal.hpp"

namespace crowdsim::models {

using namespace platform_impl;

// A planning worker (strategic or fixed group) gets its strategy for each leaf task type; a
// strategic one takes a type when its own expected utility at that strategy is positive
// (threshold), or with the logit probability of it; a fixed one takes every type.
void Platform::decide_participation(std::uint32_t worker) {
  WorkerState& w = workers_[worker];
  const BehaviorParams& b = params_.workers.groups[static_cast<std::size_t>(w.group)].behavior;
  sim::Stream s = stream(kChoicePurpose, worker);
  const auto& types = params_.tasks.types;
  w.strategies.assign(types.size(), kNone);
  for (std::size_t t = 0; t < types.size(); ++t) {
    if (types[t].decompose.into >= 0) {  // a parent takes no answers
      w.accepts.push_back(1);
      continue;
    }
    auto type = static_cast<std::int32_t>(t);
    Traits own{w.speed, mean_accuracy(w, t, static_cast<std::size_t>(types[t].classes)), w.reservation_wage};
    std::uint32_t k = book_->assign(w.group, type, own);
    w.strategies[t] = k;
    bool take = true;
    if (b.strategic()) {
      const Decision& d = book_->entries()[k].decision;
      double p = take_probability(b, book_->evaluate(w.group, type, own, d.effort, d.delay).utility);
      take = b.logit ? s.uniform01() < p : p > 0;  // the logit choice draws from the worker's stream
    }
    w.accepts.push_back(take ? 1 : 0);
  }
}

// crowdsim deviations: if `worker` deviates, its planned (effort, delay) for a task of type
// `type` becomes the deviation's (within a strategic group's effort range), and the gain the
// model expects from that is counted (computed once per worker and type).
void Platform::deviate(std::uint32_t worker, std::int32_t type, double& effort, double& delay) {
  const Deviation& d = params_.deviation;
  const WorkerState& w = workers_[worker];
  bool one = d.worker != Deviation::kWholeGroup;
  if (one && static_cast<std::int64_t>(worker) != (d.worker == Deviation::kFirstWorker ? deviator_ : d.worker)) return;
  const BehaviorParams& b = params_.workers.groups[static_cast<std::size_t>(w.group)].behavior;
  double planned_effort = effort, planned_delay = delay;
  effort *= d.effort_factor;
  if (b.strategic()) effort = std::clamp(effort, b.effort_min, b.effort_max);
  delay = std::max(0.0, delay + d.delay_shift);
  std::uint64_t key = static_cast<std::uint64_t>(worker) << 32 | static_cast<std::uint32_t>(type);
  auto it = deviation_gain_.find(key);
  if (it == deviation_gain_.end()) {
    const TaskType& tt = params_.tasks.types[static_cast<std::size_t>(type)];
    Traits own{w.speed, mean_accuracy(w, static_cast<std::size_t>(type), static_cast<std::size_t>(tt.classes)),
               w.reservation_wage};
    double planned = book_->evaluate(w.group, type, own, planned_effort, planned_delay).utility;
    double expected = book_->evaluate(w.group, type, own, effort, delay).utility - planned;
    it = deviation_gain_.emplace(key, std::pair{expected, planned}).first;
  }
  deviation_gain_sum_ += it->second.first;
  deviation_utility_sum_ += it->second.second;
  ++deviation_assignments_;
}

// ---- Workers -----------------------------------------------------------------------------

void Platform::add_worker(bool serve) {
  auto id = static_cast<std::uint32_t>(workers_.size());
  workers_.push_back(draw_worker(params_.workers, params_.tasks.types, now(), stream(kWorkerPurpose, id),
                                 stream(kWorkPurpose, id)));
  point_at(tasks_, workers_);  // the policies' view follows the vector
  working_on_.push_back(kNone);
  if (params_.review.model == ReviewParams::Model::kNoisy) review_noise_.push_back(stream(kReviewPurpose, id));
  WorkerState& w = workers_.back();
  w.rep_alpha = params_.review.prior_alpha;
  w.rep_beta = params_.review.prior_beta;
  ++online_;
  if (params_.workers.groups[static_cast<std::size_t>(w.group)].behavior.plans()) decide_participation(id);
  // The deviating worker (kFirstWorker): the group's first worker who takes some kind of task,
  // or, in an entry run, who stays out of some kind.
  const Deviation& d = params_.deviation;
  if (w.group == d.group) {
    bool some = std::find(w.accepts.begin(), w.accepts.end(), d.enter ? 0 : 1) != w.accepts.end();
    if (deviator_ < 0 && (some || (w.accepts.empty() && !d.enter))) deviator_ = id;
    bool deviates = d.worker == Deviation::kWholeGroup ||
                    static_cast<std::int64_t>(id) == (d.worker == Deviation::kFirstWorker ? deviator_ : d.worker);
    if (d.enter && deviates)  // an entry run's deviator also takes the types it stays out of
      for (std::uint8_t& a : w.accepts)
        if (a == 0) a = kEntered;
  }
  if (std::isfinite(w.session_end)) sim_.schedule_at(w.session_end, kSessionEnd, id);
  if (serve) serve_worker(id);
  else idle_.push_back(id);
}

// An available worker takes a task the policy picks for it, or waits in the idle list.
template <bool Simple>
void Platform::serve_worker(std::uint32_t worker) {
  if (kind_ == AssignmentKind::kBatch) {  // it waits for the next matching
    idle_.push_back(worker);
    batch_stale_ = true;
    return;
  }
  std::uint32_t t = open_.empty() ? kNone : assignment_->choose_task(*this, worker, policy_rng_);
  if (t != kNone) assign<Simple>(t, worker);
  else idle_.push_back(worker);
}

// A worker finished or abandoned an assignment: it leaves if its session is over, else it looks
// for more work (idle until it finds some).
template <bool Simple>
void Platform::worker_free(std::uint32_t worker) {
  WorkerState& w = workers_[worker];
  w.busy = false;
  --busy_;
  if (w.leaving || w.tasks_done >= params_.workers.max_tasks) {
    depart(worker);
    return;
  }
  serve_worker<Simple>(worker);
}

template void Platform::serve_worker<false>(std::uint32_t worker);
template void Platform::serve_worker<true>(std::uint32_t worker);
template void Platform::worker_free<false>(std::uint32_t worker);
template void Platform::worker_free<true>(std::uint32_t worker);

void Platform::depart(std::uint32_t worker) {
  WorkerState& w = workers_[worker];
  w.online = false;
  w.departed = now();
  if (idle_.contains(worker)) idle_.erase(worker);
  --online_;
  // Its row is final once its contests have paid it: until then it waits (the prizes come at
  // their close), and what is still unpaid when the run ends is written with the online workers.
  if (w.held == 0) recorder_.worker(worker_record(worker));
}

WorkerRecord Platform::worker_record(std::uint32_t worker) const {
  const WorkerState& w = workers_[worker];
  const TaskType& t0 = params_.tasks.types[0];
  return WorkerRecord{worker, w.group, w.arrived, w.online ? kNaN : w.departed,
                      mean_accuracy(w, 0, static_cast<std::size_t>(t0.classes)), w.speed, w.reservation_wage,
                      w.tasks_done, w.abandoned, w.earnings, w.utility, w.busy_time, w.reputation()};
}

}  // namespace crowdsim::models
