#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/assignment/matching.hpp"
#include "models/assignment/permutation.hpp"

namespace crowdsim::models {

namespace {

// rows ≤ cols: each ant gives every row a distinct column; a permutation of the columns whose
// first `rows` entries are the rows' columns (the rest unused) holds its matching.
Matching ant_colony_wide(const WeightMatrix& w, sim::Stream& rng, const AntParams& params) {
  const std::size_t rows = w.rows, n = w.cols;
  // Desirability of row i taking column c: its value, with a floor so a worthless column can
  // still be drawn when nothing better is left.
  double top = 0;
  for (double x : w.w) top = std::max(top, x);
  const double floor = 1e-3 * (top > 0 ? top : 1.0);
  std::vector<double> eta(rows * n), tau(rows * n), attract(rows * n);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t c = 0; c < n; ++c) eta[i * n + c] = std::pow(detail::pair_value(w, i, c) + floor, params.beta);
  const double tau_max = 1.0, tau_min = tau_max / (2.0 * static_cast<double>(n));
  std::fill(tau.begin(), tau.end(), tau_max);

  std::vector<std::size_t> best(n), ant(n), order(rows), iter_best;
  std::iota(best.begin(), best.end(), 0);
  double best_value = detail::perm_value(w, best);
  std::vector<bool> used(n);
  for (int it = 0; it < params.iterations; ++it) {
    for (std::size_t k = 0; k < rows * n; ++k)
      attract[k] = (params.alpha == 1.0 ? tau[k] : std::pow(tau[k], params.alpha)) * eta[k];
    double iter_value = -1;
    for (int a = 0; a < params.ants; ++a) {
      std::iota(order.begin(), order.end(), 0);
      for (std::size_t i = rows; i-- > 1;) std::swap(order[i], order[detail::below(rng, i + 1)]);
      std::fill(used.begin(), used.end(), false);
      for (std::size_t i : order) {  // each row draws a free column in proportion to its attraction
        const double* row = &attract[i * n];
        double total = 0;
        for (std::size_t c = 0; c < n; ++c)
          if (!used[c]) total += row[c];
        double u = rng.uniform01() * total;
        std::size_t pick = n, last_free = n;
        for (std::size_t c = 0; c < n && pick == n; ++c)
          if (!used[c]) {
            last_free = c;
            if ((u -= row[c]) <= 0) pick = c;
          }
        if (pick == n) pick = last_free;  // rounding left u > 0
        ant[i] = pick;
        used[pick] = true;
      }
      for (std::size_t c = 0, k = rows; c < n; ++c)  // unused columns fill the tail
        if (!used[c]) ant[k++] = c;
      double v = detail::perm_value(w, ant);
      if (v > iter_value) iter_value = v, iter_best = ant;
    }
    detail::improve_by_swaps(w, iter_best);
    iter_value = detail::perm_value(w, iter_best);
    if (iter_value > best_value) best_value = iter_value, best = iter_best;
    // Evaporate, then the iteration's best lays pheromone; MAX–MIN bounds keep exploring.
    for (double& t : tau) t *= 1.0 - params.evaporation;
    for (std::size_t i = 0; i < rows; ++i) tau[i * n + iter_best[i]] += params.evaporation;
    for (double& t : tau) t = std::clamp(t, tau_min, tau_max);
  }
  return detail::to_matching(w, best);
}

}  // namespace

Matching ant_colony(const WeightMatrix& w, sim::Stream& rng, const AntParams& params) {
  if (w.rows == 0 || w.cols == 0) return Matching(w.rows, -1);
  return detail::solve_wide(w, [&](const WeightMatrix& x) { return ant_colony_wide(x, rng, params); });
}

}  // namespace crowdsim::models
