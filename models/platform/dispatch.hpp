#pragma once
/// \file Private to the implementation of Platform: dispatch_task, defined here so that each of
/// its callers (a task published, a slot returned) takes it in. Every task passes through it:
/// as a call it was about 1.4% of the M/M/c scenario's instructions (docs/performance.md).

#include <cstdint>

#include "models/assignment/policy.hpp"
#include "models/platform.hpp"

namespace crowdsim::models {

// A task has a new open slot. Push: the policy chooses a worker for it; pull: the idle workers
// look at the board again; batch: it waits for the next matching.
inline void Platform::dispatch_task(std::uint32_t task) {
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

}  // namespace crowdsim::models
