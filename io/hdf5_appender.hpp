#pragma once
/// \file Appender: a chunked, shuffled, deflated, extendible 1-D dataset of compound rows,
/// grown by appends through HDF5's own write path (the /summary tables of a results file, a
/// row per run; the large row tables go through io/chunk_writer.hpp instead). Private to io/.

#include <H5Cpp.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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
class Appender {
 public:
  Appender(const H5::Group& where, const char* name, const H5::CompType& mem, hsize_t chunk_rows) : mem_(mem) {
    hsize_t dims = 0, maxdims = H5S_UNLIMITED;
    H5::DataSpace space(1, &dims, &maxdims);
    H5::DSetCreatPropList props;
    props.setChunk(1, &chunk_rows);
    props.setShuffle();
    props.setDeflate(4);
    H5::CompType packed;
    packed.copy(mem);  // a real copy: the copy constructor would share (and pack) mem's id
    packed.pack();
    dataset_ = where.createDataSet(name, packed, space, props);
    size_conversion_buffer(chunk_rows);
  }

  /// Reopens an existing dataset `name` to append more rows of the memory type `mem`.
  Appender(const H5::Group& where, const char* name, const H5::CompType& mem, std::nullptr_t) : mem_(mem) {
    dataset_ = where.openDataSet(name);
    dataset_.getSpace().getSimpleExtentDims(&rows_);
    H5::DSetCreatPropList props = dataset_.getCreatePlist();
    hsize_t chunk_rows = 1;
    props.getChunk(1, &chunk_rows);
    size_conversion_buffer(chunk_rows);
  }

  /// Closes the dataset, reporting errors (the destructor would only print them).
  void close() { dataset_.close(); }

  /// Writes `n` rows laid out as the memory type after the existing ones, as one hyperslab.
  void append(const void* rows, std::size_t n) {
    if (n == 0) return;
    hsize_t count = n, total = rows_ + count;
    dataset_.extend(&total);
    H5::DataSpace file_space = dataset_.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, &count, &rows_);
    H5::DataSpace mem_space(1, &count);
    dataset_.write(rows, mem_, mem_space, file_space, xfer_);
    rows_ = total;
  }

 private:
  // Writing converts rows to the packed file type through a buffer, and its background buffer
  // is calloc'ed at the full size, 1 MiB by default: touching those pages cost a short run more
  // than its simulation (docs/performance.md). One chunk's worth is all an append needs.
  void size_conversion_buffer(hsize_t chunk_rows) {
    xfer_.setBuffer(static_cast<std::size_t>(chunk_rows) * mem_.getSize(), nullptr, nullptr);
  }

  H5::CompType mem_;
  H5::DSetMemXferPropList xfer_;
  H5::DataSet dataset_;
  hsize_t rows_ = 0;
};

}  // namespace crowdsim::io
