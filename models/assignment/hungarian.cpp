#include <algorithm>
#include <cmath>
#include <limits>

#include "models/assignment/matching.hpp"

namespace crowdsim::models {

double matching_value(const WeightMatrix& w, const Matching& m) {
  std::vector<bool> used(w.cols, false);
  double v = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] < 0) continue;
    auto c = static_cast<std::size_t>(m[i]);
    if (c >= w.cols || used[c] || !(w.at(i, c) > -std::numeric_limits<double>::infinity()))
      return -std::numeric_limits<double>::infinity();
    used[c] = true;
    v += std::max(w.at(i, c), 0.0);
  }
  return v;
}

// Kuhn–Munkres with row and column potentials (the shortest-augmenting-path form), minimising
// cost over n ≤ m; rows are added one at a time, O(n² m). Cost = −max(weight, 0): a forbidden or
// worthless pair costs what leaving the row unmatched does, and is dropped at the end.
Matching hungarian(const WeightMatrix& w) {
  bool flip = w.rows > w.cols;
  const std::size_t n = flip ? w.cols : w.rows, m = flip ? w.rows : w.cols;
  auto cost = [&](std::size_t i, std::size_t j) {  // 1-based, in the (n ≤ m) orientation
    double x = flip ? w.at(j - 1, i - 1) : w.at(i - 1, j - 1);
    return -std::max(x, 0.0);
  };
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0), minv(m + 1);
  std::vector<std::size_t> p(m + 1, 0), way(m + 1, 0);  // p[j]: row matched to column j
  std::vector<bool> used(m + 1);
  for (std::size_t i = 1; i <= n; ++i) {
    p[0] = i;
    std::size_t j0 = 0;
    std::fill(minv.begin(), minv.end(), inf);
    std::fill(used.begin(), used.end(), false);
    do {
      used[j0] = true;
      std::size_t i0 = p[j0], j1 = 0;
      double delta = inf;
      for (std::size_t j = 1; j <= m; ++j)
        if (!used[j]) {
          double cur = cost(i0, j) - u[i0] - v[j];
          if (cur < minv[j]) minv[j] = cur, way[j] = j0;
          if (minv[j] < delta) delta = minv[j], j1 = j;
        }
      for (std::size_t j = 0; j <= m; ++j)
        if (used[j]) u[p[j]] += delta, v[j] -= delta;
        else minv[j] -= delta;
      j0 = j1;
    } while (p[j0] != 0);
    do {
      std::size_t j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  Matching result(w.rows, -1);
  for (std::size_t j = 1; j <= m; ++j) {
    if (p[j] == 0) continue;
    std::size_t row = flip ? j - 1 : p[j] - 1, col = flip ? p[j] - 1 : j - 1;
    if (w.at(row, col) > 0) result[row] = static_cast<std::int32_t>(col);
  }
  return result;
}

}  // namespace crowdsim::models
