#pragma once
/// \file Quadrature rules: the expectations strategic workers take are weighted sums over nodes.

#include <vector>

#include "sim/distribution.hpp"

namespace crowdsim::models {

/// One node of a quadrature rule: E[f(X)] ≈ Σ w · f(x).
struct Node {
  double x;  ///< where f is evaluated
  double w;  ///< its weight (the weights of a rule sum to 1)
};

/// `n` equally likely nodes of `d`, each at the median of its probability cell (the midpoint rule
/// in probability space: robust to kinks and caps in f, any distribution); one node for a constant.
std::vector<Node> quantile_nodes(const sim::Distribution& d, int n);

/// The standard normal distribution function.
double normal_cdf(double z);
/// Its inverse, p in (0, 1) (Acklam's rational approximation: relative error below 1.2e-9).
double normal_quantile(double p);

}  // namespace crowdsim::models
