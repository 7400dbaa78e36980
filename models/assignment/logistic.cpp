#include "models/assignment/logistic.hpp"

#include <cmath>
#include <Eigen/Dense>

namespace crowdsim::models {

double OnlineLogistic::predict(const double* xp) const { return 1.0 / (1.0 + std::exp(-logit(xp))); }

// Gradient of the log loss is (p − y) x; the shrinkage pulls θ toward 0 at rate·l2.
void OnlineLogistic::update(const double* xp, double y) {
  const auto d = static_cast<Eigen::Index>(theta_.size());
  Eigen::Map<Eigen::VectorXd> theta(theta_.data(), d);
  Eigen::Map<const Eigen::VectorXd> x(xp, d);
  double p = predict(xp);
  theta -= rate_ * ((p - y) * x + l2_ * theta);
}

}  // namespace crowdsim::models
