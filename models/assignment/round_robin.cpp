#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// Workers take turns by id: a slot goes to the first idle eligible worker after the one served
/// last (cyclically), whatever their idle order. A free worker takes the oldest task it may.
class RoundRobin final : public AssignmentPolicy {
 public:
  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream&) override {
    // Ids after the last served come first (score below 0), then the wrap-around; smaller is sooner.
    std::uint32_t w = best_worker(p, task, [&](std::uint32_t i) {
      return i > last_ ? -static_cast<double>(i - last_) : -static_cast<double>(i) - 4294967296.0;
    });
    if (w != kNone) last_ = w;
    return w;
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    std::uint32_t t = oldest_task(p, worker);
    if (t != kNone) last_ = worker;
    return t;
  }

 private:
  std::uint32_t last_ = kNone;  // kNone: nobody served yet, so id 0 comes first
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add("round_robin", "push: workers take turns in id order, cyclically; the oldest open task",
                            [] { return std::make_unique<RoundRobin>(); });
}

}  // namespace crowdsim::models
