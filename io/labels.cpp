#include "io/labels.hpp"

#include <algorithm>
#include <map>
#include <optional>
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

namespace {

// The value of `s` when it is an integer written plainly ("-12", "007"), with at most 18 digits.
std::optional<long long> integer_of(const std::string& s) {
  std::size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  if (s.size() == start || s.size() - start > 18) return std::nullopt;
  for (std::size_t i = start; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  return std::stoll(s);
}

}  // namespace

LabelData read_labels(const std::string& path, Repeats repeats) {
  sim::CsvTable t = open(path, {"item", "worker", "label"});
  std::size_t ci = *t.column("item"), cw = *t.column("worker"), cl = *t.column("label");
  LabelData d;
  // The rows that count, in file order: a row repeating a worker's answer to an item is
  // counted in d.repeats and kept unless --duplicates first.
  std::vector<std::size_t> rows;
  std::map<std::pair<std::string, std::string>, std::size_t> answered;  // (item, worker) -> first row
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const std::string &item = cell(t, r, ci, "item"), &worker = cell(t, r, cw, "worker"), &label = cell(t, r, cl, "label");
    auto [it, first] = answered.emplace(std::make_pair(item, worker), r);
    if (!first) {
      const std::size_t line = t.lines[r], before = t.lines[it->second];
      if (repeats == Repeats::kError)
        throw ConfigError(path + ":" + std::to_string(line), "one answer per item and worker (--duplicates error)",
                          "worker \"" + worker + "\" answering item \"" + item + "\" again (first on line " +
                              std::to_string(before) + ")");
      if (d.repeats.rows++ == 0) d.repeats.line = line, d.repeats.first_line = before;
      d.repeats.changed += label != cell(t, it->second, cl, "label");
      if (repeats == Repeats::kFirst) continue;
    }
    rows.push_back(r);
  }
  std::set<std::string> label_names;
  for (std::size_t r : rows) label_names.insert(t.rows[r][cl]);
  d.labels.assign(label_names.begin(), label_names.end());
  // Integers by value ("2" before "10"; "07" and "7" by value, then as strings): the order
  // decides nothing but the rule --ties first, which then means the smallest number.
  if (std::all_of(d.labels.begin(), d.labels.end(), [](const std::string& l) { return integer_of(l).has_value(); }))
    std::stable_sort(d.labels.begin(), d.labels.end(),
                     [](const std::string& a, const std::string& b) { return *integer_of(a) < *integer_of(b); });
  std::map<std::string, std::int32_t> items, workers, labels;
  for (std::size_t i = 0; i < d.labels.size(); ++i) labels[d.labels[i]] = static_cast<std::int32_t>(i);
  auto index = [](std::map<std::string, std::int32_t>& m, std::vector<std::string>& names, const std::string& s) {
    auto [it, added] = m.emplace(s, static_cast<std::int32_t>(names.size()));
    if (added) names.push_back(s);
    return it->second;
  };
  for (std::size_t r : rows)
    d.set.answers.push_back({index(items, d.items, t.rows[r][ci]), index(workers, d.workers, t.rows[r][cw]),
                             labels.at(t.rows[r][cl])});
  d.set.items = static_cast<std::int32_t>(d.items.size());
  d.set.workers = static_cast<std::int32_t>(d.workers.size());
  d.set.classes = static_cast<std::int32_t>(std::max<std::size_t>(2, d.labels.size()));
  for (const auto& name : d.items) d.set.item_keys.push_back(models::tie_key(name));
  return d;
}

Truth read_truth(const std::string& path) {
  sim::CsvTable t = open(path, {"item", "truth"});
  std::size_t ci = *t.column("item"), ct = *t.column("truth");
  Truth out{path, {}};
  std::map<std::string, std::size_t> seen;  // item -> line
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    if (ct < row.size() && row[ct].empty()) continue;  // an item without a truth
    const std::string& item = cell(t, r, ci, "item");
    auto [it, added] = seen.emplace(item, t.lines[r]);
    if (!added)
      throw ConfigError(path + ":" + std::to_string(t.lines[r]), "one truth per item",
                        "a second truth for item \"" + item + "\" (the first is on line " + std::to_string(it->second) + ")");
    out.rows.push_back({item, cell(t, r, ct, "truth"), t.lines[r]});
  }
  return out;
}

TruthScore score_truth(const Truth& truth, const LabelData& d, const std::vector<models::Estimate>& est) {
  std::map<std::string, std::size_t> item_index;
  for (std::size_t i = 0; i < d.items.size(); ++i) item_index[d.items[i]] = i;
  std::set<std::string> labels(d.labels.begin(), d.labels.end());
  TruthScore s;
  for (const auto& row : truth.rows) {
    auto it = item_index.find(row.item);
    if (it == item_index.end()) continue;  // a truth for an item nobody answered
    ++s.judged;
    if (!labels.count(row.label)) {
      // "1.0" against the answers' "1": the same class written differently, not a wrong answer.
      if (auto v = sim::parse_number(row.label))
        for (const auto& l : d.labels)
          if (sim::parse_number(l) == v)
            throw ConfigError(truth.path + ":" + std::to_string(row.line),
                              "a label written as the answers write it (\"" + l + "\")",
                              "\"" + row.label + "\", the same number written differently");
      ++s.unknown;
      continue;
    }
    const models::Estimate& e = est[it->second];
    s.right += e.label >= 0 && d.labels[static_cast<std::size_t>(e.label)] == row.label;
  }
  if (s.judged == 0)
    throw ConfigError(truth.path, "a truth for at least one answered item",
                      "none of its " + std::to_string(truth.rows.size()) + " items among the answers' " +
                          std::to_string(d.items.size()));
  return s;
}

}  // namespace crowdsim::io
