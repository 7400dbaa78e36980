#pragma once
/// \file Small statistics with bounded memory: running moments, a log histogram for
/// percentiles, time-weighted averages, and the Gini coefficient.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
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
/// Memory is 8 KiB per octave that holds values (under 1 MiB in all), whatever their number.
class LogHistogram {
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
    if (octave >= octaves_.size()) octaves_.resize(octave + 1);
    std::vector<std::uint64_t>& o = octaves_[octave];
    if (o.empty()) o.assign(1u << kSubBits, 0);  // only octaves that get values take memory
    ++o[sub];
  }
  /// Number of values added.
  std::uint64_t count() const { return count_; }
  /// The q-quantile (q in [0, 1]) as the midpoint of its bucket; NaN when empty.
  double quantile(double q) const;

 private:
  static constexpr int kSubBits = 10;
  static constexpr int kMinExp = -30;  // values below 2^-30 s count as zero
  static constexpr int kMaxExp = 64;
  std::vector<std::vector<std::uint64_t>> octaves_;  // 2^kSubBits counts per octave, or empty
  std::uint64_t zeros_ = 0, count_ = 0;
};

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

/// Gini coefficient of non-negative values: 0 for equal values (or none), (n−1)/n when one has all.
double gini(std::vector<double> values);
/// The q-quantile of sorted values with linear interpolation (numpy's default, "type 7").
double quantile_sorted(const std::vector<double>& sorted, double q);

}  // namespace crowdsim::sim
