#include "io/summarize.hpp"

#include "io/hdf5_util.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>

namespace crowdsim::io {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One column of a compound dataset, converted to double by HDF5.
std::vector<double> column(const H5::DataSet& ds, const std::string& name, std::size_t rows) {
  H5::CompType t(sizeof(double));
  t.insertMember(name, 0, H5::PredType::NATIVE_DOUBLE);
  std::vector<double> out(rows);
  if (rows) ds.read(out.data(), t);
  return out;
}

std::vector<std::size_t> selected(const SummaryTable& t, const std::vector<std::string>& kpis) {
  std::vector<std::size_t> idx;
  if (kpis.empty()) {
    for (std::size_t i = 0; i < t.kpi_names.size(); ++i) idx.push_back(i);
    return idx;
  }
  for (const auto& k : kpis) {
    std::size_t i = 0;
    while (i < t.kpi_names.size() && t.kpi_names[i] != k) ++i;
    if (i == t.kpi_names.size()) {
      std::string all;
      for (const auto& n : t.kpi_names) all += (all.empty() ? "" : ", ") + n;
      throw std::invalid_argument("no KPI \"" + k + "\" in the file (it has " + all + ")");
    }
    idx.push_back(i);
  }
  return idx;
}

// "mean ± half-width" in a fixed-width cell; a difference whose interval excludes 0 gets a *.
std::string cell(const KpiStat& s, bool mark) {
  char buf[64];
  if (std::isnan(s.low)) {
    std::snprintf(buf, sizeof buf, "  %24.6g", s.mean);
  } else {
    char half[24];
    std::snprintf(half, sizeof half, "%.3g%s", (s.high - s.low) / 2, mark && (s.low > 0 || s.high < 0) ? "*" : "");
    std::snprintf(buf, sizeof buf, "  %13.6g ± %-8s", s.mean, half);
  }
  return buf;
}

std::string csv_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string SummaryGroup::label() const {
  std::string s = assignment_policy + " / " + incentive_policy;
  if (!params.empty() && params != "{}") s += " " + params;
  return s;
}

std::vector<KpiStat> paired_differences(const SummaryGroup& group, const SummaryGroup& baseline) {
  std::map<std::int64_t, std::size_t> base_run;  // replication -> position in baseline
  for (std::size_t i = 0; i < baseline.replications.size(); ++i) base_run.emplace(baseline.replications[i], i);
  std::vector<KpiStat> out;
  for (std::size_t k = 0; k < group.values.size(); ++k) {
    std::vector<double> d;
    for (std::size_t i = 0; i < group.replications.size(); ++i)
      if (auto it = base_run.find(group.replications[i]); it != base_run.end())
        d.push_back(group.values[k][i] - baseline.values[k][it->second]);
    out.push_back(kpi_stat(d));
  }
  return out;
}

std::size_t find_group(const SummaryTable& t, const std::string& name) {
  std::string all;
  for (std::size_t i = 0; i < t.groups.size(); ++i) {
    if (t.groups[i].label() == name) return i;
    all += std::string(all.empty() ? "" : ", ") + "\"" + t.groups[i].label() + "\"";
  }
  for (auto field : {&SummaryGroup::assignment_policy, &SummaryGroup::incentive_policy}) {
    std::vector<std::size_t> hits;
    for (std::size_t i = 0; i < t.groups.size(); ++i)
      if (t.groups[i].*field == name) hits.push_back(i);
    if (hits.size() == 1) return hits[0];
    if (hits.size() > 1)
      throw std::invalid_argument("baseline \"" + name + "\" matches " + std::to_string(hits.size()) +
                                  " groups; give a whole group label: " + all);
  }
  throw std::invalid_argument("no group \"" + name + "\" to use as the baseline (groups: " + all + ")");
}

KpiStat kpi_stat(const std::vector<double>& values, double confidence) {
  KpiStat s;
  double sum = 0;
  for (double v : values)
    if (std::isfinite(v)) sum += v, ++s.n;
  s.mean = s.n ? sum / static_cast<double>(s.n) : kNaN;
  s.low = s.high = kNaN;
  if (s.n < 2) return s;
  double ss = 0;
  for (double v : values)
    if (std::isfinite(v)) ss += (v - s.mean) * (v - s.mean);
  double se = std::sqrt(ss / static_cast<double>(s.n - 1) / static_cast<double>(s.n));
  double t = boost::math::quantile(boost::math::students_t(static_cast<double>(s.n - 1)), 0.5 + confidence / 2);
  s.low = s.mean - t * se;
  s.high = s.mean + t * se;
  return s;
}

SummaryTable summarize_file(const std::string& path) {
  H5::Exception::dontPrint();
  SummaryTable table;
  try {
    H5::H5File f(path, H5F_ACC_RDONLY);
    if (!f.nameExists("summary")) throw std::runtime_error(path + " has no /summary: no run finished");
    H5::DataSet ds = f.openDataSet("summary");
    H5::CompType ct = ds.getCompType();
    hsize_t rows = 0;
    ds.getSpace().getSimpleExtentDims(&rows);
    std::vector<double> run_ids = column(ds, "run_id", rows);
    std::vector<double> reps = column(ds, "replication", rows);
    std::map<std::string, std::size_t> index;  // group key -> position
    std::vector<std::size_t> group_of(rows);
    for (hsize_t r = 0; r < rows; ++r) {
      char name[32];
      std::snprintf(name, sizeof name, "%06lld", static_cast<long long>(run_ids[r]));
      H5::Group g = f.openGroup(std::string("runs/") + name);
      SummaryGroup key{string_attr(g, "assignment_policy"), string_attr(g, "incentive_policy"), string_attr(g, "params"), {}, {}, {}, {}};
      std::string k = key.assignment_policy + '\n' + key.incentive_policy + '\n' + key.params;
      auto [it, added] = index.emplace(k, table.groups.size());
      if (added) table.groups.push_back(key);
      table.groups[it->second].runs.push_back(static_cast<std::size_t>(run_ids[r]));
      table.groups[it->second].replications.push_back(static_cast<std::int64_t>(reps[r]));
      group_of[r] = it->second;
    }
    // The KPIs are the columns of a run's own summary; /summary adds the keys and swept parameters.
    std::vector<std::string> kpis;
    if (rows) {
      char first[32];
      std::snprintf(first, sizeof first, "runs/%06lld/summary", static_cast<long long>(run_ids[0]));
      H5::CompType rt = f.openDataSet(first).getCompType();
      for (int i = 0; i < rt.getNmembers(); ++i) kpis.push_back(rt.getMemberName(static_cast<unsigned>(i)));
    }
    std::vector<std::vector<double>> values;
    for (int i = 0; i < ct.getNmembers(); ++i) {
      std::string n = ct.getMemberName(static_cast<unsigned>(i));
      if (std::find(kpis.begin(), kpis.end(), n) == kpis.end()) continue;
      table.kpi_names.push_back(n);
      values.push_back(column(ds, n, rows));
    }
    for (std::size_t gi = 0; gi < table.groups.size(); ++gi)
      for (const auto& col : values) {
        std::vector<double> v;
        for (hsize_t r = 0; r < rows; ++r)
          if (group_of[r] == gi) v.push_back(col[r]);
        table.groups[gi].kpis.push_back(kpi_stat(v));
        table.groups[gi].values.push_back(std::move(v));
      }
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot read " + path + " as a crowdsim results file: " + e.getDetailMsg());
  }
  return table;
}

void print_table(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out, std::size_t baseline) {
  std::vector<std::size_t> idx = selected(t, kpis);
  std::size_t width = 5;
  for (const auto& g : t.groups) width = std::max(width, g.label().size());
  char buf[128];
  // One row: a label, a count, then a cell per selected KPI.
  auto row = [&](const std::string& label, const std::string& count, auto cell_of) {
    std::snprintf(buf, sizeof buf, "%-*s %4s", static_cast<int>(width), label.c_str(), count.c_str());
    out << buf;
    for (std::size_t i : idx) out << cell_of(i);
    out << "\n";
  };
  auto header = [&](const char* count) {
    row("group", count, [&](std::size_t i) {
      std::snprintf(buf, sizeof buf, "  %24s", t.kpi_names[i].c_str());
      return std::string(buf);
    });
  };
  header("runs");
  for (const auto& g : t.groups)
    row(g.label(), std::to_string(g.runs.size()), [&](std::size_t i) { return cell(g.kpis[i], false); });
  out << "(mean over runs ± half-width of the 95% confidence interval, Student t)\n";
  if (baseline == kNoBaseline) return;
  out << "\ndifference from " << t.groups[baseline].label() << ", paired by replication:\n";
  header("pairs");
  for (std::size_t gi = 0; gi < t.groups.size(); ++gi) {
    if (gi == baseline) continue;
    std::vector<KpiStat> d = paired_differences(t.groups[gi], t.groups[baseline]);
    std::size_t pairs = d.empty() || idx.empty() ? 0 : d[idx[0]].n;
    row(t.groups[gi].label(), std::to_string(pairs), [&](std::size_t i) { return cell(d[i], true); });
  }
  out << "(mean paired difference ± half-width of its 95% confidence interval; * when the interval excludes 0)\n";
}

void print_csv(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out, std::size_t baseline) {
  std::vector<std::size_t> idx = selected(t, kpis);
  bool diff = baseline != kNoBaseline;
  out << "assignment_policy,incentive_policy,params,kpi,n,mean,ci_low,ci_high"
      << (diff ? ",diff_n,diff_mean,diff_low,diff_high" : "") << "\n";
  char buf[160];
  for (const auto& g : t.groups) {
    std::vector<KpiStat> d;
    if (diff) d = paired_differences(g, t.groups[baseline]);
    for (std::size_t i : idx) {
      const KpiStat& s = g.kpis[i];
      std::snprintf(buf, sizeof buf, ",%zu,%.17g,%.17g,%.17g", s.n, s.mean, s.low, s.high);
      out << g.assignment_policy << ',' << g.incentive_policy << ',' << csv_quote(g.params) << ',' << t.kpi_names[i] << buf;
      if (diff) {
        std::snprintf(buf, sizeof buf, ",%zu,%.17g,%.17g,%.17g", d[i].n, d[i].mean, d[i].low, d[i].high);
        out << buf;
      }
      out << "\n";
    }
  }
}

}  // namespace crowdsim::io
