#include "experiment/kpi_meta.hpp"

namespace crowdsim::experiment {

const char* kind_name(KpiKind k) {
  switch (k) {
    case KpiKind::kProportion: return "proportion";
    case KpiKind::kPositive: return "positive";
    case KpiKind::kCount: return "count";
    case KpiKind::kUnbounded: break;
  }
  return "unbounded";
}

const std::vector<KpiMeta>& kpi_table() {
  using K = KpiKind;
  // The definitions are docs/hdf5-layout.md's; this adds what a table or a plot needs.
  static const std::vector<KpiMeta> t{
      {"tasks_published", "tasks published", "", K::kCount, 0},
      {"tasks_closed", "tasks closed", "", K::kCount, +1},
      {"tasks_late", "tasks late", "", K::kCount, -1},
      {"tasks_expired", "tasks expired", "", K::kCount, -1},
      {"tasks_refused", "tasks refused (budget)", "", K::kCount, -1},
      {"tasks_deferred", "tasks deferred (budget)", "", K::kCount, -1},
      {"subtasks_closed", "subtasks ended", "", K::kCount, 0},
      {"completion_rate", "completion rate", "", K::kProportion, +1},
      {"latency_mean", "latency (mean)", "s", K::kPositive, -1},
      {"latency_p50", "latency (median)", "s", K::kPositive, -1},
      {"latency_p95", "latency (95th pct.)", "s", K::kPositive, -1},
      {"latency_p99", "latency (99th pct.)", "s", K::kPositive, -1},
      {"wait_mean", "wait for first assignment (mean)", "s", K::kPositive, -1},
      {"throughput_per_hour", "throughput", "1/h", K::kPositive, +1},
      {"utilization", "utilization", "", K::kProportion, 0},
      {"accuracy", "accuracy", "", K::kProportion, +1},
      {"mean_quality", "quality (mean)", "", K::kProportion, +1},
      {"mean_review", "review score (mean)", "", K::kProportion, +1},
      {"effort_mean", "effort (mean)", "", K::kPositive, 0},
      {"duration_mean", "work duration (mean)", "s", K::kPositive, 0},
      {"participation", "participation", "", K::kProportion, +1},
      {"total_cost", "total cost", "currency", K::kPositive, -1},
      {"cost_per_task", "cost per task", "currency", K::kPositive, -1},
      {"cost_per_closed_task", "cost per closed task", "currency", K::kPositive, -1},
      {"cost_per_correct", "cost per correct answer", "currency", K::kPositive, -1},
      {"earnings_per_hour_mean", "earnings per hour (mean)", "currency/h", K::kPositive, +1},
      {"earnings_per_hour_median", "earnings per hour (median)", "currency/h", K::kPositive, +1},
      {"earnings_per_hour_p10", "earnings per hour (10th pct.)", "currency/h", K::kPositive, +1},
      {"earnings_gini", "earnings Gini", "", K::kProportion, -1},
      {"abandonment_rate", "abandonment rate", "", K::kProportion, -1},
      {"assignments_cancelled", "assignments cancelled", "", K::kCount, -1},
      {"overdue_tasks", "overdue tasks", "", K::kCount, -1},
      {"budget_left", "budget left", "currency", K::kUnbounded, 0},
      {"budget_exhausted_at", "budget exhausted at", "s", K::kPositive, 0},
      {"workers_total", "workers ever online", "", K::kCount, 0},
      {"end_time", "end time", "s", K::kPositive, 0},
      {"deviation_expected_gain", "deviation's expected gain", "currency", K::kUnbounded, 0},
      {"deviation_worker", "deviating worker", "", K::kUnbounded, 0},
      {"deviation_expected_utility", "deviators' expected utility", "currency", K::kUnbounded, 0},
      {"deviation_entries", "assignments taken as entry", "", K::kCount, 0},
      {"deviation_entry_utility", "entries' utility", "currency", K::kUnbounded, 0},
      {"deviation_entry_expected", "entries' expected utility", "currency", K::kUnbounded, 0},
  };
  return t;
}

KpiMeta kpi_meta(const std::string& name) {
  for (const KpiMeta& m : kpi_table())
    if (m.name == name) return m;
  if (name.rfind("accuracy_", 0) == 0)
    return {name, "accuracy (" + name.substr(9) + ")", "", KpiKind::kProportion, +1};
  if (name.rfind("em_capped_", 0) == 0)
    return {name, "EM batches at the iteration cap (" + name.substr(10) + ")", "", KpiKind::kCount, -1};
  if (name.rfind("em_moved_", 0) == 0)
    return {name, "EM change at the last iteration (" + name.substr(9) + ")", "", KpiKind::kPositive, -1};
  return {name, name, "", KpiKind::kUnbounded, 0};
}

}  // namespace crowdsim::experiment
