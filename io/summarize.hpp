#pragma once
/// \file `crowdsim summarize`: the KPIs of a results file, grouped by policy and parameters,
/// with 95% confidence intervals over replications (Student t).

#include <ostream>
#include <string>
#include <vector>

namespace crowdsim::io {

/// One KPI of one group: mean over its runs and the 95% confidence interval of the mean.
struct KpiStat {
  double mean = 0, low = 0, high = 0;  ///< low/high NaN with fewer than 2 runs
  std::size_t n = 0;                   ///< runs with a finite value
};

/// The runs that share an assignment policy, an incentive policy and parameters.
struct SummaryGroup {
  std::string assignment_policy, incentive_policy, params;
  std::vector<std::size_t> runs;  ///< run ids
  std::vector<KpiStat> kpis;      ///< in the order of SummaryTable::kpi_names
};

/// Every group of a file.
struct SummaryTable {
  std::vector<std::string> kpi_names;
  std::vector<SummaryGroup> groups;
};

/// Reads `path`'s /summary and run attributes; throws std::runtime_error naming the file.
SummaryTable summarize_file(const std::string& path);
/// Mean and 95% t confidence interval of the finite values.
KpiStat kpi_stat(const std::vector<double>& values);
/// A fixed-width table of `kpis` (all when empty): "mean ± half-width".
void print_table(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out);
/// CSV, one row per group and KPI: group keys, kpi, n, mean, ci_low, ci_high.
void print_csv(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out);

}  // namespace crowdsim::io
