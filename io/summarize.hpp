#pragma once
/// \file `crowdsim summarize`: the KPIs of a results file, grouped by policy and parameters,
/// with 95% confidence intervals over replications (Student t).

#include <cstdint>
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
  std::vector<std::size_t> runs;               ///< run ids
  std::vector<std::int64_t> replications;      ///< each run's replication, as runs
  std::vector<KpiStat> kpis;                   ///< in the order of SummaryTable::kpi_names
  std::vector<std::vector<double>> values;     ///< per KPI, each run's value, as runs
  /// "assignment / incentive {params}", as the table prints it.
  std::string label() const;
};

/// Every group of a file.
struct SummaryTable {
  std::vector<std::string> kpi_names;
  std::vector<SummaryGroup> groups;
};

/// Per KPI, the difference group − baseline paired by replication (runs of the same replication
/// share every worker's and task's draws): mean and 95% t interval over the replications both
/// have. n = 0 when they share none.
std::vector<KpiStat> paired_differences(const SummaryGroup& group, const SummaryGroup& baseline);
/// The group `name` designates: the one whose label is `name`, or the only one whose assignment
/// (or else incentive) policy is `name`. Throws std::invalid_argument listing the choices.
std::size_t find_group(const SummaryTable& t, const std::string& name);

/// Reads `path`'s /summary and run attributes; throws std::runtime_error naming the file.
SummaryTable summarize_file(const std::string& path);
/// Mean and t confidence interval (95% unless `confidence` says otherwise) of the finite values.
KpiStat kpi_stat(const std::vector<double>& values, double confidence = 0.95);
/// A fixed-width table of `kpis` (all when empty): "mean ± half-width"; with a `baseline` group
/// (not kNoBaseline), a second table of each group's paired difference from it.
inline constexpr std::size_t kNoBaseline = static_cast<std::size_t>(-1);
void print_table(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out,
                 std::size_t baseline = kNoBaseline);
/// CSV, one row per group and KPI: group keys, kpi, n, mean, ci_low, ci_high; with a baseline,
/// also diff_n, diff_mean, diff_low, diff_high (the paired difference from it).
void print_csv(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out,
               std::size_t baseline = kNoBaseline);

}  // namespace crowdsim::io
