#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/rng.hpp"

using namespace crowdsim::sim;

namespace {
std::vector<std::uint32_t> words(const StreamKey& k, int n = 16) {
  Stream s(k);
  std::vector<std::uint32_t> w;
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
  CHECK(s.words_drawn() == 2ull * n);
}

TEST_CASE("sim::purpose_id: stable FNV-1a, distinct names differ", "[sim]") {
  STATIC_REQUIRE(purpose_id("a") == 0xe40c292cu);
  CHECK(purpose_id("task.arrival") != purpose_id("task.attributes"));
}
