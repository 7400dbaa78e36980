#include "sim/csv.hpp"

#include <cmath>
#include <fstream>

namespace crowdsim::sim {

namespace {

// Spaces and tabs around a cell, outside its quotes, are not part of it: "1, 0" is the cells
// "1" and "0", as a hand-edited file means; " 1 " inside quotes keeps them.
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  std::string pending;    // unquoted blanks after a cell's content: kept only if more content follows
  bool started = false;  // the cell has content or an opening quote
  for (std::size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        cells.back() += ch;
      }
    } else if (ch == ',') {
      cells.emplace_back();
      pending.clear();
      started = false;
    } else if (ch == ' ' || ch == '\t') {
      if (started) pending += ch;
    } else {  // content, or an opening quote: the blanks before it were inside the cell
      cells.back() += pending;
      pending.clear();
      if (ch == '"') quoted = true;
      else cells.back() += ch;
      started = true;
    }
  }
  return cells;
}

}  // namespace

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

std::optional<CsvTable> read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  CsvTable t;
  t.path = path;
  std::string line;
  std::size_t line_no = 0;
  bool first = true;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (first && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (line.empty()) continue;
    if (first) {
      t.header = split(line);
      first = false;
      continue;
    }
    t.rows.push_back(split(line));
    t.lines.push_back(line_no);
  }
  return t;
}

std::optional<double> parse_number(const std::string& cell) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(cell, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != cell.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace crowdsim::sim
