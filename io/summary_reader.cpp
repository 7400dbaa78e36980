#include "io/summary_reader.hpp"

#include "io/hdf5_util.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace crowdsim::io {

namespace {

// One column of a compound dataset, converted to double by HDF5.
std::vector<double> column(const H5::DataSet& ds, const std::string& name, std::size_t rows) {
  H5::CompType t(sizeof(double));
  t.insertMember(name, 0, H5::PredType::NATIVE_DOUBLE);
  std::vector<double> out(rows);
  if (rows) ds.read(out.data(), t);
  return out;
}

}  // namespace

SummaryRows read_summary(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::invalid_argument(path + ": no such file");
  if (fs::is_directory(path, ec)) throw std::invalid_argument(path + ": a directory, not a results file");
  H5::Exception::dontPrint();
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw std::invalid_argument(path + ": not an HDF5 file (expected a results file written by crowdsim run)");
  SummaryRows out;
  try {
    H5::H5File f(path, H5F_ACC_RDONLY);
    out.status = string_attr(f, "status");
    if (!f.nameExists("summary")) throw std::runtime_error(path + " has no /summary: no run finished");
    H5::DataSet ds = f.openDataSet("summary");
    H5::CompType ct = ds.getCompType();
    hsize_t rows = 0;
    ds.getSpace().getSimpleExtentDims(&rows);
    std::vector<double> run_ids = column(ds, "run_id", rows);
    std::vector<double> reps = column(ds, "replication", rows);
    for (hsize_t r = 0; r < rows; ++r) {
      char name[32];
      std::snprintf(name, sizeof name, "%06lld", static_cast<long long>(run_ids[r]));
      H5::Group g = f.openGroup(std::string("runs/") + name);
      SummaryRow row;
      row.run_id = static_cast<std::size_t>(run_ids[r]);
      row.replication = static_cast<std::int64_t>(reps[r]);
      row.assignment_policy = string_attr(g, "assignment_policy");
      row.incentive_policy = string_attr(g, "incentive_policy");
      row.params = string_attr(g, "params");
      out.rows.push_back(std::move(row));
    }
    // The KPIs are the columns of a run's own summary; /summary adds the keys and swept parameters.
    std::vector<std::string> kpis;
    if (rows) {
      char first[32];
      std::snprintf(first, sizeof first, "runs/%06lld/summary", static_cast<long long>(run_ids[0]));
      H5::CompType rt = f.openDataSet(first).getCompType();
      for (int i = 0; i < rt.getNmembers(); ++i) kpis.push_back(rt.getMemberName(static_cast<unsigned>(i)));
    }
    for (int i = 0; i < ct.getNmembers(); ++i) {
      std::string n = ct.getMemberName(static_cast<unsigned>(i));
      if (std::find(kpis.begin(), kpis.end(), n) == kpis.end()) continue;
      out.kpi_names.push_back(n);
      out.values.push_back(column(ds, n, rows));
    }
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot read " + path + " as a crowdsim results file: " + e.getDetailMsg());
  }
  return out;
}

}  // namespace crowdsim::io
