// Gamma draws, side by side: Boost's gamma_distribution (a Cauchy-envelope rejection: a
// tangent, an exponential and a logarithm per try) against sim::gamma_draw (Marsaglia and
// Tsang over Boost's ziggurat normal), the draw Thompson sampling takes twice per candidate.
// Shapes 1 + successes and 1 + failures of a worker's reviews: from the prior (1) to many reviews.
//   build/bench/bench_gamma [draws_per_shape=2000000] [repetitions=5]

#include <boost/random/gamma_distribution.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench/median.hpp"
#include "sim/gamma.hpp"

using namespace crowdsim::sim;
using crowdsim::bench::median;
using Clock = std::chrono::steady_clock;

namespace {

// ns per draw of `draw(stream, shape)`; the sum is printed so that no draw is optimised away.
template <class Draw>
double time_draws(Draw draw, double shape, long n, std::uint64_t seed, double& sum) {
  Stream s(StreamKey{seed, 0, purpose_id("bench.gamma"), 0});
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) sum += draw(s, shape);
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 2000000;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 5;
  auto boost_draw = [](Stream& s, double shape) { return boost::random::gamma_distribution<double>(shape)(s); };
  auto ours = [](Stream& s, double shape) { return gamma_draw(s, shape); };
  std::printf("gamma draws: ns per draw, median of %d interleaved repetitions of %ld draws\n\n", reps, n);
  std::printf("%8s %12s %16s %8s\n", "shape", "Boost", "sim::gamma_draw", "ratio");
  double sum = 0;
  for (double shape : {1.0, 1.5, 3.0, 10.0, 50.0}) {
    std::vector<double> b, g;
    for (int r = 0; r < reps; ++r) {
      b.push_back(time_draws(boost_draw, shape, n, static_cast<std::uint64_t>(r), sum));
      g.push_back(time_draws(ours, shape, n, static_cast<std::uint64_t>(r), sum));
    }
    std::printf("%8.1f %12.1f %16.1f %7.2fx\n", shape, median(b), median(g), median(b) / median(g));
  }
  std::printf("\n(checksum %.6g)\n", sum);
  return 0;
}
