#include "experiment/summarize.hpp"

#include "io/summary_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <stdexcept>

namespace crowdsim::experiment {

using io::Table;
using io::TableFormat;
using io::distinct_digits;
using io::render;
using io::round_trip;
using io::sig;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void flatten(const json& j, const std::string& prefix, std::map<std::string, json>& out) {
  if (j.is_object() && !j.empty()) {
    for (const auto& item : j.items()) flatten(item.value(), prefix.empty() ? item.key() : prefix + "." + item.key(), out);
    return;
  }
  if (!prefix.empty()) out[prefix] = j;
}

// A parameter's value for a label or a table (numbers: see label_groups).
std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// The CSV's fixed columns, in order; the swept parameters' columns go after "incentive_policy".
struct Column {
  const char* name;
  const char* meaning;
  bool diff;  // only with --baseline
};
const std::vector<Column>& csv_columns() {
  static const std::vector<Column> c{
      {"group", "the group's short label (the policies and parameters that differ between groups)", false},
      {"assignment_policy", "the group's assignment policy", false},
      {"incentive_policy", "the group's incentive policy", false},
      {"kpi", "the KPI's name (docs/hdf5-layout.md)", false},
      {"unit", "its unit: s, currency, 1/h, currency/h, or empty", false},
      {"n", "runs with a value (NaN values left out)", false},
      {"runs", "runs in the group", false},
      {"mean", "mean over the n runs", false},
      {"ci_low", "lower end of the 95% confidence interval of the mean", false},
      {"ci_high", "upper end of it", false},
      {"ci_method", "how the interval was made: Student t, logit-scale t, log-scale t", false},
      {"diff_n", "replications paired with the baseline (0: unpaired, Welch)", true},
      {"diff_mean", "mean difference group - baseline", true},
      {"diff_low", "lower end of its 95% confidence interval (Student t)", true},
      {"diff_high", "upper end of it", true},
      {"test", "paired t or Welch t", true},
      {"p_value", "two-sided p-value of no difference", true},
      {"p_holm", "the same, Holm-corrected over every group and KPI in the output", true},
  };
  return c;
}

std::string range_note(KpiKind k) {
  switch (k) {
    case KpiKind::kProportion: return " (stays in [0, 1])";
    case KpiKind::kPositive:
    case KpiKind::kCount: return " (stays above 0)";
    case KpiKind::kUnbounded: break;
  }
  return "";
}

std::string interval_cell(const KpiStat& s, bool sign = false) {
  std::string m = sig(s.mean);
  if (sign && s.mean > 0) m = "+" + m;
  if (std::isnan(s.low)) return m;
  return m + " [" + sig(s.low) + ", " + sig(s.high) + "]";
}

std::string header_of(const std::string& kpi, TableFormat f) {
  KpiMeta m = kpi_meta(kpi);
  std::string h = f == TableFormat::kText ? kpi : m.label;
  return m.unit.empty() ? h : h + " (" + m.unit + ")";
}

std::string p_text(double p) {
  if (std::isnan(p)) return "";
  return p < 0.001 ? "<0.001" : sig(p, 2);
}

}  // namespace

std::string SummaryGroup::label() const {
  std::string s = assignment_policy + " / " + incentive_policy;
  if (!params.empty() && params != "{}") s += " " + params;
  return s;
}

void label_groups(SummaryTable& t) {
  std::set<std::string> keys;
  for (const auto& g : t.groups)
    for (const auto& [k, v] : g.param_values)
      if (k != "assignment.policy" && k != "incentive.policy") keys.insert(k);
  t.param_names.assign(keys.begin(), keys.end());
  auto varies = [&](auto value_of) {
    for (const auto& g : t.groups)
      if (value_of(g) != value_of(t.groups[0])) return true;
    return false;
  };
  bool by_assignment = varies([](const SummaryGroup& g) { return g.assignment_policy; });
  bool by_incentive = varies([](const SummaryGroup& g) { return g.incentive_policy; });
  for (auto& g : t.groups) g.short_label.clear();
  auto add = [](std::string& label, const std::string& part) { label += (label.empty() ? "" : ", ") + part; };
  for (auto& g : t.groups) {
    if (by_assignment) add(g.short_label, g.assignment_policy);
    if (by_incentive) add(g.short_label, g.incentive_policy);
  }
  for (const std::string& k : t.param_names) {
    auto value = [&](const SummaryGroup& g) {
      auto it = g.param_values.find(k);
      return it == g.param_values.end() ? json() : it->second;
    };
    if (!varies([&](const SummaryGroup& g) { return value(g).dump(); })) continue;
    // Numbers with the fewest digits that tell this parameter's values apart.
    std::vector<double> numbers;
    for (const auto& g : t.groups)
      if (value(g).is_number()) numbers.push_back(value(g).get<double>());
    std::vector<std::string> texts = distinct_digits(numbers);
    std::size_t next = 0;
    for (auto& g : t.groups) {
      json v = value(g);
      if (v.is_null()) continue;
      add(g.short_label, k + "=" + (v.is_number() ? texts[next++] : text_of(v)));
    }
  }
  std::set<std::string> seen;
  bool unique = true;
  for (const auto& g : t.groups) unique &= !g.short_label.empty() && seen.insert(g.short_label).second;
  for (auto& g : t.groups)
    if (!unique || g.short_label.empty()) g.short_label = g.assignment_policy + " / " + g.incentive_policy;
  seen.clear();
  unique = true;
  for (const auto& g : t.groups) unique &= seen.insert(g.short_label).second;
  if (!unique)
    for (auto& g : t.groups) g.short_label = g.label();
}

std::vector<std::size_t> select_kpis(const SummaryTable& t, const std::vector<std::string>& kpis) {
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

std::vector<std::vector<Comparison>> compare_to(const SummaryTable& t, const std::vector<std::size_t>& kpi_index,
                                                std::size_t baseline) {
  const SummaryGroup& base = t.groups[baseline];
  std::map<std::int64_t, std::size_t> base_run;
  for (std::size_t i = 0; i < base.replications.size(); ++i) base_run.emplace(base.replications[i], i);
  std::vector<std::vector<Comparison>> out(t.groups.size(), std::vector<Comparison>(kpi_index.size()));
  std::vector<double> all_p;
  for (std::size_t gi = 0; gi < t.groups.size(); ++gi)
    for (std::size_t j = 0; j < kpi_index.size(); ++j) {
      Comparison& c = out[gi][j];
      c.p = c.p_holm = kNaN;
      c.diff = kpi_stat({});
      if (gi == baseline) continue;
      const SummaryGroup& g = t.groups[gi];
      std::size_t k = kpi_index[j];
      std::vector<double> d;
      for (std::size_t i = 0; i < g.replications.size(); ++i)
        if (auto it = base_run.find(g.replications[i]); it != base_run.end())
          d.push_back(g.values[k][i] - base.values[k][it->second]);
      c.diff = kpi_stat(d);
      c.paired = c.diff.n >= 2;
      if (c.paired) {
        c.p = paired_t_p(d);
      } else {  // nothing to pair: Welch's test on the two groups' runs, and its difference of means
        c.p = welch_t_p(g.values[k], base.values[k]);
        c.diff = KpiStat{g.kpis[k].mean - base.kpis[k].mean, kNaN, kNaN, 0, 0};
      }
      all_p.push_back(c.p);
    }
  std::vector<double> adjusted = holm(all_p);
  std::size_t next = 0;
  for (std::size_t gi = 0; gi < t.groups.size(); ++gi)
    if (gi != baseline)
      for (auto& c : out[gi]) c.p_holm = adjusted[next++];
  return out;
}

namespace {
// The values a group label names, sorted: "hungarian, assignment.interval=30s" and the same
// written as the sweep plots' legends write values, "assignment=hungarian, interval=30s", both
// give {30s, hungarian}. (crowdsim.summarize and the report label groups as label_groups does.)
std::vector<std::string> label_values(const std::string& label) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= label.size();) {
    std::size_t end = std::min(label.find(", ", start), label.size());
    std::string part = label.substr(start, end - start);
    out.push_back(part.substr(part.rfind('=') == std::string::npos ? 0 : part.rfind('=') + 1));
    start = end + 2;
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

std::size_t find_group(const SummaryTable& t, const std::string& name) {
  std::string all;
  for (std::size_t i = 0; i < t.groups.size(); ++i) {
    if (t.groups[i].label() == name || t.groups[i].short_label == name) return i;
    all += std::string(all.empty() ? "" : ", ") + "\"" + t.groups[i].short_label + "\"";
  }
  std::vector<std::size_t> same_values;  // a label written column=value
  for (std::size_t i = 0; i < t.groups.size(); ++i)
    if (label_values(t.groups[i].short_label) == label_values(name)) same_values.push_back(i);
  if (same_values.size() == 1) return same_values[0];
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

SummaryTable summarize_file(const std::string& path) {
  io::SummaryRows file = io::read_summary(path);
  SummaryTable table;
  std::map<std::string, std::size_t> index;  // group key -> position
  constexpr std::size_t kRepeat = std::numeric_limits<std::size_t>::max();  // a row in no group
  std::vector<std::size_t> group_of(file.rows.size());
  for (std::size_t r = 0; r < file.rows.size(); ++r) {
    const io::SummaryRow& row = file.rows[r];
    SummaryGroup key;
    key.assignment_policy = row.assignment_policy;
    key.incentive_policy = row.incentive_policy;
    key.params = row.params;
    std::string k = key.assignment_policy + '\n' + key.incentive_policy + '\n' + key.params;
    auto [it, added] = index.emplace(k, table.groups.size());
    if (added) {
      flatten(json::parse(key.params.empty() ? "{}" : key.params, nullptr, false), "", key.param_values);
      table.groups.push_back(key);
    }
    SummaryGroup& g = table.groups[it->second];
    if (std::find(g.replications.begin(), g.replications.end(), row.replication) != g.replications.end()) {
      ++g.repeated;  // a file holds one seed: the same replication of the same point again
      group_of[r] = kRepeat;
      continue;
    }
    g.runs.push_back(row.run_id);
    g.replications.push_back(row.replication);
    group_of[r] = it->second;
  }
  table.kpi_names = file.kpi_names;
  table.status = file.status;
  for (std::size_t gi = 0; gi < table.groups.size(); ++gi)
    for (std::size_t k = 0; k < file.values.size(); ++k) {
      std::vector<double> v;
      for (std::size_t r = 0; r < file.rows.size(); ++r)
        if (group_of[r] == gi) v.push_back(file.values[k][r]);
      table.groups[gi].kpis.push_back(kpi_stat(v, 0.95, kpi_meta(table.kpi_names[k]).kind));
      table.groups[gi].values.push_back(std::move(v));
    }
  label_groups(table);
  return table;
}

void print_table(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out, std::size_t baseline,
                 TableFormat format) {
  std::vector<std::size_t> idx = select_kpis(t, kpis);
  Table main;
  main.header = {"group", "runs"};
  for (std::size_t i : idx) main.header.push_back(header_of(t.kpi_names[i], format));
  bool partial = false;
  for (const auto& g : t.groups) {
    std::vector<std::string> row{g.short_label, std::to_string(g.runs.size())};
    for (std::size_t i : idx) {
      const KpiStat& s = g.kpis[i];
      std::string c = interval_cell(s);
      if (s.n != s.total) {
        c += " n=" + std::to_string(s.n) + " of " + std::to_string(s.total);
        partial = true;
      }
      row.push_back(c);
    }
    main.rows.push_back(std::move(row));
  }
  // Which method made which intervals, grouped by method.
  std::map<std::string, std::vector<std::string>> by_method;
  for (std::size_t i : idx) {
    KpiKind k = kpi_meta(t.kpi_names[i]).kind;
    by_method[std::string(interval_method(k)) + range_note(k)].push_back(t.kpi_names[i]);
  }
  main.notes.push_back("mean over runs [95% confidence interval of the mean]; docs/statistics.md");
  for (const auto& [method, names] : by_method) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    main.notes.push_back("  " + method + ": " + list);
  }
  if (partial)
    main.notes.push_back("n=K of N: only K of the group's N runs have a value (e.g. no accuracy in a run that closed no task)");
  std::size_t repeated = 0;
  for (const auto& g : t.groups) repeated += g.repeated;
  if (repeated > 0)
    main.notes.push_back(std::to_string(repeated) + (repeated == 1 ? " run repeats a run of its group" : " runs repeat a run of their group") +
                         " (sweep points with the same parameters: the same seed and replication, the same "
                         "numbers) and " + (repeated == 1 ? "is" : "are") + " counted once");
  render(main, format, out);
  if (baseline == kNoBaseline) return;
  std::vector<std::vector<Comparison>> cmp = compare_to(t, idx, baseline);
  Table diff;
  diff.title = "difference from " + t.groups[baseline].short_label + ":";
  diff.header = {"group", "pairs"};
  for (std::size_t i : idx) {
    diff.header.push_back(header_of(t.kpi_names[i], format));
    diff.header.push_back("p (Holm)");
  }
  std::size_t tests = 0;
  bool welch = false;
  for (std::size_t gi = 0; gi < t.groups.size(); ++gi) {
    if (gi == baseline) continue;
    // Replications both groups ran; a KPI that some of them lack (NaN) pairs fewer, said in its cell.
    const std::vector<std::int64_t>& base_reps = t.groups[baseline].replications;
    std::size_t pairs = 0;
    for (std::int64_t r : t.groups[gi].replications)
      pairs += std::find(base_reps.begin(), base_reps.end(), r) != base_reps.end();
    std::vector<std::string> row{t.groups[gi].short_label, std::to_string(pairs)};
    for (const Comparison& c : cmp[gi]) {
      std::string cell = interval_cell(c.diff, true);
      if (c.paired && c.diff.n < pairs) cell += " n=" + std::to_string(c.diff.n);
      row.push_back(cell);
      row.push_back(p_text(c.p_holm) + (c.p_holm < 0.05 ? "*" : ""));
      tests += !std::isnan(c.p);
      welch |= !c.paired;
    }
    diff.rows.push_back(std::move(row));
  }
  diff.notes.push_back("mean difference [95% confidence interval, Student t], paired by replication (runs of the same");
  diff.notes.push_back("replication share their random draws); p: two-sided paired t test" +
                       std::string(welch ? " (Welch's t test where no replication pairs)" : "") + ",");
  diff.notes.push_back("Holm-corrected over the " + std::to_string(tests) + " comparisons shown; * p (Holm) < 0.05");
  out << "\n";
  render(diff, format, out);
}

void print_csv(const SummaryTable& t, const std::vector<std::string>& kpis, std::ostream& out, std::size_t baseline) {
  std::vector<std::size_t> idx = select_kpis(t, kpis);
  bool diff = baseline != kNoBaseline;
  std::vector<std::vector<Comparison>> cmp;
  if (diff) cmp = compare_to(t, idx, baseline);
  Table csv;
  for (const Column& c : csv_columns()) {
    if (c.diff && !diff) continue;
    csv.header.push_back(c.name);
    if (std::string(c.name) == "incentive_policy")
      for (const auto& p : t.param_names) csv.header.push_back(p);
  }
  for (std::size_t gi = 0; gi < t.groups.size(); ++gi) {
    const SummaryGroup& g = t.groups[gi];
    for (std::size_t j = 0; j < idx.size(); ++j) {
      const KpiStat& s = g.kpis[idx[j]];
      KpiMeta m = kpi_meta(t.kpi_names[idx[j]]);
      std::vector<std::string> row{g.short_label, g.assignment_policy, g.incentive_policy};
      for (const auto& p : t.param_names) {
        auto it = g.param_values.find(p);
        row.push_back(it == g.param_values.end() ? ""
                      : it->second.is_number() ? round_trip(it->second.get<double>())
                                               : text_of(it->second));
      }
      for (std::string v : {m.name, m.unit, std::to_string(s.n), std::to_string(s.total), round_trip(s.mean),
                            round_trip(s.low), round_trip(s.high), std::string(interval_method(m.kind))})
        row.push_back(v);
      if (diff) {
        const Comparison& c = cmp[gi][j];
        for (std::string v : {std::to_string(c.diff.n), round_trip(c.diff.mean), round_trip(c.diff.low),
                              round_trip(c.diff.high), std::string(gi == baseline ? "" : c.paired ? "paired t" : "Welch t"),
                              round_trip(c.p), round_trip(c.p_holm)})
          row.push_back(v);
      }
      csv.rows.push_back(std::move(row));
    }
  }
  render(csv, TableFormat::kCsv, out);
}

std::string csv_columns_help() {
  std::string s;
  char buf[256];
  for (const Column& c : csv_columns()) {
    std::snprintf(buf, sizeof buf, "  %-18s %s%s\n", c.name, c.meaning, c.diff ? " (with --baseline)" : "");
    s += buf;
    if (std::string(c.name) == "incentive_policy") {
      std::snprintf(buf, sizeof buf, "  %-18s %s\n", "PARAM ...", "one column per swept parameter (e.g. incentive.beta), its value");
      s += buf;
    }
  }
  return s;
}

}  // namespace crowdsim::experiment
