#include "models/assignment/policy.hpp"
#include "models/view.hpp"

namespace crowdsim::models {
namespace {

// Uniform choice among the eligible members of `list` by reservoir sampling: one pass, no copy.
template <class Eligible>
std::uint32_t pick_uniform(const IndexList& list, Eligible eligible, sim::Stream& rng) {
  std::uint32_t chosen = kNone;
  std::uint32_t seen = 0;
  for (std::uint32_t i = list.front(); i != kNone; i = list.next(i)) {
    if (!eligible(i)) continue;
    ++seen;
    if (rng.uniform01() * seen < 1.0) chosen = i;
  }
  return chosen;
}

/// A uniformly random eligible worker for a task, a uniformly random eligible task for a worker.
class Random final : public AssignmentPolicy {
 public:
  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream& rng) override {
    return pick_uniform(p.idle_workers(), [&](std::uint32_t w) { return p.eligible(task, w); }, rng);
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream& rng) override {
    return pick_uniform(p.open_tasks(), [&](std::uint32_t t) { return p.eligible(t, worker); }, rng);
  }
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add("random", "push: uniformly random eligible worker for a task, or task for an idle worker",
                            [] { return std::make_unique<Random>(); });
}

}  // namespace crowdsim::models
