#pragma once
/// \file Numerical maximisation of a function of one or two bounded variables, robust to kinks
/// and jumps: a grid first, then a local search from the best points, keeping the best value seen.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace crowdsim::models {

/// A maximiser and its value.
struct Maximum {
  double x = 0.0, y = 0.0, value = -INFINITY;
};

/// max f(x) over [lo, hi]: a 33-point grid, then golden-section search in the best cell's
/// neighbourhood (to ~1e-7 of the range).
template <class F>
Maximum maximize_1d(F&& f, double lo, double hi) {
  Maximum best;
  auto consider = [&](double x) {
    double v = f(x);
    if (v > best.value) best = Maximum{x, 0.0, v};
    return v;
  };
  if (!(hi > lo)) {
    consider(lo);
    return best;
  }
  constexpr int kGrid = 33;
  const double step = (hi - lo) / (kGrid - 1);
  for (int i = 0; i < kGrid; ++i) consider(lo + step * i);
  double a = std::max(lo, best.x - step), b = std::min(hi, best.x + step);
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  double c = b - g * (b - a), d = a + g * (b - a), fc = consider(c), fd = consider(d);
  while (b - a > 1e-7 * (hi - lo)) {
    if (fc >= fd) {
      b = d, d = c, fd = fc;
      c = b - g * (b - a), fc = consider(c);
    } else {
      a = c, c = d, fc = fd;
      d = a + g * (b - a), fd = consider(d);
    }
  }
  return best;
}

namespace detail {

/// The values a function of a point has taken, by the point's bits (a point is the same point
/// only if its bits are): open addressing, one allocation, for maximize_2d.
class PointMemo {
 public:
  /// f(x, y), computed the first time the point is asked for.
  template <class F>
  double get(double x, double y, F& f) {
    const std::uint64_t a = bits(x), b = bits(y);
    if (2 * (size_ + 1) > slots_.size()) grow();
    for (std::size_t i = hash(a, b);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (!s.used) {
        s = Slot{a, b, f(x, y), true};
        ++size_;
        return s.value;
      }
      if (s.x == a && s.y == b) return s.value;
    }
  }

 private:
  struct Slot {
    std::uint64_t x = 0, y = 0;
    double value = 0.0;
    bool used = false;
  };
  static std::uint64_t bits(double v) {
    std::uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return u;
  }
  std::size_t hash(std::uint64_t a, std::uint64_t b) const {
    std::uint64_t h = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31, h *= 0x94d049bb133111ebull, h ^= h >> 29;  // splitmix64's finish: every bit counts
    return static_cast<std::size_t>(h) & (slots_.size() - 1);
  }
  void grow() {
    std::vector<Slot> old(slots_.empty() ? 512 : 2 * slots_.size());
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.used)
        for (std::size_t i = hash(s.x, s.y);; i = (i + 1) & (slots_.size() - 1))
          if (!slots_[i].used) {
            slots_[i] = s;
            break;
          }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace detail

/// max f(x, y) over [x0, x1] × [y0, y1]: a 17 × 17 grid, then a pattern search (steps halved when
/// no neighbour improves, to ~1e-5 of each range) from the best grid point and from the best one
/// at least two cells away from it (a second local maximum). `f` must be a pure function of the
/// point: the search comes back to points it has seen (a step clamped at a bound, the point it
/// came from), four times in five when the maximum lies on a bound, and takes their values from
/// a memo instead of calling `f` again (the same values, so the same result).
template <class F>
Maximum maximize_2d(F&& f, double x0, double x1, double y0, double y1) {
  if (!(y1 > y0)) {
    Maximum m = maximize_1d([&](double x) { return f(x, y0); }, x0, x1);
    m.y = y0;
    return m;
  }
  constexpr int kGrid = 17;
  const double sx = (x1 - x0) / (kGrid - 1), sy = (y1 - y0) / (kGrid - 1);
  double grid[kGrid][kGrid];
  detail::PointMemo seen;
  auto value = [&](double x, double y) { return seen.get(x, y, f); };
  Maximum best;
  int bi = 0, bj = 0;
  for (int i = 0; i < kGrid; ++i)
    for (int j = 0; j < kGrid; ++j) {
      grid[i][j] = value(x0 + sx * i, y0 + sy * j);
      if (grid[i][j] > best.value) best = Maximum{x0 + sx * i, y0 + sy * j, grid[i][j]}, bi = i, bj = j;
    }
  Maximum second;
  for (int i = 0; i < kGrid; ++i)
    for (int j = 0; j < kGrid; ++j)
      if ((std::abs(i - bi) > 2 || std::abs(j - bj) > 2) && grid[i][j] > second.value)
        second = Maximum{x0 + sx * i, y0 + sy * j, grid[i][j]};
  auto search = [&](Maximum at) {
    double hx = sx, hy = sy;
    for (int round = 0; round < 400 && (hx > 1e-5 * (x1 - x0) || hy > 1e-5 * (y1 - y0)); ++round) {
      bool moved = false;
      for (int dx = -1; dx <= 1; ++dx)
        for (int dy = -1; dy <= 1; ++dy) {
          if (dx == 0 && dy == 0) continue;
          double x = std::clamp(at.x + dx * hx, x0, x1), y = std::clamp(at.y + dy * hy, y0, y1);
          double v = value(x, y);
          if (v > at.value) at = Maximum{x, y, v}, moved = true;
        }
      if (!moved) hx *= 0.5, hy *= 0.5;
    }
    return at;
  };
  Maximum a = search(best);
  if (second.value > -INFINITY) {
    Maximum b = search(second);
    if (b.value > a.value) a = b;
  }
  return a;
}

}  // namespace crowdsim::models
