#pragma once
/// \file The law of one submission's review r ∈ [0, 1] as a worker sees it before working: a
/// mixture of point masses (exact reviews of a right or wrong answer, a reputation) and normals
/// clipped to [0, 1] (noisy reviews). Strategic workers integrate rewards over it, and contests
/// rank a submission against the law of its rivals' reviews.

#include <vector>

#include "models/behavior/quadrature.hpp"

namespace crowdsim::models {

/// A mixture of point masses and clipped normals on [0, 1].
class ReviewLaw {
 public:
  /// Adds mass `weight` at `value`.
  void point(double weight, double value);
  /// Adds mass `weight` of clip(N(mean, sd²), 0, 1) (sd > 0).
  void clipped_normal(double weight, double mean, double sd);
  /// Adds `other`'s components, scaled by `weight`.
  void add(const ReviewLaw& other, double weight);
  /// Total mass (1 for a law).
  double total() const;
  /// E[R].
  double mean() const;
  /// P(R < r).
  double below(double r) const;
  /// P(R = r): point masses at r, and the clipped tails when r is 0 or 1.
  double equal(double r) const;
  /// Appends nodes of R: each point mass as it is, each clipped normal by Gauss–Hermite nodes.
  void nodes(std::vector<Node>& out) const;
  bool empty() const { return parts_.empty(); }
  /// Removes every component (keeps the storage).
  void clear() { parts_.clear(); }

 private:
  struct Part {
    double weight, mean, sd;  // sd = 0: a point mass at `mean`
  };
  std::vector<Part> parts_;
};

/// The expected reward, under a contest policy (`pays_at_close`) with `rivals` rivals per task,
/// of a submission whose review has law `own` against rivals whose reviews are independent draws
/// of `rival`. Laws need nodes(), below() and equal(); `Policy` needs contest_reward().
template <class Policy, class OwnLaw, class RivalLaw>
double expected_contest_reward(const Policy& policy, double bounty, int rivals, const OwnLaw& own,
                               const RivalLaw& rival, std::vector<Node>& scratch) {
  scratch.clear();
  own.nodes(scratch);
  double sum = 0.0;
  for (const Node& n : scratch) sum += n.w * policy.contest_reward(bounty, rivals, rival.below(n.x), rival.equal(n.x));
  return sum;
}

}  // namespace crowdsim::models
