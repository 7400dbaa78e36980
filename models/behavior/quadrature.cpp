#include "models/behavior/quadrature.hpp"

#include <cmath>

namespace crowdsim::models {

std::vector<Node> quantile_nodes(const sim::Distribution& d, int n) {
  if (d.kind() == sim::Distribution::Kind::kConstant || n <= 1) return {Node{d.kind() == sim::Distribution::Kind::kConstant ? d.mean() : d.quantile(0.5), 1.0}};
  std::vector<Node> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(Node{d.quantile((i + 0.5) / n), 1.0 / n});
  return out;
}

// Gauss–Hermite for the weight exp(−x²) by Newton's method on the Hermite recurrence (as in
// Numerical Recipes' gauher), then rescaled to the standard normal: z = √2 x, w / √π.
const std::vector<Node>& normal_nodes() {
  static const std::vector<Node> nodes = [] {
    const int n = kNormalNodes;
    const double pim4 = 0.7511255444649425;  // π^(−1/4)
    std::vector<double> x(static_cast<std::size_t>(n)), w(static_cast<std::size_t>(n));
    double z = 0.0;
    for (int i = 0; i < (n + 1) / 2; ++i) {
      if (i == 0) z = std::sqrt(2.0 * n + 1) - 1.85575 * std::pow(2.0 * n + 1, -0.16667);
      else if (i == 1) z -= 1.14 * std::pow(n, 0.426) / z;
      else if (i == 2) z = 1.86 * z - 0.86 * x[0];
      else if (i == 3) z = 1.91 * z - 0.91 * x[1];
      else z = 2.0 * z - x[static_cast<std::size_t>(i - 2)];
      double pp = 0.0;
      for (int it = 0; it < 100; ++it) {
        double p1 = pim4, p2 = 0.0;
        for (int j = 0; j < n; ++j) {
          double p3 = p2;
          p2 = p1;
          p1 = z * std::sqrt(2.0 / (j + 1)) * p2 - std::sqrt(static_cast<double>(j) / (j + 1)) * p3;
        }
        pp = std::sqrt(2.0 * n) * p2;
        double z1 = z;
        z = z1 - p1 / pp;
        if (std::abs(z - z1) <= 1e-15) break;
      }
      x[static_cast<std::size_t>(i)] = z;
      x[static_cast<std::size_t>(n - 1 - i)] = -z;
      w[static_cast<std::size_t>(i)] = w[static_cast<std::size_t>(n - 1 - i)] = 2.0 / (pp * pp);
    }
    std::vector<Node> out;
    const double sqrt_pi = std::sqrt(M_PI);
    for (int i = n - 1; i >= 0; --i)
      out.push_back(Node{std::sqrt(2.0) * x[static_cast<std::size_t>(i)], w[static_cast<std::size_t>(i)] / sqrt_pi});
    return out;
  }();
  return nodes;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

}  // namespace crowdsim::models
