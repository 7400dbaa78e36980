#include "sim/stats.hpp"

#include <algorithm>

namespace crowdsim::sim {

double LogHistogram::quantile(double q) const {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  // The rank of the quantile, 1-based, as numpy's "lower" rule: the smallest value whose
  // cumulative count reaches ceil(q * n).
  std::uint64_t rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
  if (rank == 0) rank = 1;
  if (rank <= zeros_) return 0.0;
  std::uint64_t seen = zeros_;
  for (std::size_t octave = 0; octave < octaves_.size(); ++octave) {
    const std::vector<std::uint64_t>& o = octaves_[octave];
    for (std::size_t sub = 0; sub < o.size(); ++sub) {
      seen += o[sub];
      if (seen >= rank) {
        int exp = static_cast<int>(octave) + kMinExp + 1;
        double lo = std::ldexp(0.5 + static_cast<double>(sub) / (2.0 * (1 << kSubBits)), exp);
        double hi = std::ldexp(0.5 + (static_cast<double>(sub) + 1.0) / (2.0 * (1 << kSubBits)), exp);
        return 0.5 * (lo + hi);
      }
    }
  }
  return std::numeric_limits<double>::quiet_NaN();  // unreachable
}

double gini(std::vector<double> values) {
  if (values.empty()) return 0.0;
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
