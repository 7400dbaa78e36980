#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// Greedy on estimated skill: each worker's accuracy per task type is learned from its reviews
/// (Beta(1, 1) prior); a slot goes to the idle worker most likely to answer it well, and a free
/// worker takes the open task it is most likely to answer well (oldest on ties). No exploration:
/// a worker whose first reviews were bad is passed over while better ones are idle.
class GreedySkill final : public AssignmentPolicy {
 public:
  explicit GreedySkill(std::size_t candidates) : limit_(candidates) {}
  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream&) override {
    return best_worker(p, task, [&](std::uint32_t w) { return est_.success(p, task, w); }, limit_);
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    return best_task(p, worker, [&](std::uint32_t t) { return est_.success(p, t, worker); }, limit_);
  }
  void on_review(const PlatformView& p, std::uint32_t task, std::uint32_t worker, double r) override {
    est_.update(p, task, worker, r);
  }

 private:
  std::size_t limit_;
  SkillEstimates est_;
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add(
      {"greedy_skill", "push: the idle worker with the best estimated accuracy on the task's type (learned from reviews)",
       {candidates_param()},
       [](const sim::Params& p) { return std::make_unique<GreedySkill>(read_candidates(p)); }});
}

}  // namespace crowdsim::models
