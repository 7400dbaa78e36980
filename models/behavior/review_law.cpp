#include "models/behavior/review_law.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace crowdsim::models {

namespace {
double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI); }

// The Gauss-Legendre rule of ReviewLaw::kInteriorNodes points on [0, 1] (Newton on the Legendre
// polynomial from Chebyshev's guesses), computed once.
const std::array<Node, ReviewLaw::kInteriorNodes>& gauss_legendre() {
  static const auto rule = [] {
    constexpr int n = ReviewLaw::kInteriorNodes;
    std::array<Node, n> out{};
    for (int i = 0; i < n; ++i) {
      double x = std::cos(M_PI * (i + 0.75) / (n + 0.5)), dp = 1.0;
      for (int it = 0; it < 100; ++it) {
        double p0 = 1.0, p1 = x;  // P_0, P_1, ... P_n at x by the three-term recurrence
        for (int k = 2; k <= n; ++k) {
          double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1, p1 = p2;
        }
        dp = n * (x * p1 - p0) / (x * x - 1.0);
        double dx = p1 / dp;
        x -= dx;
        if (std::abs(dx) < 1e-15) break;
      }
      out[static_cast<std::size_t>(i)] = Node{0.5 * (1.0 - x), 1.0 / ((1.0 - x * x) * dp * dp)};  // weight 2 / (…) on [-1, 1], halved
    }
    return out;
  }();
  return rule;
}
}  // namespace

void ReviewLaw::point(double weight, double value) {
  if (weight > 0) parts_.push_back(Part{weight, std::clamp(value, 0.0, 1.0), 0.0});
  grid_.clear();
}

void ReviewLaw::clipped_normal(double weight, double mean, double sd) {
  if (weight > 0) parts_.push_back(Part{weight, mean, sd});
  grid_.clear();
}

void ReviewLaw::add(const ReviewLaw& other, double weight) {
  for (const Part& p : other.parts_)
    if (p.weight * weight > 0) parts_.push_back(Part{p.weight * weight, p.mean, p.sd});
  grid_.clear();
}

void ReviewLaw::tabulate() {
  constexpr int kGrid = 4097;
  grid_.assign(kGrid, 0.0);
  masses_.clear();
  for (const Part& p : parts_) {
    if (p.sd == 0.0) {
      masses_.emplace_back(p.mean, p.weight);
      continue;
    }
    double lo = normal_cdf(-p.mean / p.sd);
    masses_.emplace_back(0.0, p.weight * lo);
    masses_.emplace_back(1.0, p.weight * (1.0 - normal_cdf((1.0 - p.mean) / p.sd)));
    for (int i = 1; i < kGrid; ++i) {
      double x = static_cast<double>(i) / (kGrid - 1);
      grid_[static_cast<std::size_t>(i)] += p.weight * (normal_cdf((x - p.mean) / p.sd) - lo);
    }
  }
  std::sort(masses_.begin(), masses_.end());
  // Merge equal values.
  std::vector<std::pair<double, double>> merged;
  for (const auto& m : masses_) {
    if (!merged.empty() && merged.back().first == m.first) merged.back().second += m.second;
    else merged.push_back(m);
  }
  masses_.swap(merged);
}

double ReviewLaw::mean() const {
  double m = 0.0;
  for (const Part& p : parts_) {
    if (p.sd == 0.0) {
      m += p.weight * p.mean;
      continue;
    }
    // E[clip(X, 0, 1)] for X ~ N(μ, σ²): the middle part plus the mass clipped to 1.
    double a = -p.mean / p.sd, b = (1.0 - p.mean) / p.sd;
    double middle = p.mean * (normal_cdf(b) - normal_cdf(a)) + p.sd * (normal_pdf(a) - normal_pdf(b));
    m += p.weight * (middle + (1.0 - normal_cdf(b)));
  }
  return m;
}

double ReviewLaw::below(double r) const {
  if (!grid_.empty()) {
    double s = 0.0;
    for (const auto& [v, m] : masses_) {
      if (v >= r) break;
      s += m;
    }
    if (r <= 0.0) return s;
    if (r >= 1.0) return s + grid_.back();
    double x = r * static_cast<double>(grid_.size() - 1);
    auto i = static_cast<std::size_t>(x);
    double f = x - static_cast<double>(i);
    return s + grid_[i] + f * (grid_[std::min(i + 1, grid_.size() - 1)] - grid_[i]);
  }
  double s = 0.0;
  for (const Part& p : parts_) {
    if (p.sd == 0.0) s += p.mean < r ? p.weight : 0.0;
    else if (r > 1.0) s += p.weight;
    else if (r > 0.0) s += p.weight * normal_cdf((r - p.mean) / p.sd);
  }
  return s;
}

double ReviewLaw::equal(double r) const {
  if (!grid_.empty()) {
    for (const auto& [v, m] : masses_)
      if (v == r) return m;
    return 0.0;
  }
  double s = 0.0;
  for (const Part& p : parts_) {
    if (p.sd == 0.0) s += p.mean == r ? p.weight : 0.0;
    else if (r == 0.0) s += p.weight * normal_cdf(-p.mean / p.sd);
    else if (r == 1.0) s += p.weight * (1.0 - normal_cdf((1.0 - p.mean) / p.sd));
  }
  return s;
}

void ReviewLaw::nodes(std::vector<Node>& out, Interior rule) const {
  for (const Part& p : parts_) {
    if (p.sd == 0.0) {
      out.push_back(Node{p.mean, p.weight});
      continue;
    }
    double lo = normal_cdf(-p.mean / p.sd), hi = normal_cdf((1.0 - p.mean) / p.sd), inside = hi - lo;
    if (lo > 0) out.push_back(Node{0.0, p.weight * lo});
    if (hi < 1) out.push_back(Node{1.0, p.weight * (1.0 - hi)});
    if (!(inside > 0)) continue;
    if (rule == Interior::kGauss) {
      for (const Node& g : gauss_legendre())
        out.push_back(Node{std::clamp(p.mean + p.sd * normal_quantile(lo + g.x * inside), 0.0, 1.0), p.weight * inside * g.w});
      continue;
    }
    for (int i = 0; i < kInteriorNodes; ++i) {
      double u = lo + (i + 0.5) / kInteriorNodes * inside;
      out.push_back(Node{std::clamp(p.mean + p.sd * normal_quantile(u), 0.0, 1.0), p.weight * inside / kInteriorNodes});
    }
  }
}

}  // namespace crowdsim::models
