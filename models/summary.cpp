#include "models/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace crowdsim::models {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }
}  // namespace

void SummaryAccumulator::on_closed(double latency, double wait, std::int8_t correct, bool overdue) {
  ++closed_;
  latency_.add(latency);
  latency_hist_.add(latency);
  wait_.add(wait);
  if (correct >= 0) {
    ++labelled_;
    correct_ += correct;
  }
  overdue_ += overdue ? 1 : 0;
}

void SummaryAccumulator::on_submission(double quality, double review, double reward) {
  ++submissions_;
  quality_sum_ += quality;
  review_sum_ += review;
  cost_ += reward;
}

double SummaryAccumulator::mean_quality() const { return ratio(quality_sum_, submissions_); }
double SummaryAccumulator::accuracy() const { return ratio(correct_, labelled_); }

Kpis SummaryAccumulator::finish(const std::vector<WorkerRecord>& workers, double end_time) const {
  double busy = 0.0;
  std::vector<double> per_hour;
  for (const auto& w : workers) {
    busy += w.busy_time;
    if (w.busy_time > 0) per_hour.push_back(w.earnings / (w.busy_time / 3600.0));
  }
  std::sort(per_hour.begin(), per_hour.end());
  sim::RunningStats eph;
  for (double x : per_hour) eph.add(x);
  auto q = [&](double p) { return per_hour.empty() ? kNaN : sim::quantile_sorted(per_hour, p); };
  auto lat = [&](double p) { return closed_ ? latency_hist_.quantile(p) : kNaN; };
  double hours = end_time / 3600.0;
  return Kpis{
      {"tasks_published", static_cast<double>(published_)},
      {"tasks_closed", static_cast<double>(closed_)},
      {"completion_rate", ratio(closed_, published_)},
      {"latency_mean", closed_ ? latency_.mean() : kNaN},
      {"latency_p50", lat(0.50)},
      {"latency_p95", lat(0.95)},
      {"latency_p99", lat(0.99)},
      {"wait_mean", closed_ ? wait_.mean() : kNaN},
      {"throughput_per_hour", ratio(closed_, hours)},
      {"utilization", ratio(busy, static_cast<double>(workers.size()) * end_time)},
      {"accuracy", accuracy()},
      {"mean_quality", mean_quality()},
      {"mean_review", ratio(review_sum_, submissions_)},
      {"total_cost", cost_},
      {"cost_per_task", ratio(cost_, closed_)},
      {"cost_per_correct", ratio(cost_, correct_)},
      {"earnings_per_hour_mean", per_hour.empty() ? kNaN : eph.mean()},
      {"earnings_per_hour_median", q(0.5)},
      {"earnings_per_hour_p10", q(0.1)},
      {"earnings_gini", sim::gini(per_hour)},
      {"abandonment_rate", submissions_ ? 0.0 : kNaN},
      {"overdue_tasks", static_cast<double>(overdue_)},
      {"budget_left", kNaN},
      {"end_time", end_time},
  };
}

}  // namespace crowdsim::models
