#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// Spreads work evenly: a slot goes to the idle eligible worker with the fewest assignments so
/// far (submitted or abandoned; longest idle on ties). A free worker takes the oldest task.
class LeastLoaded final : public AssignmentPolicy {
 public:
  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream&) override {
    return best_worker(p, task, [&](std::uint32_t w) {
      return -static_cast<double>(p.worker(w).tasks_done + p.worker(w).abandoned);
    });
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    return oldest_task(p, worker);
  }
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add("least_loaded", "push: the idle worker with the fewest assignments so far; the oldest open task",
                            [] { return std::make_unique<LeastLoaded>(); });
}

}  // namespace crowdsim::models
