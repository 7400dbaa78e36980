#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/rng.hpp"

using namespace crowdsim::sim;

namespace {
std::vector<std::uint64_t> words(const StreamKey& k, int n = 16) {
  Stream s(k);
  std::vector<std::uint64_t> w;
  for (int i = 0; i < n; ++i) w.push_back(s());
  return w;
}
}  // namespace

TEST_CASE("sim::Stream: the same key gives the same draws", "[sim]") {
  StreamKey k{12345, 3, purpose_id("worker.work"), 17};
  CHECK(words(k, 1000) == words(k, 1000));
}

TEST_CASE("sim::Stream: changing any one field of the key changes the draws", "[sim]") {
  StreamKey base{12345, 3, 7, 17};
  auto w = words(base);
  StreamKey k = base;
  k.seed += 1;
  CHECK(words(k) != w);
  k = base;
  k.seed += 1ull << 32;  // the high half of the seed counts too
  CHECK(words(k) != w);
  k = base;
  k.replication += 1;
  CHECK(words(k) != w);
  k = base;
  k.purpose += 1;
  CHECK(words(k) != w);
  k = base;
  k.entity += 1;
  CHECK(words(k) != w);
}

TEST_CASE("sim::Stream: uniform01 lies in (0, 1) with mean 1/2", "[sim]") {
  Stream s(StreamKey{9, 0, 0, 0});
  const int n = 1000000;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    double u = s.uniform01();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  // Var U(0,1) = 1/12, so the SE of the mean is sqrt(1/12/n).
  CHECK(std::abs(sum / n - 0.5) < 4 * std::sqrt(1.0 / 12 / n));
  CHECK(s.words_drawn() == static_cast<std::uint64_t>(n));  // one word per double
}

TEST_CASE("sim::purpose_id: stable FNV-1a, distinct names differ", "[sim]") {
  STATIC_REQUIRE(purpose_id("a") == 0xe40c292cu);
  CHECK(purpose_id("task.arrival") != purpose_id("task.attributes"));
}

TEST_CASE("sim::Stream: exponential draws follow Exp(mean), tail included", "[sim]") {
  Stream s(StreamKey{10, 0, purpose_id("test"), 0});
  const int n = 1000000;
  const double mean = 2.5;
  std::vector<double> x(n);
  for (double& v : x) {
    v = s.exponential(mean);
    REQUIRE(v > 0.0);
  }
  std::sort(x.begin(), x.end());
  // Kolmogorov-Smirnov against 1 - exp(-x / mean): the 0.1% critical value is 1.95 / sqrt(n).
  double d = 0;
  for (int i = 0; i < n; ++i) {
    double f = 1.0 - std::exp(-x[i] / mean);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  CHECK(d < 1.95 / std::sqrt(static_cast<double>(n)));
  // The ziggurat's tail (beyond its last layer, x > 7.7 means) is drawn by a separate branch:
  // P(X > 10 means) = e^-10, so about 45 draws, within 4 SE (Poisson).
  auto beyond = static_cast<double>(x.end() - std::upper_bound(x.begin(), x.end(), 10 * mean));
  double expected = n * std::exp(-10.0);
  CHECK(std::abs(beyond - expected) < 4 * std::sqrt(expected));
}

TEST_CASE("sim::Stream: exponential is Boost's ziggurat, draw for draw and word for word", "[sim]") {
  // Stream::exponential computes the ziggurat's first step inline and falls back to Boost for
  // the rest: every draw, and the words it consumes, must be Boost's own (results depend on it).
  Stream a(StreamKey{3, 1, purpose_id("test"), 7}), b(StreamKey{3, 1, purpose_id("test"), 7});
  boost::random::exponential_distribution<double> unit(1.0);
  int mismatches = 0;
  for (int i = 0; i < 1000000; ++i) {
    const double mean = 0.25 + (i % 5);
    double x = a.exponential(mean), y;
    do y = unit(b);
    while (y == 0.0);
    mismatches += x != mean * y;
    if (i % 3 == 0) mismatches += a() != b();  // the words after stay in step
  }
  CHECK(mismatches == 0);
  CHECK(a.words_drawn() == b.words_drawn());
}
