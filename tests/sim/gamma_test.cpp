#include <catch2/catch.hpp>

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "sim/gamma.hpp"

using namespace crowdsim::sim;

namespace {

// Under the sanitizers the same code runs on a smaller sample (the critical value follows n).
constexpr int kDraws = CROWDSIM_SANITIZED ? 20000 : 200000;

// Kolmogorov-Smirnov distance between the sorted sample and the CDF `f`.
double ks_distance(std::vector<double> x, const std::function<double(double)>& f) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double p = f(x[i]);
    d = std::max({d, p - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - p});
  }
  return d;
}

// The 0.1% critical value of the Kolmogorov-Smirnov distance for n draws (1.95 / sqrt(n)).
double ks_critical(std::size_t n) { return 1.95 / std::sqrt(static_cast<double>(n)); }

}  // namespace

TEST_CASE("sim::gamma_draw: follows Gamma(shape, 1) below, at and above shape 1", "[sim]") {
  // Below 1 the draw is one of shape + 1 times U^(1/shape); at 60 the squeeze accepts almost
  // every try. Mean and variance are both `shape`.
  for (double shape : {0.3, 1.0, 1.7, 4.5, 60.0}) {
    CAPTURE(shape);
    Stream s(StreamKey{5, 0, purpose_id("test.gamma"), static_cast<std::uint32_t>(shape * 10)});
    std::vector<double> x(kDraws);
    double sum = 0, sum2 = 0;
    for (double& v : x) {
      v = gamma_draw(s, shape);
      REQUIRE(v >= 0.0);
      sum += v, sum2 += v * v;
    }
    const double n = kDraws, mean = sum / n, var = sum2 / n - mean * mean;
    // Both within 5 standard errors: the mean's is sqrt(shape / n); the variance's is
    // sqrt((mu4 - shape^2) / n) with the fourth central moment mu4 = 3 shape^2 + 6 shape.
    CHECK(std::abs(mean - shape) < 5 * std::sqrt(shape / n));
    CHECK(std::abs(var - shape) < 5 * std::sqrt((2 * shape * shape + 6 * shape) / n));
    CHECK(ks_distance(x, [&](double v) { return boost::math::gamma_p(shape, v); }) < ks_critical(x.size()));
  }
}

TEST_CASE("sim::beta_draw: follows Beta(a, b), as Thompson sampling draws it", "[sim]") {
  // The prior Beta(1, 1), a worker with few reviews, and one with many (the posterior narrows).
  for (auto [a, b] : {std::pair{1.0, 1.0}, std::pair{2.5, 7.3}, std::pair{41.0, 12.5}}) {
    CAPTURE(a, b);
    Stream s(StreamKey{6, 0, purpose_id("test.beta"), static_cast<std::uint32_t>(a * 10 + b)});
    std::vector<double> x(kDraws);
    double sum = 0;
    for (double& v : x) {
      v = beta_draw(s, a, b);
      REQUIRE(v > 0.0);
      REQUIRE(v < 1.0);
      sum += v;
    }
    const double mean = a / (a + b), sd = std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
    CHECK(std::abs(sum / kDraws - mean) < 5 * sd / std::sqrt(static_cast<double>(kDraws)));
    CHECK(ks_distance(x, [&](double v) { return boost::math::ibeta(a, b, v); }) < ks_critical(x.size()));
  }
}

TEST_CASE("sim::gamma_draw: the same stream gives the same draws", "[sim]") {
  Stream a(StreamKey{7, 2, purpose_id("test.gamma"), 3}), b(StreamKey{7, 2, purpose_id("test.gamma"), 3});
  for (int i = 0; i < 1000; ++i) REQUIRE(gamma_draw(a, 0.5 + i % 7) == gamma_draw(b, 0.5 + i % 7));
  CHECK(a.words_drawn() == b.words_drawn());
}
