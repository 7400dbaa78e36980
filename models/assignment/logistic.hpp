#pragma once
/// \file Online logistic regression: p = σ(θ·x), θ trained by stochastic gradient descent on the
/// log loss, one example at a time (with L2 shrinkage). The model of the `learned` policy.

#include <cstddef>
#include <vector>

namespace crowdsim::models {

/// a·b over n numbers, summed in a fixed order: the products at even and at odd indices each
/// accumulated in two interleaved partial sums (indices 0, 4, 8, ... and 2, 6, ...), those
/// joined, then even + odd, then any last odd index. It is the order of Eigen's vectorised dot
/// on SSE2 (two doubles per packet), which the model used before and its results (the
/// fingerprints of tests/fingerprints.json) were recorded with; inline, so that a fixed n
/// unrolls into straight-line code.
inline double ordered_dot(const double* a, const double* b, std::size_t n) {
  if (n < 2) return n ? a[0] * b[0] : 0.0;
  const std::size_t end4 = n / 4 * 4, end2 = n / 2 * 2;
  double e0 = a[0] * b[0], o0 = a[1] * b[1];
  if (end2 > 2) {
    double e1 = a[2] * b[2], o1 = a[3] * b[3];
    for (std::size_t i = 4; i < end4; i += 4) {
      e0 += a[i] * b[i], o0 += a[i + 1] * b[i + 1];
      e1 += a[i + 2] * b[i + 2], o1 += a[i + 3] * b[i + 3];
    }
    e0 += e1, o0 += o1;
    if (end2 > end4) e0 += a[end4] * b[end4], o0 += a[end4 + 1] * b[end4 + 1];
  }
  double r = e0 + o0;
  for (std::size_t i = end2; i < n; ++i) r += a[i] * b[i];
  return r;
}

class OnlineLogistic {
 public:
  /// `dim` features (include a constant 1 for an intercept); step size `rate`; L2 weight `l2`.
  OnlineLogistic(std::size_t dim, double rate, double l2) : theta_(dim, 0.0), rate_(rate), l2_(l2) {}
  /// Predicted probability of success for features `x` (dim numbers).
  double predict(const double* x) const;
  /// θ·x, the log-odds: ranks like predict(), without the exponential.
  double logit(const double* x) const { return ordered_dot(theta_.data(), x, theta_.size()); }
  /// logit() of a model known to have D features: the same sum, unrolled.
  template <std::size_t D>
  double logit(const double* x) const {
    return ordered_dot(theta_.data(), x, D);
  }
  /// One SGD step on example (x, y), y in [0, 1] (a soft label is allowed).
  void update(const double* x, double y);
  const std::vector<double>& weights() const { return theta_; }
  std::size_t dim() const { return theta_.size(); }

 private:
  std::vector<double> theta_;
  double rate_, l2_;
};

}  // namespace crowdsim::models
