// The minimal hand-written M/M/c loop (docs/performance.md): what a careful programmer writes for this one
// model, no generality, no output. The yardstick for crowdsim's own mmc scenario.
//   build/bench/bench_mmc_minimal --tasks 1000000 --servers 50 --rho 0.9 --service-mean 60

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <queue>
#include <vector>

namespace {

// xoshiro256+ (public domain, Blackman & Vigna): fast and good enough for a benchmark.
struct Rng {
  std::uint64_t s[4];
  explicit Rng(std::uint64_t seed) {
    for (auto& x : s) {  // splitmix64 seeding
      seed += 0x9e3779b97f4a7c15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      x = z ^ (z >> 31);
    }
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  double uniform() {  // (0, 1)
    std::uint64_t r = s[0] + s[3], t = s[1] << 17;
    s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3], s[2] ^= t, s[3] = rotl(s[3], 45);
    return ((r >> 11) + 0.5) * 0x1.0p-53;
  }
  double exp(double mean) { return -mean * std::log(uniform()); }
};

struct Ev {
  double time;
  std::uint64_t seq;
  int type;  // 0 arrival, 1 departure
  bool operator>(const Ev& o) const { return time > o.time || (time == o.time && seq > o.seq); }
};

}  // namespace

int main(int argc, char** argv) {
  long tasks = 1000000;
  int servers = 50;
  double rho = 0.9, service = 60.0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--tasks")) tasks = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--servers")) servers = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rho")) rho = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--service-mean")) service = std::atof(argv[i + 1]);
  }
  double gap = service / (rho * servers);
  auto t0 = std::chrono::steady_clock::now();
  Rng rng(1);
  std::priority_queue<Ev, std::vector<Ev>, std::greater<Ev>> pq;
  std::deque<double> waiting;  // arrival times of queued tasks
  std::uint64_t seq = 0, events = 0;
  long arrived = 0;
  int busy = 0;
  double total_wait = 0;
  pq.push({rng.exp(gap), seq++, 0});
  while (!pq.empty()) {
    Ev e = pq.top();
    pq.pop();
    ++events;
    if (e.type == 0) {
      if (++arrived < tasks) pq.push({e.time + rng.exp(gap), seq++, 0});
      if (busy < servers) ++busy, pq.push({e.time + rng.exp(service), seq++, 1});
      else waiting.push_back(e.time);
    } else if (!waiting.empty()) {
      total_wait += e.time - waiting.front();
      waiting.pop_front();
      pq.push({e.time + rng.exp(service), seq++, 1});
    } else {
      --busy;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("impl=minimal tasks=%ld events=%llu seconds=%.4f events_per_second=%.0f mean_wait=%.4f\n", tasks,
              static_cast<unsigned long long>(events), secs, events / secs, total_wait / tasks);
  return 0;
}
