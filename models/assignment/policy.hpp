#pragma once
/// \file Assignment policies: who does which task. Three kinds share one interface:
///  - push: the platform asks twice, when a task has an open slot (choose a worker) and when a
///    worker becomes free (choose a task);
///  - batch: every `batch_interval()` seconds the platform hands over all open slots and idle
///    workers at once and assigns the pairs `match` returns;
///  - pull: workers choose for themselves: each idle worker, longest idle first, is asked to
///    pick among the open tasks (`choose_task`) whenever the board changes.
/// Learning policies hear every informative review through `on_review`. A policy reads the
/// platform only through PlatformView (models/view.hpp): tasks, workers, the clock, parameters.

#include <cstdint>
#include <vector>

#include "models/index_list.hpp"
#include "models/registry.hpp"
#include "models/view.hpp"
#include "sim/rng.hpp"

namespace crowdsim::models {

enum class AssignmentKind { kPush, kBatch, kPull };

/// One assignment a batch policy makes: a slot of `task` to `worker`.
struct Match {
  std::uint32_t task, worker;
};

/// Matches open task slots with idle workers, reading the platform through its read-only view
/// (models/view.hpp). Hooks must only return pairs PlatformView::eligible
/// accepts (a worker never holds two slots of one task nor answers it twice); the platform checks and throws
/// std::logic_error naming the policy otherwise.
class AssignmentPolicy {
 public:
  virtual ~AssignmentPolicy() = default;
  virtual AssignmentKind kind() const { return AssignmentKind::kPush; }
  /// Push: an idle worker for an open slot of `task`, or kNone to leave the slot open.
  virtual std::uint32_t choose_worker(const PlatformView&, std::uint32_t /*task*/, sim::Stream&) { return kNone; }
  /// Push and pull: an open task for the idle worker `worker`, or kNone to leave it idle.
  virtual std::uint32_t choose_task(const PlatformView&, std::uint32_t /*worker*/, sim::Stream&) { return kNone; }
  /// Batch: seconds between matchings.
  virtual double batch_interval() const { return 0.0; }
  /// Batch: pairs to assign now, appended to `out` (each idle worker at most once, a task at
  /// most as often as it has open slots).
  virtual void match(const PlatformView&, sim::Stream&, std::vector<Match>& /*out*/) {}
  /// `worker`'s answer to `task` was reviewed r in [0, 1] (only reviews that assess the answer:
  /// gold questions, agreement, exact or noisy review).
  virtual void on_review(const PlatformView&, std::uint32_t /*task*/, std::uint32_t /*worker*/, double /*r*/) {}
};


}  // namespace crowdsim::models
