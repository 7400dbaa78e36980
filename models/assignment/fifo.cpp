#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// First come, first served on both sides: tasks in publication order, workers in the order
/// they became idle. Skips only pairs the platform forbids (a worker's second slot of a task).
class Fifo final : public AssignmentPolicy {
 public:
  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream&) override {
    return longest_idle_worker(p, task);
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    return oldest_task(p, worker);
  }
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add("fifo", "push: first come, first served (oldest open task, longest-idle worker)",
                            [] { return std::make_unique<Fifo>(); });
}

}  // namespace crowdsim::models
