#include "models/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace crowdsim::models {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }
}  // namespace

double SummaryAccumulator::mean_quality() const { return ratio(quality_sum_, submissions_); }
double SummaryAccumulator::accuracy() const { return ratio(correct_, labelled_); }

Kpis SummaryAccumulator::finish(const std::vector<WorkerRecord>& workers, const std::vector<double>& under_way,
                                double end_time, const BudgetInfo& budget) const {
  double busy = 0.0, online = 0.0;
  std::vector<double> per_hour;
  for (std::size_t i = 0; i < workers.size(); ++i) {
    const WorkerRecord& w = workers[i];
    double span = (std::isnan(w.departed) ? end_time : w.departed) - w.arrived;
    // Utilisation counts the work under way when a horizon stops the clock, not only the
    // assignments that ended. A worker busy all along has summed its durations while the clock
    // summed the same steps rounded differently: the share may come out an ulp above 1, never really.
    busy += std::min(w.busy_time + under_way[i], span);
    online += span;
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
      {"tasks_late", static_cast<double>(late_)},
      {"tasks_expired", static_cast<double>(expired_)},
      {"tasks_refused", static_cast<double>(budget.refused)},
      {"tasks_deferred", static_cast<double>(budget.deferred)},
      {"subtasks_closed", static_cast<double>(subtasks_closed_)},
      {"completion_rate", ratio(closed_, published_)},
      {"latency_mean", ratio(latency_sum_, static_cast<double>(closed_))},
      {"latency_p50", lat(0.50)},
      {"latency_p95", lat(0.95)},
      {"latency_p99", lat(0.99)},
      {"wait_mean", ratio(wait_sum_, static_cast<double>(closed_))},
      {"throughput_per_hour", ratio(closed_, hours)},
      {"utilization", ratio(busy, online)},
      {"accuracy", accuracy()},
      {"mean_quality", mean_quality()},
      {"mean_review", ratio(review_sum_, submissions_)},
      {"effort_mean", ratio(effort_sum_, submissions_)},
      {"duration_mean", ratio(duration_sum_, submissions_)},
      {"participation", participation_},
      {"total_cost", cost_},
      {"cost_per_task", ratio(cost_, published_)},
      {"cost_per_closed_task", ratio(cost_, closed_)},
      {"cost_per_correct", ratio(cost_, correct_)},
      {"earnings_per_hour_mean", per_hour.empty() ? kNaN : eph.mean()},
      {"earnings_per_hour_median", q(0.5)},
      {"earnings_per_hour_p10", q(0.1)},
      {"earnings_gini", sim::gini(per_hour)},
      // Over every assignment that ended: submitted, abandoned or cancelled.
      {"abandonment_rate", ratio(abandoned_, submissions_ + abandoned_ + cancelled_)},
      {"assignments_cancelled", static_cast<double>(cancelled_)},
      {"overdue_tasks", static_cast<double>(overdue_)},
      {"budget_left", std::isinf(budget.budget) ? kNaN : budget.budget - cost_},
      {"budget_exhausted_at", budget.exhausted_at},
      {"workers_total", static_cast<double>(workers.size())},
      {"end_time", end_time},
  };
}

}  // namespace crowdsim::models
