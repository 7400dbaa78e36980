#pragma once
/// \file Streaming accumulation of a run's KPIs (docs/hdf5-layout.md): memory stays bounded however many
/// tasks go by; percentiles come from a log histogram with relative error below 0.1%.
/// "Tasks" in the KPIs are top-level tasks (what arrives); a decomposed task counts once, with
/// its whole workflow's latency. Accuracy is over labelled leaf tasks (those that get answers)
/// that closed with all their answers. docs/hdf5-layout.md gives each KPI's numerator and
/// denominator.

#include <cstdint>
#include <limits>
#include <vector>

#include "models/records.hpp"
#include "sim/stats.hpp"

namespace crowdsim::models {

/// The budget's side of the KPIs.
struct BudgetInfo {
  double budget = std::numeric_limits<double>::infinity();
  double exhausted_at = std::numeric_limits<double>::quiet_NaN();
  std::int64_t refused = 0;   ///< top-level tasks refused once publishing stopped for good
  std::int64_t deferred = 0;  ///< top-level tasks published after waiting for budget
};

/// Collects what the KPIs need while a run goes on, and computes them at the end. What is
/// called once per task or answer is inline (the platform calls it for every task).
class SummaryAccumulator {
 public:
  /// A top-level task was published.
  void on_published() { ++published_; }
  /// A top-level task ended: closed with all its answers (`late`: after its deadline), or
  /// `expired` (ended by its deadline short of answers). Latency = closed − created, wait =
  /// first assignment − created, both counted for closed tasks only.
  void on_closed(double latency, double wait, bool late, bool expired) {
    // Not closed by its deadline: closed late, or never closed with all its answers.
    overdue_ += late || expired ? 1 : 0;
    if (expired) {
      ++expired_;
      return;
    }
    ++closed_;
    late_ += late ? 1 : 0;
    latency_sum_ += latency;
    latency_hist_.add(latency);
    wait_sum_ += wait;
  }
  /// A leaf task (one that gets answers) ended with its aggregate right (1), wrong (0) or none
  /// (-1); accuracy counts it only if it closed (not `expired`).
  void on_leaf_closed(std::int8_t correct, bool subtask, bool expired) {
    subtasks_closed_ += subtask ? 1 : 0;
    if (correct >= 0 && !expired) {
      ++labelled_;
      correct_ += correct;
    }
  }
  /// A submission was reviewed.
  void on_review(double quality, double review) {
    ++submissions_;
    quality_sum_ += quality;
    review_sum_ += review;
  }
  /// A submission's effort and time (seconds).
  void on_work(double effort, double duration) {
    effort_sum_ += effort;
    duration_sum_ += duration;
  }
  /// Share of (worker, task type) pairs a worker would take (1 for sampled workers).
  void set_participation(double share) { participation_ = share; }
  /// A payment was made.
  void on_payment(double reward) { cost_ += reward; }
  /// An assignment was abandoned.
  void on_abandoned() { ++abandoned_; }
  /// An assignment was cancelled at its task's deadline (in_progress "cancel").
  void on_cancelled() { ++cancelled_; }
  /// A top-level task still open at the end (counted as overdue if its deadline has passed).
  void on_left_open(bool overdue) { overdue_ += overdue ? 1 : 0; }
  /// Money paid so far.
  double total_cost() const { return cost_; }
  /// Mean quality of submissions so far (NaN before the first).
  double mean_quality() const;
  /// Fraction of closed labelled tasks answered right (NaN before the first).
  double accuracy() const;
  /// Top-level tasks closed with all their answers so far.
  std::int64_t closed() const { return closed_; }
  /// The KPIs, given every worker's record, the time each has spent on an assignment still
  /// under way when the run ends (0 if none; one per record) and the run's length in seconds.
  Kpis finish(const std::vector<WorkerRecord>& workers, const std::vector<double>& under_way, double end_time,
              const BudgetInfo& budget) const;

 private:
  std::int64_t published_ = 0, closed_ = 0, late_ = 0, expired_ = 0, labelled_ = 0, correct_ = 0, overdue_ = 0;
  std::int64_t subtasks_closed_ = 0, submissions_ = 0, abandoned_ = 0, cancelled_ = 0;
  double cost_ = 0.0, quality_sum_ = 0.0, review_sum_ = 0.0, effort_sum_ = 0.0, duration_sum_ = 0.0;
  double participation_ = 1.0;
  double latency_sum_ = 0.0, wait_sum_ = 0.0;  // only the means are reported: sums, no divisions per task
  sim::LogHistogram latency_hist_;
};

}  // namespace crowdsim::models
