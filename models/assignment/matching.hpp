#pragma once
/// \file Weighted bipartite matching: rows (open slots) to columns (idle workers), maximising
/// the total weight. -inf marks a forbidden pair; a row may stay unmatched, and a pair of weight
/// ≤ 0 is never worth making. Solvers: the Hungarian method (exact), a genetic algorithm and an
/// ant colony (heuristics, tested against it).

#include <cstdint>
#include <limits>
#include <vector>

#include "sim/rng.hpp"

namespace crowdsim::models {

/// A rows × cols matrix of pair weights, row-major.
struct WeightMatrix {
  std::size_t rows = 0, cols = 0;
  std::vector<double> w;
  WeightMatrix() = default;
  WeightMatrix(std::size_t r, std::size_t c) : rows(r), cols(c), w(r * c, -std::numeric_limits<double>::infinity()) {}
  double& at(std::size_t r, std::size_t c) { return w[r * cols + c]; }
  double at(std::size_t r, std::size_t c) const { return w[r * cols + c]; }
};

/// The column of each row, or -1 for an unmatched row.
using Matching = std::vector<std::int32_t>;

/// Total weight of the allowed pairs of `m` with positive weight; -inf if `m` uses a column
/// twice or a forbidden pair.
double matching_value(const WeightMatrix& w, const Matching& m);

/// A maximum-weight matching (Kuhn–Munkres with potentials, O(n² m) for n ≤ m).
Matching hungarian(const WeightMatrix& w);

struct GeneticParams {
  int population = 40, generations = 150;
  double mutation = 0.3;  ///< probability that a child gets one random swap
};
/// A genetic algorithm over permutations of the columns (order crossover, swap mutation,
/// tournament selection, two elites), each generation's best child improved by pairwise swaps.
Matching genetic(const WeightMatrix& w, sim::Stream& rng, const GeneticParams& params = {});

struct AntParams {
  int ants = 20, iterations = 100;
  double alpha = 1.0, beta = 2.0;  ///< weight of pheromone and of the pair's own value
  double evaporation = 0.1;
};
/// MAX–MIN ant system: ants build matchings row by row, drawing columns in proportion to
/// pheromone^alpha · weight^beta; the iteration's best, improved by pairwise swaps, lays pheromone
/// within [τmin, τmax].
Matching ant_colony(const WeightMatrix& w, sim::Stream& rng, const AntParams& params = {});

}  // namespace crowdsim::models
