#pragma once
/// \file Reading a results file's /summary (docs/hdf5-layout.md): each row's run, the keys its
/// run group holds, and the KPI columns. What crowdsim summarize groups and takes intervals of
/// (experiment/summarize.hpp); the HDF5 stays here.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace crowdsim::io {

/// One row of /summary: its run and what the run's group says of it.
struct SummaryRow {
  std::size_t run_id = 0;
  std::int64_t replication = 0;
  std::string assignment_policy, incentive_policy, params;  ///< the run group's attributes ("" when absent)
};

/// A file's /summary.
struct SummaryRows {
  std::vector<SummaryRow> rows;             ///< in the order of /summary
  std::vector<std::string> kpi_names;       ///< the columns that are a run's own KPIs, in /summary's order
  std::vector<std::vector<double>> values;  ///< per KPI, each row's value
  std::string status;                       ///< the file's status attribute: "complete", "partial" ("" if none)
};

/// Reads `path`'s /summary and run attributes. A missing file or one that is not HDF5 throws
/// std::invalid_argument ("no such file", "not an HDF5 file"); other problems std::runtime_error,
/// both naming the file.
SummaryRows read_summary(const std::string& path);

}  // namespace crowdsim::io
