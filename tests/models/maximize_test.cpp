// maximize_2d asks its function once per point: the pattern search comes back to points it has
// seen (steps clamped at a bound, the point it came from), and the memo answers those.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <set>
#include <utility>

#include "models/behavior/maximize.hpp"

using crowdsim::models::maximize_2d;

namespace {

std::pair<std::uint64_t, std::uint64_t> bits(double x, double y) {
  std::pair<std::uint64_t, std::uint64_t> k;
  std::memcpy(&k.first, &x, sizeof x);
  std::memcpy(&k.second, &y, sizeof y);
  return k;
}

}  // namespace

TEST_CASE("models::maximize: maximize_2d asks its function once per point and still finds the maximum", "[models]") {
  struct Case {
    double ax, ay;  // the maximum of -(x - ax)^2 - (y - ay)^2 before clamping to the box
  };
  // Inside the box, on the bound y = 0 (the search's steps below it are clamped onto it), and in
  // a corner (both clamped).
  auto [ax, ay] = GENERATE(Case{1.3, 0.7}, Case{2.2, -1.0}, Case{-1.0, -1.0});
  std::set<std::pair<std::uint64_t, std::uint64_t>> asked;
  int calls = 0;
  auto f = [&](double x, double y) {
    ++calls;
    asked.insert(bits(x, y));
    return -(x - ax) * (x - ax) - (y - ay) * (y - ay);
  };
  auto m = maximize_2d(f, 0.25, 3.0, 0.0, 2.0);
  INFO("maximum asked at (" << ax << ", " << ay << "): " << calls << " calls");
  CHECK(static_cast<std::size_t>(calls) == asked.size());  // no point twice
  CHECK(calls >= 17 * 17);                                   // the grid, at least
  CHECK(m.x == Approx(std::clamp(ax, 0.25, 3.0)).margin(1e-4));
  CHECK(m.y == Approx(std::clamp(ay, 0.0, 2.0)).margin(1e-4));
  CHECK(m.value == f(m.x, m.y));
}
