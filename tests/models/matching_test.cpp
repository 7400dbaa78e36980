// The batch matching solvers: Hungarian against brute force, the heuristics against Hungarian.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "models/assignment/matching.hpp"

using namespace crowdsim;
using models::WeightMatrix;

namespace {

constexpr double kForbidden = -std::numeric_limits<double>::infinity();

WeightMatrix random_matrix(std::size_t rows, std::size_t cols, sim::Stream& rng, double forbidden_share) {
  WeightMatrix w(rows, cols);
  for (double& x : w.w) x = rng.uniform01() < forbidden_share ? kForbidden : rng.uniform01() * 2.0 - 0.3;
  return w;
}

// The best value over every way to give each row a distinct column or none.
double brute_force(const WeightMatrix& w) {
  std::vector<bool> used(w.cols, false);
  std::function<double(std::size_t)> best = [&](std::size_t row) -> double {
    if (row == w.rows) return 0.0;
    double b = best(row + 1);  // row left unmatched
    for (std::size_t c = 0; c < w.cols; ++c) {
      if (used[c] || w.at(row, c) == kForbidden) continue;
      used[c] = true;
      b = std::max(b, std::max(w.at(row, c), 0.0) + best(row + 1));
      used[c] = false;
    }
    return b;
  };
  return best(0);
}

}  // namespace

TEST_CASE("models::matching: Hungarian equals brute force on random small instances", "[models][matching]") {
  sim::Stream rng(sim::StreamKey{11, 0, 1, 0});
  int checked = 0;
  for (std::size_t rows = 1; rows <= 6; ++rows)
    for (std::size_t cols = 1; cols <= 6; ++cols)
      for (int rep = 0; rep < 8; ++rep) {
        WeightMatrix w = random_matrix(rows, cols, rng, rep % 2 ? 0.3 : 0.0);
        models::Matching m = models::hungarian(w);
        INFO(rows << "x" << cols << " instance " << rep);
        REQUIRE(m.size() == rows);
        double v = models::matching_value(w, m);
        REQUIRE(v > kForbidden);  // valid: no column twice, no forbidden pair
        CHECK(v == Approx(brute_force(w)).margin(1e-9));
        ++checked;
      }
  CHECK(checked == 288);
}

TEST_CASE("models::matching: matching_value refuses a column used twice or a forbidden pair", "[models][matching]") {
  WeightMatrix w(2, 2);
  w.at(0, 0) = 1, w.at(0, 1) = 2, w.at(1, 0) = 3;  // (1, 1) forbidden
  CHECK(models::matching_value(w, {1, 0}) == 5);
  CHECK(models::matching_value(w, {0, 0}) == kForbidden);
  CHECK(models::matching_value(w, {0, 1}) == kForbidden);
  CHECK(models::matching_value(w, {-1, -1}) == 0);
}

// 30 x 30 instances with uniform weights (the Hungarian optimum is about 29, a random matching
// about 15): each heuristic must reach 95% of the optimum on every instance.
TEST_CASE("models::matching: genetic and ant colony reach 95% of the optimum on 30 x 30 instances", "[models][matching]") {
  sim::Stream rng(sim::StreamKey{12, 0, 1, 0});
  double worst_ga = 1, worst_aco = 1;
  for (int rep = 0; rep < 6; ++rep) {
    WeightMatrix w(30, 30);
    for (double& x : w.w) x = rng.uniform01();
    double opt = models::matching_value(w, models::hungarian(w));
    double ga = models::matching_value(w, models::genetic(w, rng));
    double aco = models::matching_value(w, models::ant_colony(w, rng));
    INFO("instance " << rep << ": optimum " << opt << ", genetic " << ga << ", ant colony " << aco);
    CHECK(ga <= opt + 1e-9);
    CHECK(aco <= opt + 1e-9);
    CHECK(ga >= 0.95 * opt);
    CHECK(aco >= 0.95 * opt);
    worst_ga = std::min(worst_ga, ga / opt);
    worst_aco = std::min(worst_aco, aco / opt);
  }
  WARN("worst ratio to the optimum: genetic " << worst_ga << ", ant colony " << worst_aco);
}

TEST_CASE("models::matching: the heuristics respect forbidden pairs and rectangular shapes", "[models][matching]") {
  sim::Stream rng(sim::StreamKey{13, 0, 1, 0});
  for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{5, 12}, {12, 5}, {1, 1}, {8, 8}}) {
    WeightMatrix w = random_matrix(rows, cols, rng, 0.4);
    INFO(rows << "x" << cols);
    double opt = models::matching_value(w, models::hungarian(w));
    double ga = models::matching_value(w, models::genetic(w, rng));
    double aco = models::matching_value(w, models::ant_colony(w, rng));
    CHECK(ga > kForbidden);
    CHECK(aco > kForbidden);
    CHECK(ga <= opt + 1e-9);
    CHECK(aco <= opt + 1e-9);
  }
}
