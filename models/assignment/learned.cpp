#include <array>

#include "models/assignment/choice.hpp"
#include "models/assignment/logistic.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// Learned matching: an online logistic regression of the probability that a worker's answer to
/// a task is reviewed good, p = σ(θ·x(task, worker)), trained by SGD on every informative review
/// (the review r is the soft label). Features: a constant, the worker's estimated accuracy on the
/// task's type (Beta posterior from its reviews) and how many reviews back it, its reputation,
/// the task's ease 1/difficulty, and the estimated success under the answer model. A slot goes
/// to the idle worker with the highest p, or with probability epsilon to a random one
/// (exploration); a free worker takes the open task where it has the highest p.
class Learned final : public AssignmentPolicy {
 public:
  static constexpr std::size_t kDim = 6;
  Learned(double rate, double l2, double epsilon, std::size_t candidates)
      : model_(kDim, rate, l2), epsilon_(epsilon), limit_(candidates) {}

  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream& rng) override {
    bool explore = rng.uniform01() < epsilon_;
    return best_worker(p, task, [&](std::uint32_t w) { return explore ? rng.uniform01() : predict(p, task, w); }, limit_);
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    return best_task(p, worker, [&](std::uint32_t t) { return predict(p, t, worker); }, limit_);
  }
  void on_review(const PlatformView& p, std::uint32_t task, std::uint32_t worker, double r) override {
    auto x = features(p, task, worker);  // before the estimates learn from this review
    model_.update(x.data(), r);
    est_.update(p, task, worker, r);
  }

 private:
  std::array<double, kDim> features(const PlatformView& p, std::uint32_t task, std::uint32_t worker) const {
    const TaskView& t = p.task(task);
    double ease = std::isfinite(t.difficulty) && t.difficulty > 0 ? 1.0 / t.difficulty : 1.0;
    return {1.0,
            est_.mean(p, worker, t.type) - 0.5,
            std::log1p(est_.reviews(p, worker, t.type)) / 4.0,
            p.worker(worker).reputation() - 0.5,
            ease - 1.0,
            est_.success(p, task, worker) - 0.5};
  }
  // Candidates are ranked by the log-odds θ·x: the same order as p, without an exponential.
  double predict(const PlatformView& p, std::uint32_t task, std::uint32_t worker) const {
    auto x = features(p, task, worker);
    return model_.logit(x.data());
  }
  OnlineLogistic model_;
  SkillEstimates est_;
  double epsilon_;
  std::size_t limit_;
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add(
      {"learned", "push: online logistic regression of success from task x worker features (SGD on reviews)",
       {sim::number("learning_rate", 0.05, sim::Bounds::positive(), "SGD step size"),
        sim::number("l2", 1e-4, sim::Bounds::non_negative(), "L2 penalty on the weights"),
        sim::number("epsilon", 0.05, sim::Bounds::probability(), "probability of a random eligible worker (exploration)"),
        candidates_param()},
       [](const sim::Params& p) {
         return std::make_unique<Learned>(p.number("learning_rate"), p.number("l2"), p.number("epsilon"),
                                          read_candidates(p));
       }});
}

}  // namespace crowdsim::models
