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

double normal_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
  const double low = 0.02425;
  double x;
  if (p < low) {
    double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x;
}

}  // namespace crowdsim::models
