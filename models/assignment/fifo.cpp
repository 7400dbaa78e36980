#include "models/assignment/policy.hpp"
#include "models/platform.hpp"

namespace crowdsim::models {
namespace {

/// First come, first served on both sides: tasks in publication order, workers in the order
/// they became idle. Skips only pairs the platform forbids (a worker's second slot of a task).
class Fifo final : public AssignmentPolicy {
 public:
  std::uint32_t choose_worker(const Platform& p, std::uint32_t task, sim::Stream&) override {
    for (std::uint32_t w = p.idle_workers().front(); w != kNone; w = p.idle_workers().next(w))
      if (p.eligible(task, w)) return w;
    return kNone;
  }
  std::uint32_t choose_task(const Platform& p, std::uint32_t worker, sim::Stream&) override {
    for (std::uint32_t t = p.open_tasks().front(); t != kNone; t = p.open_tasks().next(t))
      if (p.eligible(t, worker)) return t;
    return kNone;
  }
};

}  // namespace

void register_fifo(AssignmentRegistry& r) {
  r.add("fifo", "first come, first served: oldest open task, longest-idle worker",
        [](const sim::Config&) { return std::make_unique<Fifo>(); });
}

}  // namespace crowdsim::models
