#include "sim/stats.hpp"

#include <algorithm>
#include <limits>

namespace crowdsim::sim {

double gini(std::vector<double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  double n = static_cast<double>(values.size()), total = 0.0, weighted = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    total += values[i];
    weighted += (static_cast<double>(i) + 1.0) * values[i];
  }
  if (total <= 0.0) return 0.0;
  // G = (2 Σ i x_(i)) / (n Σ x) − (n + 1) / n, with x sorted ascending and i from 1.
  return 2.0 * weighted / (n * total) - (n + 1.0) / n;
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  std::size_t lo = static_cast<std::size_t>(pos);
  if (lo + 1 >= sorted.size()) return sorted.back();
  double f = pos - static_cast<double>(lo);
  return sorted[lo] + f * (sorted[lo + 1] - sorted[lo]);
}

}  // namespace crowdsim::sim
