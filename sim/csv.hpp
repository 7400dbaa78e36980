#pragma once
/// \file A small CSV reader for data files named in scenarios: a header row, comma-separated
/// cells, optional double quotes, CRLF line ends and a UTF-8 byte-order mark tolerated; spaces
/// and tabs around a cell, outside its quotes, are not part of it.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace crowdsim::sim {

/// A CSV file read whole: the header and the rows, each with its line number.
struct CsvTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  ///< empty lines are skipped
  std::vector<std::size_t> lines;              ///< line number of each row (1 = header)
  /// Index of `column` in the header, or nullopt.
  std::optional<std::size_t> column(const std::string& name) const;
};

/// Reads `path`; nullopt when the file cannot be opened.
std::optional<CsvTable> read_csv(const std::string& path);
/// Parses a whole cell as a finite number; nullopt if it is not one.
std::optional<double> parse_number(const std::string& cell);

}  // namespace crowdsim::sim
