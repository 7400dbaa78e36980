#include <algorithm>

#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// Workers browse the open tasks and take the best paid per expected second of work
/// (bounty / (T · difficulty)); the oldest among equals.
class PullPayRate final : public AssignmentPolicy {
 public:
  AssignmentKind kind() const override { return AssignmentKind::kPull; }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    return best_task(p, worker, [&](std::uint32_t t) { return pay_rate(p, t); });
  }
};

/// The platform recommends to each worker the n open tasks it is most likely to answer well
/// (estimated skill on the task's type, learned from reviews; oldest first among equals); the
/// worker takes the best paid of them.
class RecommendTopN final : public AssignmentPolicy {
 public:
  explicit RecommendTopN(std::size_t n) : n_(n) {}
  AssignmentKind kind() const override { return AssignmentKind::kPull; }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    shown_.clear();
    std::size_t age = 0;
    for (std::uint32_t t = p.open_tasks().front(); t != kNone; t = p.open_tasks().next(t), ++age)
      if (p.eligible(t, worker)) shown_.push_back(Ranked{est_.success(p, t, worker), age, t});
    std::size_t k = std::min(n_, shown_.size());
    std::partial_sort(shown_.begin(), shown_.begin() + static_cast<std::ptrdiff_t>(k), shown_.end(),
                      [](const Ranked& a, const Ranked& b) { return a.score > b.score || (a.score == b.score && a.age < b.age); });
    std::uint32_t pick = kNone;
    double rate = -1;
    for (std::size_t i = 0; i < k; ++i)  // in rank order, so the better match wins a pay tie
      if (double r = pay_rate(p, shown_[i].task); r > rate) rate = r, pick = shown_[i].task;
    return pick;
  }
  void on_review(const PlatformView& p, std::uint32_t task, std::uint32_t worker, double r) override {
    est_.update(p, task, worker, r);
  }

 private:
  struct Ranked {
    double score;
    std::size_t age;
    std::uint32_t task;
  };
  std::size_t n_;
  SkillEstimates est_;
  std::vector<Ranked> shown_;
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add("pull_pay_rate", "pull: each worker takes the open task with the best pay per expected second",
                            [] { return std::make_unique<PullPayRate>(); });
  assignment_policies().add(
      {"recommend_top_n", "pull: each worker is shown the n tasks it is estimated best at and takes the best paid",
       {sim::integer("n", 5, 1, 1000000, "tasks shown to each worker")},
       [](const sim::Params& p) { return std::make_unique<RecommendTopN>(static_cast<std::size_t>(p.integer("n"))); }});
}

}  // namespace crowdsim::models
