#pragma once
/// \file Streaming accumulation of a run's KPIs (DESIGN §4): memory stays bounded however many
/// tasks go by; percentiles come from a log histogram with relative error below 0.1%.

#include <cstdint>
#include <vector>

#include "models/records.hpp"
#include "sim/stats.hpp"

namespace crowdsim::models {

/// Collects what the KPIs need while a run goes on, and computes them at the end.
class SummaryAccumulator {
 public:
  /// A task was published.
  void on_published() { ++published_; }
  /// A task closed: latency = closed − created, wait = first assignment − created.
  void on_closed(double latency, double wait, std::int8_t correct, bool overdue);
  /// A submission was paid.
  void on_submission(double quality, double review, double reward);
  /// A task still open at the end (counted as overdue if its deadline has passed).
  void on_left_open(bool overdue) { overdue_ += overdue ? 1 : 0; }
  /// Money paid so far.
  double total_cost() const { return cost_; }
  /// Mean quality of submissions so far (NaN before the first).
  double mean_quality() const;
  /// Fraction of closed labelled tasks answered right (NaN before the first).
  double accuracy() const;
  /// Tasks closed so far.
  std::int64_t closed() const { return closed_; }
  /// The KPIs, given every worker's record and the run's length in seconds.
  Kpis finish(const std::vector<WorkerRecord>& workers, double end_time) const;

 private:
  std::int64_t published_ = 0, closed_ = 0, labelled_ = 0, correct_ = 0, overdue_ = 0;
  std::int64_t submissions_ = 0;
  double cost_ = 0.0, quality_sum_ = 0.0, review_sum_ = 0.0;
  sim::RunningStats latency_, wait_;
  sim::LogHistogram latency_hist_;
};

}  // namespace crowdsim::models
