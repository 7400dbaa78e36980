#pragma once
/// \file What assignment policies share: scanning the idle workers or open tasks for the best
/// eligible one, the per-type skill estimates learned from reviews, and the task features
/// (estimated success, pay rate) several policies score by.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "models/index_list.hpp"
#include "models/view.hpp"
#include "sim/params.hpp"

namespace crowdsim::models {

/// No limit on the candidates a policy scores.
inline constexpr std::size_t kAllCandidates = std::numeric_limits<std::size_t>::max();

/// A scoring policy's `candidates` option: score only the first n eligible workers (longest
/// idle) or tasks (oldest), so a choice costs O(n) however large the pool. Default: all.
inline sim::Param candidates_param() {
  return sim::optional_integer("candidates", 1, 1'000'000'000,
                               "score only the first n eligible workers (longest idle) or tasks (oldest); absent: all");
}
inline std::size_t read_candidates(const sim::Params& p) {
  return p.has("candidates") ? static_cast<std::size_t>(p.integer("candidates")) : kAllCandidates;
}

/// The eligible member of `list` with the highest `score(i)` among its first `limit` eligible
/// members; ties go to the oldest. kNone when none is eligible or every score is -inf.
template <class Eligible, class Score>
std::uint32_t best_in(const IndexList& list, Eligible eligible, Score score, std::size_t limit = kAllCandidates) {
  std::uint32_t best = kNone;
  double top = -std::numeric_limits<double>::infinity();
  std::size_t seen = 0;
  for (std::uint32_t i = list.front(); i != kNone && seen < limit; i = list.next(i)) {
    if (!eligible(i)) continue;
    ++seen;
    double s = score(i);
    if (s > top) best = i, top = s;
  }
  return best;
}

/// The first (oldest) eligible member of `list`, or kNone; stops at the first.
template <class Eligible>
std::uint32_t first_in(const IndexList& list, Eligible eligible) {
  for (std::uint32_t i = list.front(); i != kNone; i = list.next(i))
    if (eligible(i)) return i;
  return kNone;
}

/// The idle worker eligible for `task` with the highest score (longest idle on ties).
template <class Score>
std::uint32_t best_worker(const PlatformView& p, std::uint32_t task, Score score, std::size_t limit = kAllCandidates) {
  return best_in(p.idle_workers(), [&](std::uint32_t w) { return p.eligible(task, w); }, score, limit);
}

/// The open task `worker` may take with the highest score (oldest on ties).
template <class Score>
std::uint32_t best_task(const PlatformView& p, std::uint32_t worker, Score score, std::size_t limit = kAllCandidates) {
  return best_in(p.open_tasks(), [&](std::uint32_t t) { return p.eligible(t, worker); }, score, limit);
}

/// The oldest open task `worker` may take.
inline std::uint32_t oldest_task(const PlatformView& p, std::uint32_t worker) {
  return first_in(p.open_tasks(), [&](std::uint32_t t) { return p.eligible(t, worker); });
}

/// The longest-idle worker eligible for `task`.
inline std::uint32_t longest_idle_worker(const PlatformView& p, std::uint32_t task) {
  return first_in(p.idle_workers(), [&](std::uint32_t w) { return p.eligible(task, w); });
}

/// Pay per expected second of work: bounty / (T · difficulty).
inline double pay_rate(const PlatformView& p, std::uint32_t task) {
  const TaskView& t = p.task(task);
  const TaskType& tt = p.params().tasks.types[static_cast<std::size_t>(t.type)];
  double d = std::isfinite(t.difficulty) && t.difficulty > 0 ? t.difficulty : 1.0;
  return tt.bounty / (tt.expected_duration * d);
}

/// The platform's answer model for one task: a worker of accuracy a answers it well with
/// probability chance + (a − chance) / difficulty, within [0, 1].
struct AnswerModel {
  double chance;      ///< 1/K for a labelling task, 0 for a continuous one
  double difficulty;  ///< the task's true difficulty (TaskView), 1 when it has none (not finite or not positive)
  static AnswerModel of(const PlatformView& p, std::uint32_t task) {
    const TaskView& t = p.task(task);
    const TaskType& tt = p.params().tasks.types[static_cast<std::size_t>(t.type)];
    return {tt.labelled ? 1.0 / tt.classes : 0.0, std::isfinite(t.difficulty) && t.difficulty > 0 ? t.difficulty : 1.0};
  }
  double success(double accuracy) const { return std::clamp(chance + (accuracy - chance) / difficulty, 0.0, 1.0); }
};

/// Each worker's accuracy on each task type as the platform learns it from reviews: a
/// Beta(1, 1) prior updated by r and 1 − r. Workers never reviewed score the prior mean 1/2.
class SkillEstimates {
 public:
  /// Posterior mean accuracy of `worker` on type `type`.
  double mean(const PlatformView& p, std::uint32_t worker, std::int32_t type) const {
    std::size_t i = index(p, worker, type);
    return i < a_.size() ? (1.0 + a_[i]) / (2.0 + a_[i] + b_[i]) : 0.5;
  }
  /// Reviews of `worker` on type `type` so far (fractional counts).
  double reviews(const PlatformView& p, std::uint32_t worker, std::int32_t type) const {
    std::size_t i = index(p, worker, type);
    return i < a_.size() ? a_[i] + b_[i] : 0.0;
  }
  void update(const PlatformView& p, std::uint32_t task, std::uint32_t worker, double r) {
    std::size_t i = index(p, worker, p.task(task).type);
    if (i >= a_.size()) a_.resize(i + 1, 0.0), b_.resize(i + 1, 0.0);
    a_[i] += r;
    b_[i] += 1.0 - r;
  }
  /// Estimated probability that `worker` answers `task` well: the platform's answer model
  /// (chance + (accuracy − chance) / difficulty) at the estimated accuracy.
  double success(const PlatformView& p, std::uint32_t task, std::uint32_t worker) const {
    return AnswerModel::of(p, task).success(mean(p, worker, p.task(task).type));
  }
  /// The index of (worker, type) in per-(worker, type) arrays: worker · types + type.
  static std::size_t index(const PlatformView& p, std::uint32_t worker, std::int32_t type) {
    return static_cast<std::size_t>(worker) * p.params().tasks.types.size() + static_cast<std::size_t>(type);
  }
  /// Entries (worker, type) so far: index() of each one updated is below it, and every other
  /// entry below it holds the prior (no reviews).
  std::size_t size() const { return a_.size(); }

 private:
  std::vector<double> a_, b_;  // summed r and 1 - r per (worker, type)
};

}  // namespace crowdsim::models
