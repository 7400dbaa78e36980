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
  /// E[R].
  double mean() const;
  /// P(R < r).
  double below(double r) const;
  /// P(R = r): point masses at r, and the clipped tails when r is 0 or 1.
  double equal(double r) const;
  /// Where a clipped normal's interior nodes go, in probability (u = P(R < r) within the part).
  enum class Interior {
    kMidpoint,  ///< kInteriorNodes equally likely nodes at the medians of their cells (robust to kinks)
    kGauss,     ///< kInteriorNodes Gauss-Legendre nodes in u: exact for polynomials in u of degree
                ///< < 2 kInteriorNodes (contests: smooth in the rivals' P(R' < r), of degree n − 1
                ///< in it for n identical contestants; the midpoint rule errs by O(n / kInteriorNodes²))
  };
  /// Appends nodes of R: each point mass as it is; each clipped normal as its two clipped masses
  /// (at 0 and 1) and kInteriorNodes nodes of the part in between (by `rule`), so that the
  /// nodes and weights move continuously with the mean (no node jumps onto a bound).
  void nodes(std::vector<Node>& out, Interior rule = Interior::kMidpoint) const;
  /// Nodes per clipped normal's interior.
  static constexpr int kInteriorNodes = 32;
  bool empty() const { return parts_.empty(); }
  /// Precomputes below() and equal() (for a law queried many times: a contest's rivals): the
  /// clipped normals' interior on a grid of 4097 points over [0, 1], interpolated linearly (an
  /// error below 1e-6 for sd >= 0.01), point masses exact. Adding components undoes it.
  void tabulate();
  /// Removes every component (keeps the storage).
  void clear() { parts_.clear(); }

 private:
  struct Part {
    double weight, mean, sd;  // sd = 0: a point mass at `mean`
  };
  std::vector<Part> parts_;
  std::vector<double> grid_;              // tabulated: P(0 < R < x) of the interiors at x = i / (size − 1)
  std::vector<std::pair<double, double>> masses_;  // tabulated: point masses (value, mass), sorted
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
