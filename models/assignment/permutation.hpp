#pragma once
/// \file Internal to the matching heuristics: a matching as a permutation of max(rows, cols)
/// positions (row i takes column perm[i]; indices past the real rows or columns are dummies),
/// its value, and pairwise-swap local search.

#include <algorithm>
#include <vector>

#include "models/assignment/matching.hpp"

namespace crowdsim::models::detail {

/// The value of row i taking column c: its weight if allowed and positive, else 0 (unmatched).
inline double pair_value(const WeightMatrix& w, std::size_t i, std::size_t c) {
  return i < w.rows && c < w.cols ? std::max(w.at(i, c), 0.0) : 0.0;
}

inline double perm_value(const WeightMatrix& w, const std::vector<std::size_t>& perm) {
  double v = 0;
  for (std::size_t i = 0; i < w.rows; ++i) v += pair_value(w, i, perm[i]);
  return v;
}

/// Swaps two positions whenever that gains, until no swap does (at most `passes` sweeps).
inline void improve_by_swaps(const WeightMatrix& w, std::vector<std::size_t>& perm, int passes = 50) {
  const std::size_t n = perm.size();
  for (int pass = 0; pass < passes; ++pass) {
    bool better = false;
    for (std::size_t i = 0; i < std::min(n, w.rows); ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        double gain = pair_value(w, i, perm[j]) + pair_value(w, j, perm[i]) - pair_value(w, i, perm[i]) -
                      pair_value(w, j, perm[j]);
        if (gain > 1e-12) std::swap(perm[i], perm[j]), better = true;
      }
    if (!better) return;
  }
}

/// The matching a permutation encodes (dummy, forbidden and worthless pairs unmatched).
inline Matching to_matching(const WeightMatrix& w, const std::vector<std::size_t>& perm) {
  Matching m(w.rows, -1);
  for (std::size_t i = 0; i < w.rows; ++i)
    if (perm[i] < w.cols && w.at(i, perm[i]) > 0) m[i] = static_cast<std::int32_t>(perm[i]);
  return m;
}

/// `w` with rows and columns swapped.
inline WeightMatrix transposed(const WeightMatrix& w) {
  WeightMatrix t(w.cols, w.rows);
  for (std::size_t i = 0; i < w.rows; ++i)
    for (std::size_t c = 0; c < w.cols; ++c) t.at(c, i) = w.at(i, c);
  return t;
}

/// Solves with rows ≤ cols (the heuristics search over the columns), transposing if needed.
template <class Solve>
Matching solve_wide(const WeightMatrix& w, Solve solve) {
  if (w.rows <= w.cols) return solve(w);
  Matching by_col = solve(transposed(w)), m(w.rows, -1);
  for (std::size_t c = 0; c < by_col.size(); ++c)
    if (by_col[c] >= 0) m[static_cast<std::size_t>(by_col[c])] = static_cast<std::int32_t>(c);
  return m;
}

/// A uniform draw in [0, n).
inline std::size_t below(sim::Stream& rng, std::size_t n) {
  return std::min(n - 1, static_cast<std::size_t>(rng.uniform01() * static_cast<double>(n)));
}

}  // namespace crowdsim::models::detail
