#pragma once
/// \file Assignment policies: who does which task. A push policy is asked twice: when a task has
/// an open slot (choose a worker) and when a worker becomes idle (choose a task).

#include <cstdint>

#include "models/registry.hpp"
#include "sim/rng.hpp"

namespace crowdsim::models {

class Platform;

/// Matches open task slots with idle workers. Both hooks must only return candidates that
/// Platform::eligible accepts (a worker never takes two slots of one task).
class AssignmentPolicy {
 public:
  virtual ~AssignmentPolicy() = default;
  /// An idle worker for an open slot of `task`, or kNone to leave the slot open.
  virtual std::uint32_t choose_worker(const Platform& p, std::uint32_t task, sim::Stream& rng) = 0;
  /// An open task for the idle worker `worker`, or kNone to leave it idle.
  virtual std::uint32_t choose_task(const Platform& p, std::uint32_t worker, sim::Stream& rng) = 0;
};

/// `fifo`: oldest open task first; the longest-idle worker first.
void register_fifo(AssignmentRegistry& r);
/// `random`: a uniformly random eligible worker or task.
void register_random(AssignmentRegistry& r);

}  // namespace crowdsim::models
