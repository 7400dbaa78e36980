#pragma once
/// \file What each KPI is (docs/statistics.md): a label and a unit for tables, its kind (which
/// decides the confidence interval: a proportion's never leaves [0, 1], a positive quantity's
/// never goes below 0) and whether more of it is better. The one table summarize, optimize
/// and --baseline use; `crowdsim list` prints it.

#include <string>
#include <vector>

namespace crowdsim::experiment {

/// What values a KPI takes.
enum class KpiKind {
  kProportion,  ///< in [0, 1]: accuracy, rates, shares
  kPositive,    ///< >= 0, continuous: times, money, rates per hour
  kCount,       ///< >= 0, whole numbers per run: tasks closed, refused, ...
  kUnbounded    ///< any real: differences, gains, budget left
};
/// "proportion" | "positive" | "count" | "unbounded".
const char* kind_name(KpiKind k);

struct KpiMeta {
  std::string name;   ///< the column name in /summary
  std::string label;  ///< for a table header or an axis: "accuracy", "latency (95th pct.)"
  std::string unit;   ///< "s", "currency", "1/h", "currency/h", or "" (a number or a share)
  KpiKind kind = KpiKind::kUnbounded;
  int higher_is_better = 0;  ///< +1 more is better, -1 less is better, 0 neither
};

/// Every KPI a run reports, in the order of /summary.
const std::vector<KpiMeta>& kpi_table();
/// The metadata of `name`; `accuracy_<method>` is a proportion like accuracy, an EM batch
/// method's `em_capped_<method>` a count and `em_moved_<method>` a positive quantity; an unknown
/// name gets itself as label, no unit, kind unbounded (Student t: no range to respect).
KpiMeta kpi_meta(const std::string& name);

}  // namespace crowdsim::experiment
