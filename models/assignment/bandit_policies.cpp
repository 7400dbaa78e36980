#include "models/assignment/bandit.hpp"
#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// Workers are the arms and a review is the reward: a slot goes to the idle eligible worker the
/// bandit plays. Work-conserving: a free worker always takes the oldest task it may, so the
/// bandit chooses only when several workers are idle (as it must when tasks outnumber them).
class BanditPolicy final : public AssignmentPolicy {
 public:
  BanditPolicy(std::unique_ptr<Bandit> b, std::size_t candidates) : bandit_(std::move(b)), limit_(candidates) {}
  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream& rng) override {
    arms_.clear();
    for (std::uint32_t w = p.idle_workers().front(); w != kNone && arms_.size() < limit_; w = p.idle_workers().next(w))
      if (p.eligible(task, w)) arms_.push_back(w);
    return arms_.empty() ? kNone : bandit_->choose(arms_, rng);
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    return oldest_task(p, worker);
  }
  void on_review(const PlatformView&, std::uint32_t, std::uint32_t worker, double r) override {
    bandit_->update(worker, r);
  }

 private:
  std::unique_ptr<Bandit> bandit_;
  std::size_t limit_;
  std::vector<std::uint32_t> arms_;
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add(
      {"epsilon_greedy", "push: bandit over workers, the best mean review, a random idle worker with probability epsilon",
       {sim::number("epsilon", 0.1, sim::Bounds::probability(), "probability of a random idle worker (exploration)"),
        candidates_param()},
       [](const sim::Params& p) {
         return std::make_unique<BanditPolicy>(make_epsilon_greedy(p.number("epsilon")), read_candidates(p));
       }});
  assignment_policies().add(
      {"ucb", "push: bandit over workers, UCB1 on reviews (mean + c sqrt(2 ln N / n))",
       {sim::number("c", 1.0, sim::Bounds::non_negative(), "weight of the exploration bonus"), candidates_param()},
       [](const sim::Params& p) { return std::make_unique<BanditPolicy>(make_ucb(p.number("c")), read_candidates(p)); }});
  assignment_policies().add(
      {"thompson", "push: bandit over workers, Thompson sampling from Beta posteriors of reviews", {candidates_param()},
       [](const sim::Params& p) { return std::make_unique<BanditPolicy>(make_thompson(), read_candidates(p)); }});
}

}  // namespace crowdsim::models
