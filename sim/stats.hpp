#pragma once
/// \file Small statistics with bounded memory: running moments, a log histogram for
/// percentiles, time-weighted averages, and the Gini coefficient.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

namespace crowdsim::sim {

/// Mean and variance in one pass (Welford), numerically stable.
class RunningStats {
 public:
  /// Adds one value.
  void add(double x) {
    ++n_;
    double d = x - mean_;
    mean_ += d / static_cast<double>(n_);
    m2_ += d * (x - mean_);
    if (x < min_) min_ = x;
    if (x > max_) max_ = x;
  }
  std::uint64_t count() const { return n_; }
  /// Mean (NaN when empty).
  double mean() const { return n_ ? mean_ : std::numeric_limits<double>::quiet_NaN(); }
  /// Sample variance with n − 1 (NaN below two values).
  double variance() const { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : std::numeric_limits<double>::quiet_NaN(); }
  double min() const { return min_; }
  double max() const { return max_; }

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0, m2_ = 0.0;
  double min_ = std::numeric_limits<double>::infinity(), max_ = -std::numeric_limits<double>::infinity();
};

/// Quantiles of non-negative values from log-linear buckets (1024 per power of two, so the
/// relative width of a bucket is at most 2^-10 and a quantile is off by at most 0.05%).
///
/// Counts are kept in `Count` bits (16 for LogHistogram: a quarter of the memory 64-bit counts
/// took; the speed of a run did not move measurably, docs/performance.md). A count that wraps
/// around adds one to its bucket's carry, kept in an octave of 64-bit carries allocated on the
/// octave's first wrap, so no count is ever lost.
/// Memory is 2 KiB per octave that holds values, 8 KiB more per octave with a wrap: under
/// 1 MiB in all, whatever the number of values.
template <class Count>
class BasicLogHistogram {
 public:
  /// Adds a finite value >= 0 (others are ignored).
  void add(double x) {
    if (!(x >= 0.0) || !std::isfinite(x)) return;
    ++count_;
    // x = 1.m * 2^(e - 1023) = frac * 2^exp with frac = 1.m / 2 in [0.5, 1): exp = e - 1022, and
    // the bucket within the octave is the top kSubBits bits of m (what frexp would give).
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    int exp = static_cast<int>(bits >> 52) - 1022;  // the sign bit is 0
    if (exp <= kMinExp) {  // zero and subnormals too
      ++zeros_;
      return;
    }
    std::size_t sub = static_cast<std::size_t>((bits & ((1ull << 52) - 1)) >> (52 - kSubBits));
    if (exp > kMaxExp) exp = kMaxExp, sub = (1u << kSubBits) - 1;
    auto octave = static_cast<std::size_t>(exp - kMinExp - 1);
    std::vector<Count>& o = counts_[octave];
    if (o.empty()) o.assign(kBuckets, 0);  // only octaves that get values take memory
    if (++o[sub] == 0) carry(octave, sub);
  }
  /// Number of values added.
  std::uint64_t count() const { return count_; }
  /// The q-quantile (q in [0, 1]) as the midpoint of its bucket; NaN when empty.
  double quantile(double q) const {
    if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
    // The rank of the quantile, 1-based, as numpy's "lower" rule: the smallest value whose
    // cumulative count reaches ceil(q * n).
    auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
    if (rank == 0) rank = 1;
    if (rank <= zeros_) return 0.0;
    std::uint64_t seen = zeros_;
    for (std::size_t octave = 0; octave < kOctaves; ++octave) {
      const std::vector<Count>& o = counts_[octave];
      const std::vector<std::uint64_t>& c = carries_[octave];
      for (std::size_t sub = 0; sub < o.size(); ++sub) {
        seen += o[sub] + (c.empty() ? 0 : c[sub] << (8 * sizeof(Count)));
        if (seen >= rank) {
          int exp = static_cast<int>(octave) + kMinExp + 1;
          double lo = std::ldexp(0.5 + static_cast<double>(sub) / (2.0 * kBuckets), exp);
          double hi = std::ldexp(0.5 + (static_cast<double>(sub) + 1.0) / (2.0 * kBuckets), exp);
          return 0.5 * (lo + hi);
        }
      }
    }
    return std::numeric_limits<double>::quiet_NaN();  // unreachable
  }

 private:
  static_assert(std::is_unsigned_v<Count> && sizeof(Count) < 8, "a count wraps into a 64-bit carry");
  static constexpr int kSubBits = 10;
  static constexpr std::size_t kBuckets = std::size_t{1} << kSubBits;
  static constexpr int kMinExp = -30;  // values below 2^-30 s count as zero
  static constexpr int kMaxExp = 64;
  static constexpr std::size_t kOctaves = kMaxExp - kMinExp;
  // Out of line: it runs once per 2^(8 sizeof(Count)) values in a bucket.
  [[gnu::noinline]] void carry(std::size_t octave, std::size_t sub) {
    std::vector<std::uint64_t>& c = carries_[octave];
    if (c.empty()) c.assign(kBuckets, 0);
    ++c[sub];
  }
  std::vector<Count> counts_[kOctaves];           // per octave: 2^kSubBits counts, or empty
  std::vector<std::uint64_t> carries_[kOctaves];  // per octave: the counts' wraps, or empty
  std::uint64_t zeros_ = 0, count_ = 0;
};

/// The histogram the KPIs use: 16-bit counts (2 KiB per octave).
using LogHistogram = BasicLogHistogram<std::uint16_t>;

/// Time average of a piecewise-constant quantity.
class TimeWeighted {
 public:
  /// The quantity becomes `value` at time `t` (times non-decreasing).
  void update(double t, double value) {
    area_ += value_ * (t - t_);
    t_ = t;
    value_ = value;
  }
  /// Average over [start, t_end], start being the first update's time (0 by default).
  double average(double t_end) const {
    double span = t_end - start_;
    return span > 0 ? (area_ + value_ * (t_end - t_)) / span : value_;
  }
  /// Starts the averaging at `t` with `value`.
  void reset(double t, double value) { start_ = t_ = t, value_ = value, area_ = 0.0; }

 private:
  double start_ = 0.0, t_ = 0.0, value_ = 0.0, area_ = 0.0;
};

/// Gini coefficient of non-negative values: 0 for equal values, (n−1)/n when one has all, NaN
/// for none (undefined, like a ratio over nothing).
double gini(std::vector<double> values);
/// The q-quantile of sorted values with linear interpolation (numpy's default, "type 7").
double quantile_sorted(const std::vector<double>& sorted, double q);

}  // namespace crowdsim::sim
