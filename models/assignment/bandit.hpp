#pragma once
/// \file Bandit algorithms on their own, so they can be tested on textbook problems; the
/// assignment policies of the same names play them with workers as arms.
///  - Bandit (epsilon_greedy, ucb, thompson): arms with rewards in [0, 1];
///  - LinUcb: disjoint linear UCB (Li et al., WWW 2010), one ridge regression per arm over a
///    context vector.

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/rng.hpp"

namespace crowdsim::models {

/// A multi-armed bandit over arms 0, 1, ... (grown on demand).
class Bandit {
 public:
  virtual ~Bandit() = default;
  /// The arm to play among `arms` (not empty); ties go to the earliest in `arms`.
  virtual std::uint32_t choose(const std::vector<std::uint32_t>& arms, sim::Stream& rng) = 0;
  /// `arm` paid `reward` in [0, 1].
  void update(std::uint32_t arm, double reward);
  /// Times `arm` was played and its mean reward (0 when never played).
  double pulls(std::uint32_t arm) const { return arm < n_.size() ? n_[arm] : 0.0; }
  double mean(std::uint32_t arm) const { return pulls(arm) > 0 ? sum_[arm] / n_[arm] : 0.0; }
  /// Plays so far.
  double total() const { return total_; }

 private:
  std::vector<double> n_, sum_;
  double total_ = 0.0;
};

/// ε-greedy: with probability ε a uniformly random arm, else the best mean (unplayed arms first).
std::unique_ptr<Bandit> make_epsilon_greedy(double epsilon);
/// UCB1 (Auer et al. 2002): mean + c · sqrt(2 ln N / n), unplayed arms first.
std::unique_ptr<Bandit> make_ucb(double c);
/// Thompson sampling with a Beta(1, 1) prior per arm; a reward r counts r successes, 1 − r failures.
std::unique_ptr<Bandit> make_thompson();

/// Disjoint LinUCB: arm a's expected reward is θ_a · x; it plays the arm maximising
/// θ̂_a · x + α sqrt(x' A_a⁻¹ x), with A_a = I + Σ x x' and θ̂_a = A_a⁻¹ Σ r x.
class LinUcb {
 public:
  LinUcb(std::size_t dim, double alpha) : dim_(dim), alpha_(alpha) {}
  /// The arm to play among `arms`; `contexts` holds one context of `dim` numbers per arm, in order.
  std::uint32_t choose(const std::vector<std::uint32_t>& arms, const std::vector<double>& contexts) ;
  /// `arm`, played in context `x` (dim numbers), paid `reward`.
  void update(std::uint32_t arm, const double* x, double reward);
  /// The upper confidence bound of `arm` in context `x`.
  double bound(std::uint32_t arm, const double* x) const;
  std::size_t dim() const { return dim_; }

 private:
  void grow(std::uint32_t arm);
  std::size_t dim_;
  double alpha_;
  std::vector<double> a_inv_, b_;  // per arm: A⁻¹ (dim × dim, row-major) and b (dim)
  std::vector<std::uint8_t> seen_;
};

}  // namespace crowdsim::models
