#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// First come, first served on both sides: tasks in publication order, workers in the order
/// they became idle. Skips only pairs the platform forbids (a worker's second slot of a task).
class Fifo final : public AssignmentPolicy {
 public:
  std::uint32_t choose_worker(const Platform& p, std::uint32_t task, sim::Stream&) override {
    return longest_idle_worker(p, task);
  }
  std::uint32_t choose_task(const Platform& p, std::uint32_t worker, sim::Stream&) override {
    return oldest_task(p, worker);
  }
};

}  // namespace

void register_fifo(AssignmentRegistry& r) {
  r.add("fifo", "push: first come, first served (oldest open task, longest-idle worker)",
        [](const sim::Config&) { return std::make_unique<Fifo>(); });
}

}  // namespace crowdsim::models
