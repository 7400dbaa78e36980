#pragma once
/// \file Numbers and tables for people and for papers: significant digits instead of printf's
/// six decimals, parameter values with just the digits that tell them apart, and one table
/// rendered as aligned text, Markdown or LaTeX.

#include <ostream>
#include <string>
#include <vector>

namespace crowdsim::io {

/// `v` with `digits` significant digits, trailing zeros kept so a column reads evenly
/// (0.8630, 104.0) unless `trim` (0.863, 104), and no exponent for magnitudes in [1e-4, 1e9):
/// 1800, 0.1109, 11921 (integer digits are never dropped), 2.500e-05; "nan", "inf".
std::string sig(double v, int digits = 4, bool trim = false);
/// The shortest text that reads back as exactly `v` (CSV): 0.1, 0.11093750000000001; whole
/// numbers below 1e15 in full (300, not 3e+02).
std::string round_trip(double v);
/// Labels for the values of a parameter: each of `values` with the fewest significant digits
/// (at least `min_digits`) that keep the distinct values distinct and state each value to 4
/// significant digits or exactly (within float noise): {1.5, 12.5, 0.30000000000000004} ->
/// {"1.5", "12.5", "0.3"}, {0.1, 0.11093750000000001, 0.12} -> {"0.1", "0.1109", "0.12"}.
std::vector<std::string> distinct_digits(const std::vector<double>& values, int min_digits = 1);

enum class TableFormat { kText, kMarkdown, kLatex, kCsv };
/// "text" | "markdown" | "latex"; throws std::invalid_argument listing them otherwise.
TableFormat parse_table_format(const std::string& name);

/// A table of text cells: the first column left-aligned, the others right-aligned; `notes`
/// are printed under it (footnotes: what the numbers are).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> notes;
  std::string title;  ///< printed above it when not empty
};
/// Writes `t` as aligned text, a Markdown pipe table, or a LaTeX tabular (booktabs rules,
/// special characters escaped); CSV quotes cells that need it.
void render(const Table& t, TableFormat f, std::ostream& out);
/// `s` quoted for CSV when it holds a comma, a quote or a newline.
std::string csv_cell(const std::string& s);

}  // namespace crowdsim::io
