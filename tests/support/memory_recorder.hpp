#pragma once
// A recorder that keeps everything in memory, for tests that inspect a whole run.

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/recorder.hpp"

namespace crowdsim::testing {

struct MemoryRecorder : models::Recorder {
  std::vector<models::RunInfo> runs;
  std::vector<models::TaskRecord> tasks;
  std::vector<models::AssignmentRecord> assignments;
  std::vector<models::WorkerRecord> workers;
  std::vector<models::SnapshotRecord> snapshots;
  std::vector<models::AlertRecord> alerts;
  std::vector<models::StrategyRecord> strategies;
  std::vector<models::Kpis> kpis;
  std::vector<std::uint64_t> event_counts;  ///< what events() said, one per snapshot

  void begin_run(const models::RunInfo& i) override { runs.push_back(i); }
  void task(const models::TaskRecord& r) override { tasks.push_back(r); }
  void assignment(const models::AssignmentRecord& r) override { assignments.push_back(r); }
  void worker(const models::WorkerRecord& r) override { workers.push_back(r); }
  void snapshot(const models::SnapshotRecord& r) override { snapshots.push_back(r); }
  void alert(const models::AlertRecord& r) override { alerts.push_back(r); }
  void strategy(const models::StrategyRecord& r) override { strategies.push_back(r); }
  void events(std::uint64_t handled) override { event_counts.push_back(handled); }
  void end_run(const models::RunInfo& i, const models::Kpis& k) override {
    runs.back() = i;
    kpis.push_back(k);
  }
  /// True when runs `i` of this and `j` of `other` have the same KPIs (NaN equal to NaN).
  bool same_kpis(const MemoryRecorder& other) const {
    if (kpis.size() != other.kpis.size()) return false;
    for (std::size_t r = 0; r < kpis.size(); ++r)
      for (std::size_t k = 0; k < kpis[r].size(); ++k) {
        double x = kpis[r][k].second, y = other.kpis[r].at(k).second;
        if (kpis[r][k].first != other.kpis[r][k].first || !(x == y || (std::isnan(x) && std::isnan(y)))) return false;
      }
    return true;
  }
  /// How many alerts of `kind` were raised (over every run).
  std::size_t alerts_of(models::AlertKind kind) const {
    std::size_t n = 0;
    for (const auto& a : alerts) n += a.kind == kind;
    return n;
  }
  /// A KPI of run `run` by name (NaN-safe lookups are the caller's business).
  double kpi(const std::string& name, std::size_t run = 0) const {
    for (const auto& [n, v] : kpis.at(run))
      if (n == name) return v;
    throw std::out_of_range("no KPI " + name);
  }
};

}  // namespace crowdsim::testing
