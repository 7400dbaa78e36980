#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "sim/rng.hpp"
#include "sim/stats.hpp"

using namespace crowdsim::sim;

TEST_CASE("sim::RunningStats: matches a two-pass computation", "[sim]") {
  Stream s(StreamKey{5, 0, 0, 0});
  RunningStats r;
  std::vector<double> x;
  for (int i = 0; i < 10000; ++i) x.push_back(1e6 + s.uniform01());  // a large offset tests stability
  for (double v : x) r.add(v);
  double mean = 0, var = 0;
  for (double v : x) mean += v / x.size();
  for (double v : x) var += (v - mean) * (v - mean) / (x.size() - 1);
  CHECK(r.mean() == Approx(mean).epsilon(1e-12));
  CHECK(r.variance() == Approx(var).epsilon(1e-6));
  CHECK(r.min() == *std::min_element(x.begin(), x.end()));
  CHECK(r.count() == 10000);
}

TEST_CASE("sim::LogHistogram: quantiles within 0.1% of the exact ones", "[sim]") {
  Stream s(StreamKey{6, 0, 0, 0});
  LogHistogram h;
  std::vector<double> x;
  for (int i = 0; i < 100000; ++i) {
    x.push_back(-100.0 * std::log(s.uniform01()));
    h.add(x.back());
  }
  std::sort(x.begin(), x.end());
  for (double q : {0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    // The histogram returns its bucket's midpoint for the order statistic at rank ceil(q n);
    // buckets are 2^-10 wide relative, so within 0.1% of that order statistic.
    double exact = x[static_cast<std::size_t>(std::ceil(q * x.size())) - 1];
    INFO("q=" << q);
    CHECK(h.quantile(q) == Approx(exact).epsilon(1e-3));
  }
  CHECK(std::isnan(LogHistogram().quantile(0.5)));
  LogHistogram z;
  z.add(0.0);
  z.add(0.0);
  z.add(5.0);
  CHECK(z.quantile(0.5) == 0.0);
  CHECK(z.quantile(1.0) == Approx(5.0).epsilon(1e-3));
}

TEST_CASE("sim::LogHistogram: a count that wraps around is carried, not lost", "[sim]") {
  // With 8-bit counts a bucket wraps every 256 values: the quantiles must be those of 32-bit
  // counts, which do not wrap here (each bucket's count is its own, whatever its width). Few distinct values, so
  // buckets wrap many times, at different ranks.
  Stream s(StreamKey{9, 0, 0, 0});
  BasicLogHistogram<std::uint8_t> narrow;
  BasicLogHistogram<std::uint32_t> wide;
  std::vector<double> x;
  const double values[] = {0.0, 0.75, 3.0, 60.0, 61.0, 1e6};
  for (int i = 0; i < 20000; ++i) {
    x.push_back(values[s() % 6] * (i % 7 == 0 ? 1.0 + s.uniform01() : 1.0));  // some spread as well
    narrow.add(x.back());
    wide.add(x.back());
  }
  std::sort(x.begin(), x.end());
  CHECK(narrow.count() == 20000);
  for (double q : {0.0, 0.1, 0.2, 0.3, 0.45, 0.5, 0.55, 0.7, 0.85, 0.9, 0.99, 1.0}) {
    INFO("q=" << q);
    CHECK(narrow.quantile(q) == wide.quantile(q));
    double exact = x[std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * x.size()))) - 1];
    CHECK(narrow.quantile(q) == Approx(exact).epsilon(1e-3).margin(1e-12));
  }
}

TEST_CASE("sim::TimeWeighted: a hand-computed average", "[sim]") {
  TimeWeighted t;
  t.reset(0.0, 2.0);
  t.update(1.0, 4.0);  // 2 on [0, 1)
  t.update(3.0, 0.0);  // 4 on [1, 3)
  CHECK(t.average(4.0) == Approx((2.0 + 8.0 + 0.0) / 4.0));
}

TEST_CASE("sim::gini and quantile_sorted: known cases", "[sim]") {
  CHECK(gini({3, 3, 3, 3}) == Approx(0.0).margin(1e-12));
  CHECK(gini({0, 0, 0, 10}) == Approx(3.0 / 4.0));
  CHECK(gini({1, 2, 3}) == Approx(2.0 / 9.0));  // mean abs difference 8/9 over 2 * mean 2
  CHECK(std::isnan(gini({})));  // no worker: undefined, not "equal"
  CHECK(quantile_sorted({1, 2, 3, 4}, 0.5) == 2.5);
  CHECK(quantile_sorted({1, 2, 3, 4}, 0.1) == Approx(1.3));
  CHECK(quantile_sorted({7}, 0.9) == 7.0);
}

TEST_CASE("sim::LogHistogram: each value lands in the bucket frexp gives it", "[sim]") {
  // The bucket index comes from the bits of the double; it must equal the frexp arithmetic it
  // replaced: x = f * 2^e with f in [0.5, 1), 1024 buckets per octave, values below 2^-30 and
  // subnormals counted as zero, octaves above 2^64 clamped into the last bucket.
  auto midpoint = [](double x) {
    int e;
    double f = std::frexp(x, &e);
    if (x == 0.0 || e <= -30) return 0.0;
    if (e > 64) e = 64, f = 0.999999;
    double sub = std::floor((f - 0.5) * 2.0 * 1024);
    double lo = std::ldexp(0.5 + sub / 2048.0, e), hi = std::ldexp(0.5 + (sub + 1.0) / 2048.0, e);
    return 0.5 * (lo + hi);
  };
  Stream s(StreamKey{8, 0, 0, 0});
  std::vector<double> xs{0.0, 5e-324, 2.2e-308, std::ldexp(1.0, -31), std::ldexp(1.0, -30), std::ldexp(1.0, -29),
                         std::nextafter(std::ldexp(1.0, -29), 0.0), 0.5, 1.0, std::nextafter(1.0, 2.0), 3.0, 60.0,
                         std::ldexp(1.0, 63), std::ldexp(1.0, 64), std::ldexp(1.0, 65), 1e300};
  for (int i = 0; i < 2000; ++i) xs.push_back(std::ldexp(s.uniform01(), static_cast<int>(s() % 120) - 40));
  for (double x : xs) {
    LogHistogram h;
    h.add(x);
    INFO("x=" << x);
    CHECK(h.quantile(0.5) == midpoint(x));
  }
}
