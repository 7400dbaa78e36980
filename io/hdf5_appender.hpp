#pragma once
/// \file Appender: a chunked, shuffled, deflated, extendible 1-D dataset of compound rows, grown
/// by appends (the /summary tables of a results file, a row per run; the large row tables go
/// through io/chunk_writer.hpp instead). Private to io/.

#include <H5Cpp.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/chunk_writer.hpp"

namespace crowdsim::io {

/// A KPI row type (the /summary tables): int64 key columns, then one float64 per KPI, in 8-byte slots.
inline H5::CompType kpi_type(const std::vector<std::string>& keys, const std::vector<std::string>& kpis) {
  H5::CompType t(8 * (keys.size() + kpis.size()));
  std::size_t offset = 0;
  for (const auto& k : keys) t.insertMember(k, offset, H5::PredType::NATIVE_INT64), offset += 8;
  for (const auto& k : kpis) t.insertMember(k, offset, H5::PredType::NATIVE_DOUBLE), offset += 8;
  return t;
}

/// Appends rows of the memory type `mem` to a dataset it creates (packed on disk) or reopens.
///
/// The last chunk is kept in memory and written whole after every append, packed, shuffled and
/// deflated as the row tables' chunks are (encode_chunk, io/chunk_writer.hpp; H5Dwrite_chunk).
/// Through HDF5's own write path, the flush after each run deflated /summary's open chunk again
/// with zlib (and read it back at the next append): most of the cost of writing a sweep's short
/// runs (docs/performance.md). Readers see the same shuffle + deflate dataset.
class Appender {
 public:
  /// Creates `name` in `where`, chunks of `chunk_rows` rows.
  Appender(const H5::Group& where, const char* name, const H5::CompType& mem, hsize_t chunk_rows);
  /// Reopens an existing dataset `name` to append more rows of the memory type `mem`.
  Appender(const H5::Group& where, const char* name, const H5::CompType& mem, std::nullptr_t);

  /// Called with a chunk's size before it is written (FileReserve::ensure).
  std::function<void(std::uint64_t)> before_write;

  /// Closes the dataset, reporting errors (the destructor would only print them).
  void close() { dataset_.close(); }

  /// Writes `n` rows laid out as the memory type after the existing ones.
  void append(const void* rows, std::size_t n);

 private:
  H5::CompType mem_;
  H5::DataSet dataset_;
  PackPlan plan_;
  hsize_t rows_ = 0;
  std::vector<unsigned char> chunk_;  // the rows of the last chunk, in memory layout
  std::vector<unsigned char> out_;    // the last chunk as written
};

}  // namespace crowdsim::io
