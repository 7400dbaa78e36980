#include <algorithm>
#include <numeric>

#include "models/assignment/matching.hpp"
#include "models/assignment/permutation.hpp"

namespace crowdsim::models {

namespace {

using Perm = std::vector<std::size_t>;

// Order crossover (OX1): a slice of one parent, the rest in the other parent's order.
Perm order_crossover(const Perm& a, const Perm& b, sim::Stream& rng) {
  const std::size_t n = a.size();
  std::size_t lo = detail::below(rng, n), hi = detail::below(rng, n);
  if (lo > hi) std::swap(lo, hi);
  Perm child(n, n);
  std::vector<bool> taken(n, false);
  for (std::size_t i = lo; i <= hi; ++i) child[i] = a[i], taken[a[i]] = true;
  std::size_t k = (hi + 1) % n;
  for (std::size_t s = 0; s < n; ++s) {
    std::size_t gene = b[(hi + 1 + s) % n];
    if (taken[gene]) continue;
    child[k] = gene;
    k = (k + 1) % n;
  }
  return child;
}

// rows ≤ cols: a permutation of the columns, the first `rows` of which are taken.
Matching genetic_wide(const WeightMatrix& w, sim::Stream& rng, const GeneticParams& params) {
  const std::size_t n = w.cols;
  const auto size = static_cast<std::size_t>(std::max(params.population, 4));
  std::vector<Perm> pop(size);
  std::vector<double> fit(size);
  for (std::size_t k = 0; k < size; ++k) {  // random permutations (Fisher–Yates)
    pop[k].resize(n);
    std::iota(pop[k].begin(), pop[k].end(), 0);
    for (std::size_t i = n - 1; i > 0; --i) std::swap(pop[k][i], pop[k][detail::below(rng, i + 1)]);
    fit[k] = detail::perm_value(w, pop[k]);
  }
  auto tournament = [&]() -> const Perm& {
    std::size_t best = detail::below(rng, size);
    for (int t = 0; t < 2; ++t) {
      std::size_t c = detail::below(rng, size);
      if (fit[c] > fit[best]) best = c;
    }
    return pop[best];
  };
  std::vector<std::size_t> order(size);
  for (int g = 0; g < params.generations; ++g) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fit[a] > fit[b]; });
    std::vector<Perm> next{pop[order[0]], pop[order[1]]};  // two elites
    std::size_t best_child = 0;
    double best_fit = -1;
    while (next.size() < size) {
      Perm child = order_crossover(tournament(), tournament(), rng);
      if (rng.uniform01() < params.mutation) std::swap(child[detail::below(rng, n)], child[detail::below(rng, n)]);
      double f = detail::perm_value(w, child);
      if (f > best_fit) best_fit = f, best_child = next.size();
      next.push_back(std::move(child));
    }
    detail::improve_by_swaps(w, next[best_child]);  // memetic step: polish the best newcomer
    pop = std::move(next);
    for (std::size_t k = 0; k < size; ++k) fit[k] = detail::perm_value(w, pop[k]);
  }
  std::size_t best = static_cast<std::size_t>(std::max_element(fit.begin(), fit.end()) - fit.begin());
  return detail::to_matching(w, pop[best]);
}

}  // namespace

Matching genetic(const WeightMatrix& w, sim::Stream& rng, const GeneticParams& params) {
  if (w.rows == 0 || w.cols == 0) return Matching(w.rows, -1);
  return detail::solve_wide(w, [&](const WeightMatrix& x) { return genetic_wide(x, rng, params); });
}

}  // namespace crowdsim::models
