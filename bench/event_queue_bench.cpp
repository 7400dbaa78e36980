// The hold model: N pending events; each operation pops the earliest and pushes a new one at
// now + Exp(1). Measures sim::EventQueue against std::priority_queue side by side.
//   build/bench/bench_event_queue [ops_per_size=2000000] [repetitions=5]

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <queue>
#include <vector>

#include "bench/median.hpp"
#include "sim/event_queue.hpp"
#include "sim/rng.hpp"

using namespace crowdsim::sim;
using crowdsim::bench::median;
using Clock = std::chrono::steady_clock;

namespace {

// ns per hold operation for crowdsim's queue.
double hold_crowdsim(std::size_t n, std::size_t ops, std::uint64_t seed) {
  Stream s(StreamKey{seed, 0, 0, 0});
  EventQueue q;
  q.reserve(n);
  for (std::size_t i = 0; i < n; ++i) q.push(-std::log(s.uniform01()), 0, i);
  Event e{};
  auto t0 = Clock::now();
  for (std::size_t i = 0; i < ops; ++i) {
    q.pop(e);
    q.push(e.time - std::log(s.uniform01()), 0, e.target);
  }
  double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / static_cast<double>(ops);
  if (q.size() != n) std::abort();
  return ns;
}

// The same with std::priority_queue of (time, seq): a reference point, no cancellation.
double hold_std(std::size_t n, std::size_t ops, std::uint64_t seed) {
  Stream s(StreamKey{seed, 0, 0, 0});
  using Item = std::pair<double, std::uint64_t>;
  std::vector<Item> storage;
  storage.reserve(n);
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> q(std::greater<Item>(), std::move(storage));
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < n; ++i) q.emplace(-std::log(s.uniform01()), seq++);
  auto t0 = Clock::now();
  for (std::size_t i = 0; i < ops; ++i) {
    double t = q.top().first;
    q.pop();
    q.emplace(t - std::log(s.uniform01()), seq++);
  }
  double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / static_cast<double>(ops);
  if (q.size() != n) std::abort();
  return ns;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t ops = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
  int reps = argc > 2 ? std::atoi(argv[2]) : 5;
  std::printf("hold model: %zu operations per size, median of %d repetitions\n\n", ops, reps);
  std::printf("%10s  %14s  %12s  %14s  %12s\n", "pending", "crowdsim ns/op", "M ops/s", "std::pq ns/op", "ratio");
  for (std::size_t n : {100ul, 1000ul, 10000ul, 100000ul, 1000000ul}) {
    std::vector<double> a, b;
    for (int r = 0; r < reps; ++r) {  // interleaved, so both see the same machine state
      a.push_back(hold_crowdsim(n, ops, 1 + r));
      b.push_back(hold_std(n, ops, 1 + r));
    }
    double ma = median(a), mb = median(b);
    std::printf("%10zu  %14.1f  %12.2f  %14.1f  %12.2f\n", n, ma, 1e3 / ma, mb, ma / mb);
  }
  return 0;
}
