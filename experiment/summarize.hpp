#pragma once
/// \file `crowdsim summarize`: the KPIs of a results file, grouped by policy and parameters,
/// with 95% confidence intervals over replications that respect each KPI's range, and with
/// --baseline, each group's difference from one group with Holm-corrected p-values
/// (docs/statistics.md).

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/intervals.hpp"
#include "experiment/kpi_meta.hpp"
#include "io/format.hpp"

namespace crowdsim::experiment {

/// The runs that share an assignment policy, an incentive policy and parameters.
struct SummaryGroup {
  std::string assignment_policy, incentive_policy, params;
  std::map<std::string, nlohmann::json> param_values;  ///< params flattened to dotted paths
  std::string short_label;                  ///< only what differs between the file's groups
  std::vector<std::size_t> runs;            ///< run ids
  std::vector<std::int64_t> replications;   ///< each run's replication, as runs
  std::vector<KpiStat> kpis;                ///< in the order of SummaryTable::kpi_names
  std::vector<std::vector<double>> values;  ///< per KPI, each run's value, as runs
  /// Runs left out because they repeat one of the group's runs: the same parameters, seed and
  /// replication (sweep points that coincide, e.g. integer samples), so the same numbers.
  /// Counted once, they would add copies without spread to the mean and to the pairs.
  std::size_t repeated = 0;
  /// "assignment / incentive {params}", the whole key.
  std::string label() const;
};

/// Every group of a file.
struct SummaryTable {
  std::vector<std::string> kpi_names;
  std::vector<std::string> param_names;  ///< every swept parameter (dotted paths), sorted
  std::vector<SummaryGroup> groups;
  std::string status;  ///< the file's status: "complete", or "partial" when runs may be missing
};

/// One group against the baseline on one KPI.
struct Comparison {
  KpiStat diff;         ///< mean difference group − baseline and its Student t interval
  bool paired = false;  ///< paired by replication (else Welch, on the two groups' runs)
  double p = 0, p_holm = 0;
};

/// Per KPI, the difference group − baseline paired by replication (runs of the same replication
/// share every worker's and task's draws): mean and 95% t interval over the replications both
/// have. n = 0 when they share none.
std::vector<KpiStat> paired_differences(const SummaryGroup& group, const SummaryGroup& baseline);
/// Every group but the baseline against it, on the KPIs `kpi_index`: [group][position in
/// kpi_index]. The test is the paired t test when the two share at least 2 replications, else
/// Welch's; p_holm is Holm-corrected over all the comparisons returned. The baseline's own row
/// is left with n = 0 and NaN p-values.
std::vector<std::vector<Comparison>> compare_to(const SummaryTable& t, const std::vector<std::size_t>& kpi_index,
                                                std::size_t baseline);
/// The group `name` designates: the one whose label or short label is `name`, or the only one
/// whose assignment (or else incentive) policy is `name`. Throws std::invalid_argument.
std::size_t find_group(const SummaryTable& t, const std::string& name);
/// Indices of `kpis` in t.kpi_names (all when empty); throws std::invalid_argument naming them.
std::vector<std::size_t> select_kpis(const SummaryTable& t, const std::vector<std::string>& kpis);

/// Reads `path`'s /summary and run attributes. A missing file or one that is not HDF5 throws
/// std::invalid_argument ("no such file", "not an HDF5 file"); other problems std::runtime_error,
/// both naming the file.
SummaryTable summarize_file(const std::string& path);
/// Gives each group its short label: the policies and parameters that differ between groups.
void label_groups(SummaryTable& t);

/// The table of `kpis` (all when empty): "mean [low, high]" per KPI with footnotes saying how
/// the intervals were made; with a `baseline` group (not kNoBaseline), a second table of each
/// group's difference from it with Holm-corrected p-values.
inline constexpr std::size_t kNoBaseline = static_cast<std::size_t>(-1);
void print_table(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out,
                 std::size_t baseline = kNoBaseline, io::TableFormat format = io::TableFormat::kText);
/// CSV, one row per group and KPI, columns as csv_columns() says.
void print_csv(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out,
               std::size_t baseline = kNoBaseline);
/// The CSV columns with their meaning, one per line (summarize --help prints it). `params` are
/// the swept parameters' columns (named by the file; shown as PARAM... when empty).
std::string csv_columns_help();

}  // namespace crowdsim::experiment
