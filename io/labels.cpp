#include "io/labels.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sim/config.hpp"
#include "sim/csv.hpp"

namespace crowdsim::io {

using sim::ConfigError;

namespace {

sim::CsvTable open(const std::string& path, const std::vector<std::string>& columns) {
  std::optional<sim::CsvTable> t = sim::read_csv(path);
  if (!t) throw ConfigError(path, "a readable CSV file", "no file");
  for (const auto& c : columns)
    if (!t->column(c)) {
      std::string header;
      for (const auto& h : t->header) header += (header.empty() ? "" : ",") + h;
      throw ConfigError(path + ":1", "a header with the columns " + columns[0] + "," + columns[1] +
                                         (columns.size() > 2 ? "," + columns[2] : ""),
                        "\"" + header + "\"");
    }
  if (t->rows.empty()) throw ConfigError(path, "at least one row after the header", "none");
  return *t;
}

// The cell of `row` in column `c`, which must be present and non-empty.
const std::string& cell(const sim::CsvTable& t, std::size_t r, std::size_t c, const std::string& name) {
  const auto& row = t.rows[r];
  if (c >= row.size() || row[c].empty())
    throw ConfigError(t.path + ":" + std::to_string(t.lines[r]), "a value in column \"" + name + "\"",
                      c >= row.size() ? std::to_string(row.size()) + " columns" : "an empty cell");
  return row[c];
}

}  // namespace

LabelData read_labels(const std::string& path, const std::vector<std::string>& extra_labels) {
  sim::CsvTable t = open(path, {"item", "worker", "label"});
  std::size_t ci = *t.column("item"), cw = *t.column("worker"), cl = *t.column("label");
  std::set<std::string> label_names(extra_labels.begin(), extra_labels.end());
  for (std::size_t r = 0; r < t.rows.size(); ++r) label_names.insert(cell(t, r, cl, "label"));
  LabelData d;
  d.labels.assign(label_names.begin(), label_names.end());
  std::map<std::string, std::int32_t> items, workers, labels;
  for (std::size_t i = 0; i < d.labels.size(); ++i) labels[d.labels[i]] = static_cast<std::int32_t>(i);
  auto index = [](std::map<std::string, std::int32_t>& m, std::vector<std::string>& names, const std::string& s) {
    auto [it, added] = m.emplace(s, static_cast<std::int32_t>(names.size()));
    if (added) names.push_back(s);
    return it->second;
  };
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    d.set.answers.push_back({index(items, d.items, cell(t, r, ci, "item")), index(workers, d.workers, cell(t, r, cw, "worker")),
                             labels.at(cell(t, r, cl, "label"))});
  d.set.items = static_cast<std::int32_t>(d.items.size());
  d.set.workers = static_cast<std::int32_t>(d.workers.size());
  d.set.classes = static_cast<std::int32_t>(std::max<std::size_t>(2, d.labels.size()));
  return d;
}

std::vector<std::pair<std::string, std::string>> read_truth(const std::string& path) {
  sim::CsvTable t = open(path, {"item", "truth"});
  std::size_t ci = *t.column("item"), ct = *t.column("truth");
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    if (ct < row.size() && row[ct].empty()) continue;  // an item without a truth
    out.emplace_back(cell(t, r, ci, "item"), cell(t, r, ct, "truth"));
  }
  return out;
}

}  // namespace crowdsim::io
