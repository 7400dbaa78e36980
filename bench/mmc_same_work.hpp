#pragma once
/// \file The M/M/c loop of bench/mmc_minimal.cpp doing the model's own work (docs/performance.md,
/// "What the model costs"): crowdsim's random streams (Philox4x64: one per worker, one for
/// arrivals, a block of true labels per four tasks) with its draws in its order, a true label per
/// task, an answer per assignment, its exact review and fixed payment, and the sums behind the
/// KPIs. No platform: no task slots, policies, recorder, snapshots or latency histogram.
///
/// It draws exactly what crowdsim draws for scenarios/mmc.json (any pool size and rate), so its
/// figures equal that run's KPIs bit for bit (tests/validation/mmc_test.cpp checks it): an
/// implementation of the M/M/c platform written independently of crowdsim's.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <vector>

#include "sim/rng.hpp"

namespace crowdsim::bench {

struct SameWorkParams {
  std::int64_t tasks = 1000000;
  std::uint32_t workers = 50;
  double rate_per_hour = 2700;  // Poisson arrivals
  double expected_duration = 60;  // seconds; times T · exponential(1)
  double accuracy = 0.8;          // every worker's, two classes
  double bounty = 0.05;           // the fixed reward
  std::uint64_t seed = 1;         // replication 0
};

/// What the KPIs of crowdsim's /summary of the same run are computed from.
struct SameWorkResult {
  std::uint64_t events = 0;
  std::int64_t closed = 0, correct = 0;
  double wait_sum = 0, latency_sum = 0, quality_sum = 0, review_sum = 0, duration_sum = 0, cost = 0, end = 0;
};

inline SameWorkResult simulate_same_work(const SameWorkParams& p) {
  using sim::purpose_id;
  using sim::Stream;
  using sim::StreamKey;
  struct Ev {
    double time;
    std::uint64_t seq;
    std::uint32_t worker;  // kArrival: the next task arrives
    bool operator>(const Ev& o) const { return time > o.time || (time == o.time && seq > o.seq); }
  };
  constexpr std::uint32_t kArrival = 0xffffffffu;
  struct Task {
    double created, first_assigned;
    bool truth;
  };
  struct Worker {
    Stream work;
    Task task;  // the one it works on
    double duration;
    bool right;
  };

  const double gap = 3600.0 / p.rate_per_hour;
  // An answer's chance to be right: chance + (accuracy - chance) · gain / difficulty, clipped.
  const double quality = std::clamp(0.5 + (p.accuracy - 0.5) * 1.0, 0.0, 1.0);
  Stream arrivals(StreamKey{p.seed, 0, purpose_id("task.arrival"), 0});
  std::vector<Worker> workers;
  std::deque<std::uint32_t> idle;  // longest idle first
  for (std::uint32_t w = 0; w < p.workers; ++w) {
    workers.push_back(Worker{Stream(StreamKey{p.seed, 0, purpose_id("worker.work"), w}), {}, 0, false});
    idle.push_back(w);
  }
  std::deque<Task> waiting;  // oldest first
  std::array<std::uint64_t, 4> labels{};
  std::priority_queue<Ev, std::vector<Ev>, std::greater<Ev>> pq;
  std::uint64_t seq = 0;
  std::int64_t arrived = 0;
  double now = 0;
  SameWorkResult r;

  auto assign = [&](const Task& t, std::uint32_t w) {
    Worker& k = workers[w];
    k.task = t;
    if (std::isnan(k.task.first_assigned)) k.task.first_assigned = now;
    k.duration = p.expected_duration * 1.0 * 1.0 * k.work.exponential(1.0);  // T · difficulty · speed · noise
    k.right = k.work.uniform01() < quality;
    pq.push({now + k.duration, seq++, w});
  };
  if (p.tasks > 0) pq.push({now + arrivals.exponential(gap), seq++, kArrival});
  while (!pq.empty()) {
    const Ev e = pq.top();
    pq.pop();
    ++r.events;
    now = e.time;
    if (e.worker == kArrival) {
      auto i = static_cast<std::uint32_t>(arrived++);
      if (i % 4 == 0) labels = Stream(StreamKey{p.seed, 0, purpose_id("task.label"), i / 4}).block();
      const Task t{now, std::nan(""), labels[i % 4] % 2 == 1};
      if (arrived < p.tasks) pq.push({now + arrivals.exponential(gap), seq++, kArrival});
      if (idle.empty()) {
        waiting.push_back(t);
      } else {
        std::uint32_t w = idle.front();
        idle.pop_front();
        assign(t, w);
      }
    } else {
      Worker& k = workers[e.worker];
      r.quality_sum += quality;
      r.review_sum += k.right ? 1.0 : 0.0;  // the exact review: the answer against the truth
      r.duration_sum += k.duration;
      r.cost += p.bounty;
      r.correct += k.right;
      ++r.closed;
      r.latency_sum += now - k.task.created;
      r.wait_sum += k.task.first_assigned - k.task.created;
      if (waiting.empty()) {
        idle.push_back(e.worker);
      } else {
        assign(waiting.front(), e.worker);
        waiting.pop_front();
      }
    }
  }
  r.end = now;
  return r;
}

}  // namespace crowdsim::bench
