#pragma once
/// \file Online logistic regression: p = σ(θ·x), θ trained by stochastic gradient descent on the
/// log loss, one example at a time (with L2 shrinkage). The model of the `learned` policy.

#include <cstddef>
#include <vector>

namespace crowdsim::models {

class OnlineLogistic {
 public:
  /// `dim` features (include a constant 1 for an intercept); step size `rate`; L2 weight `l2`.
  OnlineLogistic(std::size_t dim, double rate, double l2) : theta_(dim, 0.0), rate_(rate), l2_(l2) {}
  /// Predicted probability of success for features `x` (dim numbers).
  double predict(const double* x) const;
  /// θ·x, the log-odds: ranks like predict(), without the exponential.
  double logit(const double* x) const;
  /// One SGD step on example (x, y), y in [0, 1] (a soft label is allowed).
  void update(const double* x, double y);
  const std::vector<double>& weights() const { return theta_; }
  std::size_t dim() const { return theta_.size(); }

 private:
  std::vector<double> theta_;
  double rate_, l2_;
};

}  // namespace crowdsim::models
