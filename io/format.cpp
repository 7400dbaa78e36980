#include "io/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <stdexcept>

namespace crowdsim::io {

namespace {

std::string printf_g(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

// UTF-8 aware width, for the ± of text tables.
std::size_t width(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string latex_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '_': case '%': case '&': case '#': case '$': case '{': case '}': out += '\\'; out += c; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '\\': out += "\\textbackslash{}"; break;
      default: out += c;
    }
  }
  // The symbols the tables use, in math mode.
  for (auto [from, to] : {std::pair<const char*, const char*>{"±", "$\\pm$"}, {"≤", "$\\le$"}, {"≥", "$\\ge$"},
                          {"−", "$-$"}}) {
    for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + std::string(to).size()))
      out.replace(at, std::string(from).size(), to);
  }
  return out;
}

std::string markdown_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string sig(double v, int digits, bool trim) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  double a = std::fabs(v);
  char buf[48];
  if (a >= std::pow(10.0, digits - 1) && a < 1e9) {
    std::snprintf(buf, sizeof buf, "%.0f", v);  // 11921, not 1.192e+04
    return buf;
  }
  if (trim) return printf_g(v, digits);
  std::snprintf(buf, sizeof buf, "%#.*g", digits, v);
  std::string s = buf;
  if (!s.empty() && s.back() == '.') s.pop_back();  // "1800." from %#g
  return s;
}

std::string round_trip(double v) {
  if (std::isnan(v)) return "nan";
  if (v == std::trunc(v) && std::fabs(v) < 1e15) {  // 300 and 100000, not 3e+02 and 1e+05
    char buf[24];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int d = 1; d <= 17; ++d) {
    std::string s = printf_g(v, d);
    if (std::strtod(s.c_str(), nullptr) == v) return s;
  }
  return printf_g(v, 17);
}

std::vector<std::string> distinct_digits(const std::vector<double>& values, int min_digits) {
  std::set<double> distinct(values.begin(), values.end());
  int common = 0;  // the fewest digits that keep the distinct values distinct
  for (int d = std::max(1, min_digits); d <= 17 && common == 0; ++d) {
    std::set<std::string> texts;
    for (double v : distinct) texts.insert(sig(v, d, true));
    if (texts.size() == distinct.size()) common = d;
  }
  std::vector<std::string> out;
  for (double v : values) {
    if (common == 0) {
      out.push_back(round_trip(v));
      continue;
    }
    // No fewer digits than state the value: 1.5 is "1.5", never "2" beside -1 and 0.
    int d = common;
    while (d < 4 && !(std::fabs(std::strtod(sig(v, d, true).c_str(), nullptr) - v) <= 1e-9 * std::fabs(v))) ++d;
    out.push_back(sig(v, d, true));
  }
  return out;
}

TableFormat parse_table_format(const std::string& name) {
  if (name == "text") return TableFormat::kText;
  if (name == "markdown") return TableFormat::kMarkdown;
  if (name == "latex") return TableFormat::kLatex;
  throw std::invalid_argument("--format: expected text, markdown or latex, found \"" + name + "\"");
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void render(const Table& t, TableFormat f, std::ostream& out) {
  std::size_t cols = t.header.size();
  auto cell = [&](const std::vector<std::string>& row, std::size_t i) { return i < row.size() ? row[i] : std::string(); };
  if (f == TableFormat::kCsv) {
    for (std::size_t i = 0; i < cols; ++i) out << (i ? "," : "") << csv_cell(t.header[i]);
    out << "\n";
    for (const auto& r : t.rows) {
      for (std::size_t i = 0; i < cols; ++i) out << (i ? "," : "") << csv_cell(cell(r, i));
      out << "\n";
    }
    return;
  }
  if (f == TableFormat::kLatex) {
    if (!t.title.empty()) out << "% " << t.title << "\n";
    out << "\\begin{tabular}{l" << std::string(cols > 0 ? cols - 1 : 0, 'r') << "}\n\\toprule\n";
    for (std::size_t i = 0; i < cols; ++i) out << (i ? " & " : "") << latex_escape(t.header[i]);
    out << " \\\\\n\\midrule\n";
    for (const auto& r : t.rows) {
      for (std::size_t i = 0; i < cols; ++i) out << (i ? " & " : "") << latex_escape(cell(r, i));
      out << " \\\\\n";
    }
    out << "\\bottomrule\n\\end{tabular}\n";
    for (const auto& n : t.notes) out << "\\par{\\footnotesize " << latex_escape(n) << "}\n";
    return;
  }
  if (f == TableFormat::kMarkdown) {
    if (!t.title.empty()) out << t.title << "\n\n";
    for (std::size_t i = 0; i < cols; ++i) out << "| " << markdown_escape(t.header[i]) << " ";
    out << "|\n";
    for (std::size_t i = 0; i < cols; ++i) out << (i ? "|---:" : "|:---");
    out << "|\n";
    for (const auto& r : t.rows) {
      for (std::size_t i = 0; i < cols; ++i) out << "| " << markdown_escape(cell(r, i)) << " ";
      out << "|\n";
    }
    if (!t.notes.empty()) out << "\n";
    for (const auto& n : t.notes) out << n << "\n";
    return;
  }
  std::vector<std::size_t> w(cols, 0);
  for (std::size_t i = 0; i < cols; ++i) {
    w[i] = width(t.header[i]);
    for (const auto& r : t.rows) w[i] = std::max(w[i], width(cell(r, i)));
  }
  if (!t.title.empty()) out << t.title << "\n";
  auto line = [&](const std::vector<std::string>& r) {
    std::string s;
    for (std::size_t i = 0; i < cols; ++i) {
      std::string c = cell(r, i);
      std::string pad(w[i] - width(c), ' ');
      s += i == 0 ? c + pad : "  " + pad + c;
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << "\n";
  };
  line(t.header);
  for (const auto& r : t.rows) line(r);
  for (const auto& n : t.notes) out << n << "\n";
}

}  // namespace crowdsim::io
