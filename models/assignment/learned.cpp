#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

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

  // The task's part of the features is computed once per choice, the worker's estimates are
  // read from `cache_`: a choice scores `candidates` workers, and log1p per candidate was a
  // fifth of large.json's instructions (docs/performance.md).
  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream& rng) override {
    if (rng.uniform01() < epsilon_) return best_worker(p, task, [&](std::uint32_t) { return rng.uniform01(); }, limit_);
    cover(p);
    const TaskPart t = task_part(p, task);
    if (t.id != epoch_task_) epoch_task_ = t.id, ++epoch_;
    return best_worker(p, task, [&](std::uint32_t w) { return remembered_score(p, t, w); }, limit_);
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    cover(p);
    return best_task(p, worker, [&](std::uint32_t t) { return score(p, task_part(p, t), worker); }, limit_);
  }
  void on_review(const PlatformView& p, std::uint32_t task, std::uint32_t worker, double r) override {
    cover(p);
    const TaskPart t = task_part(p, task);
    auto x = features(p, t, worker);  // before the estimates learn from this review
    model_.update(x.data(), r);
    est_.update(p, task, worker, r);
    ++epoch_;
    cache_[SkillEstimates::index(p, worker, t.type)] = {est_.mean(p, worker, t.type), std::log1p(est_.reviews(p, worker, t.type)) / 4.0};
  }

 private:
  // What the features take from the task.
  struct TaskPart {
    std::int64_t id;
    std::int32_t type;
    std::size_t types;  // task types in the run: the stride of the cache
    AnswerModel answers;
    double ease;  // 1 / difficulty (1 without one)
  };
  // A worker's estimates on a task type: the estimated accuracy, and log1p(reviews) / 4 (its
  // feature). Changed only by reviews; the prior's until the first.
  struct Estimates {
    double mean = 0.5, reviews = 0.0;
  };

  // Makes the cache hold every (worker, type) there is, so that reading it needs no check.
  void cover(const PlatformView& p) {
    if (last_.size() < p.workers_seen()) {
      last_.resize(p.workers_seen());
      cache_.resize(p.workers_seen() * p.params().tasks.types.size());
    }
  }
  static TaskPart task_part(const PlatformView& p, std::uint32_t task) {
    AnswerModel a = AnswerModel::of(p, task);
    const TaskView& t = p.task(task);
    return {t.id, t.type, p.params().tasks.types.size(), a, 1.0 / a.difficulty};
  }
  // Features: a constant, the worker's estimated accuracy on the task's type (Beta posterior
  // from its reviews) and how many reviews back it, its reputation, the task's ease and the
  // estimated success under the answer model.
  std::array<double, kDim> features(const PlatformView& p, const TaskPart& t, std::uint32_t worker) const {
    std::size_t i = static_cast<std::size_t>(worker) * t.types + static_cast<std::size_t>(t.type);
    const Estimates e = cache_[i];
    return {1.0,
            e.mean - 0.5,
            e.reviews,
            p.worker(worker).reputation() - 0.5,
            t.ease - 1.0,
            t.answers.success(e.mean) - 0.5};
  }
  // Candidates are ranked by the log-odds θ·x: the same order as p, without an exponential.
  double score(const PlatformView& p, const TaskPart& t, std::uint32_t worker) const {
    auto x = features(p, t, worker);
    return model_.logit<kDim>(x.data());
  }
  // score(), or the worker's last score when nothing it depends on has changed since: the
  // same epoch (the same task, and no review since: θ and the estimates change only in
  // on_review) and the same reputation, bit for bit (reviews the policy is not told of may
  // move it too). The slots of a task are offered one after another to mostly the same
  // candidates, so two scores in three are found here.
  double remembered_score(const PlatformView& p, const TaskPart& t, std::uint32_t worker) {
    Last& m = last_[worker];
    const WorkerView& w = p.worker(worker);
    const std::uint64_t a = bits(w.rep_alpha), b = bits(w.rep_beta);
    if (m.epoch != epoch_ || m.rep_alpha != a || m.rep_beta != b) m = {epoch_, a, b, score(p, t, worker)};
    return m.score;
  }
  static std::uint64_t bits(double x) {
    std::uint64_t u;
    std::memcpy(&u, &x, sizeof u);
    return u;
  }
  // A worker's last score, and what it was computed from.
  struct Last {
    std::uint64_t epoch = 0;  // never epoch_ (which starts at 1 with the first choice)
    std::uint64_t rep_alpha = 0, rep_beta = 0;
    double score = 0.0;
  };

  OnlineLogistic model_;
  SkillEstimates est_;
  std::vector<Estimates> cache_;  // per (worker, type), as SkillEstimates::index
  std::vector<Last> last_;        // per worker
  // Moves on at every review and whenever a choice is for another task than the last one.
  std::uint64_t epoch_ = 0;
  std::int64_t epoch_task_ = -1;
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
