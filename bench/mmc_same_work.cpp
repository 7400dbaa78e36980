// The M/M/c loop doing the model's own work (bench/mmc_same_work.hpp), timed like the minimal
// loop (bench/mmc_minimal.cpp) and with the same options. Its time against the minimal loop's is
// what crowdsim's random streams, draws and sums cost; crowdsim's against it, what the
// platform's generality costs (docs/performance.md, "What the model costs").
//   build/bench/bench_mmc_same_work --tasks 1000000 --servers 50 --rho 0.9 --service-mean 60

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bench/mmc_same_work.hpp"

int main(int argc, char** argv) {
  crowdsim::bench::SameWorkParams p;
  double rho = 0.9;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--tasks")) p.tasks = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--servers")) p.workers = static_cast<std::uint32_t>(std::atoi(argv[i + 1]));
    else if (!std::strcmp(argv[i], "--rho")) rho = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--service-mean")) p.expected_duration = std::atof(argv[i + 1]);
  }
  p.rate_per_hour = rho * p.workers * 3600.0 / p.expected_duration;
  auto t0 = std::chrono::steady_clock::now();
  crowdsim::bench::SameWorkResult r = crowdsim::bench::simulate_same_work(p);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto n = static_cast<double>(r.closed);
  std::printf("impl=same_work tasks=%lld events=%llu seconds=%.4f events_per_second=%.0f wait_mean=%.17g "
              "latency_mean=%.17g accuracy=%.17g mean_review=%.17g duration_mean=%.17g total_cost=%.17g "
              "end_time=%.17g\n",
              static_cast<long long>(p.tasks), static_cast<unsigned long long>(r.events), secs, r.events / secs,
              r.wait_sum / n, r.latency_sum / n, r.correct / n, r.review_sum / n, r.duration_sum / n, r.cost, r.end);
  return 0;
}
