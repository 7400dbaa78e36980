#pragma once
/// \file Private to the implementation of Platform: steps every task takes that are called from
/// more than one of its files, defined here so that each caller takes them in (as calls they
/// were a measurable share of the M/M/c scenario's instructions; docs/performance.md).

#include <cmath>
#include <cstdint>

#include "models/assignment/policy.hpp"
#include "models/platform.hpp"

namespace crowdsim::models {

// The next top-level arrival, on the arrival timer (none once every task has arrived).
inline void Platform::schedule_task_arrival() {
  const ArrivalParams& a = params_.tasks.arrival;
  if (arrived_top_ >= params_.tasks.count) return;
  double t = now();
  using P = ArrivalParams::Process;
  if (a.process == P::kPoisson) t += arrivals_.exponential(arrival_gap_);
  else if (a.process == P::kNhpp) t = next_nhpp_arrival(t);
  else if (a.process == P::kTrace) t = (*a.trace)[static_cast<std::size_t>(arrived_top_)].time;
  if (!std::isfinite(t)) return;  // a rate so small that the next arrival never comes
  sim_.set_timer_at(arrival_timer_, t, kTaskArrival, 0);
  arrival_pending_ = true;
}

// A task has a new open slot. Push: the policy chooses a worker for it; pull: the idle workers
// look at the board again; batch: it waits for the next matching.
template <bool Simple>
inline void Platform::dispatch_task(std::uint32_t task) {
  switch (kind_) {
    case AssignmentKind::kPush:
      while (tasks_[task].open_slots > 0 && !idle_.empty()) {
        std::uint32_t w = assignment_->choose_worker(*this, task, policy_rng_);
        if (w == kNone) break;
        assign<Simple>(task, w);
      }
      break;
    case AssignmentKind::kPull: offer_to_idle(); break;
    case AssignmentKind::kBatch: batch_stale_ = true; break;
  }
}

}  // namespace crowdsim::models
