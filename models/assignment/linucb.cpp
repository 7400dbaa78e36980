#include <optional>

#include "models/assignment/bandit.hpp"
#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// Contextual bandit: workers are the arms, the task is the context (a constant, its ease
/// 1/difficulty, one indicator per task type), reviews are the rewards. Work-conserving like the
/// other bandits: it chooses among idle workers; a free worker takes the oldest task.
class LinUcbPolicy final : public AssignmentPolicy {
 public:
  LinUcbPolicy(double alpha, std::size_t candidates) : alpha_(alpha), limit_(candidates) {}
  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream&) override {
    context(p, task);
    return best_worker(p, task, [&](std::uint32_t w) { return model_->bound(w, x_.data()); }, limit_);
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    return oldest_task(p, worker);
  }
  void on_review(const PlatformView& p, std::uint32_t task, std::uint32_t worker, double r) override {
    context(p, task);
    model_->update(worker, x_.data(), r);
  }

 private:
  // The context's size depends on the scenario's task types: the model is made on first use.
  void context(const PlatformView& p, std::uint32_t task) {
    if (!model_) {
      model_.emplace(2 + p.params().tasks.types.size(), alpha_);
      x_.resize(model_->dim());
    }
    const TaskView& t = p.task(task);
    std::fill(x_.begin(), x_.end(), 0.0);
    x_[0] = 1.0;
    x_[1] = std::isfinite(t.difficulty) && t.difficulty > 0 ? 1.0 / t.difficulty : 1.0;
    x_[2 + static_cast<std::size_t>(t.type)] = 1.0;
  }
  double alpha_;
  std::size_t limit_;
  std::optional<LinUcb> model_;
  std::vector<double> x_;
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add(
      {"linucb", "push: contextual bandit over workers (disjoint LinUCB on task type and difficulty)",
       {sim::number("alpha", 1.0, sim::Bounds::non_negative(), "width of the confidence bonus (alpha sqrt(x' A^-1 x))"),
        candidates_param()},
       [](const sim::Params& p) { return std::make_unique<LinUcbPolicy>(p.number("alpha"), read_candidates(p)); }});
}

}  // namespace crowdsim::models
