#include "io/file_warnings.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "io/hdf5_util.hpp"
#include "io/run_warnings.hpp"

namespace crowdsim::io {

namespace {

// One column of a compound dataset as doubles; NaN when the dataset has no such column.
std::vector<double> column(const H5::DataSet& ds, const char* name, std::size_t rows) {
  std::vector<double> out(rows, std::numeric_limits<double>::quiet_NaN());
  H5::CompType ct = ds.getCompType();
  bool has = false;
  for (int i = 0; i < ct.getNmembers(); ++i) has |= ct.getMemberName(static_cast<unsigned>(i)) == name;
  if (!has || rows == 0) return out;
  H5::CompType t(sizeof(double));
  t.insertMember(name, 0, H5::PredType::NATIVE_DOUBLE);
  // The conversion buffers sized to the rows read, not HDF5's default 1 MiB, which it callocs
  // at every read: with a read per run's workers table that was a tenth of a summary-detail
  // sweep's instructions (docs/performance.md).
  H5::DSetMemXferPropList xfer;
  xfer.setBuffer(std::min<std::size_t>(rows * ct.getSize(), std::size_t{1} << 20), nullptr, nullptr);
  ds.read(out.data(), t, H5::DataSpace::ALL, H5::DataSpace::ALL, xfer);
  return out;
}

std::size_t rows_of(const H5::DataSet& ds) {
  hsize_t n = 0;
  ds.getSpace().getSimpleExtentDims(&n);
  return static_cast<std::size_t>(n);
}

}  // namespace

std::string write_file_warnings(H5::H5File& f) {
  WarningCounter counter(group_names(string_attr(f, "scenario")));
  if (f.nameExists("summary")) {
    H5::DataSet ds = f.openDataSet("summary");
    std::size_t rows = rows_of(ds);
    std::vector<std::string> names = {"tasks_published", "tasks_closed", "tasks_refused", "budget_exhausted_at",
                                      "tasks_expired"};
    H5::CompType ct = ds.getCompType();  // and each EM batch method's em_capped_ and em_moved_
    for (int i = 0; i < ct.getNmembers(); ++i) {
      std::string n = ct.getMemberName(static_cast<unsigned>(i));
      if (n.rfind("em_capped_", 0) == 0 || n.rfind("em_moved_", 0) == 0) names.push_back(n);
    }
    std::vector<std::vector<double>> cols;
    for (const std::string& n : names) cols.push_back(column(ds, n.c_str(), rows));
    std::vector<double> ids = column(ds, "run_id", rows);
    std::map<std::uint64_t, std::size_t> by_id;  // in run-id order whatever the file's row order
    for (std::size_t r = 0; r < rows; ++r) by_id.emplace(static_cast<std::uint64_t>(ids[r]), r);
    for (const auto& [id, r] : by_id) {
      models::Kpis kpis;
      for (std::size_t k = 0; k < cols.size(); ++k) kpis.emplace_back(names[k], cols[k][r]);
      std::vector<double> group_tasks;
      char path[48];
      std::snprintf(path, sizeof path, "runs/%06llu/workers", static_cast<unsigned long long>(id));
      if (f.nameExists(path)) {
        H5::DataSet w = f.openDataSet(path);
        std::size_t n = rows_of(w);
        std::vector<double> group = column(w, "group", n), done = column(w, "tasks_done", n);
        for (std::size_t i = 0; i < n; ++i) {
          auto g = static_cast<std::size_t>(std::max(0.0, group[i]));
          if (g >= group_tasks.size()) group_tasks.resize(g + 1, 0.0);
          group_tasks[g] += done[i];
        }
      }
      std::size_t unconverged = 0;
      std::snprintf(path, sizeof path, "runs/%06llu/strategies", static_cast<unsigned long long>(id));
      if (f.nameExists(path)) {
        H5::DataSet s = f.openDataSet(path);
        for (double c : column(s, "converged", rows_of(s))) unconverged += c == 0;
      }
      counter.add(id, kpis, group_tasks, unconverged);
    }
  }
  std::string text = counter.json();
  set_attr(f, "warnings", text);
  return text;
}

}  // namespace crowdsim::io
