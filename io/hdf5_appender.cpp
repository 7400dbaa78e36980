#include "io/hdf5_appender.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "io/plane_deflate.hpp"

namespace crowdsim::io {

namespace {

constexpr int kLevel = 4;                // deflate level of the dataset's filter
constexpr std::uint32_t kSkipDeflate = 0x2;  // filter mask: filter 1 (deflate, after shuffle) skipped

}  // namespace

Appender::Appender(const H5::Group& where, const char* name, const H5::CompType& mem, hsize_t chunk_rows)
    : mem_(mem), chunk_rows_(chunk_rows) {
  hsize_t dims = 0, maxdims = H5S_UNLIMITED;
  H5::DataSpace space(1, &dims, &maxdims);
  H5::DSetCreatPropList props;
  props.setChunk(1, &chunk_rows);
  props.setShuffle();
  props.setDeflate(kLevel);
  H5::CompType packed;
  packed.copy(mem);  // a real copy: the copy constructor would share (and pack) mem's id
  packed.pack();
  // The chunks are written as the rows lie in memory: the file type must hold the same bytes.
  if (packed.getSize() != mem.getSize()) throw std::logic_error("Appender: the row type has gaps");
  row_size_ = mem.getSize();
  dataset_ = where.createDataSet(name, packed, space, props);
  chunk_.assign(static_cast<std::size_t>(chunk_rows_) * row_size_, 0);
}

Appender::Appender(const H5::Group& where, const char* name, const H5::CompType& mem, std::nullptr_t)
    : mem_(mem), row_size_(mem.getSize()) {
  dataset_ = where.openDataSet(name);
  if (dataset_.getDataType().getSize() != row_size_) throw std::logic_error("Appender: the row type has gaps");
  dataset_.getSpace().getSimpleExtentDims(&rows_);
  dataset_.getCreatePlist().getChunk(1, &chunk_rows_);
  chunk_.assign(static_cast<std::size_t>(chunk_rows_) * row_size_, 0);
  // The rows already in the last chunk, which the next append writes again with the new ones.
  hsize_t first = rows_ - rows_ % chunk_rows_, count = rows_ - first;
  if (count > 0) {
    H5::DataSpace file_space = dataset_.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, &count, &first);
    H5::DataSpace mem_space(1, &count);
    H5::DSetMemXferPropList xfer;  // a conversion buffer of one chunk, not HDF5's default 1 MiB
    xfer.setBuffer(chunk_.size(), nullptr, nullptr);
    dataset_.read(chunk_.data(), mem_, mem_space, file_space, xfer);
  }
}

void Appender::append(const void* rows, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(rows);
  while (n > 0) {
    const auto at = static_cast<std::size_t>(rows_ % chunk_rows_);
    const std::size_t take = std::min<std::size_t>(n, static_cast<std::size_t>(chunk_rows_) - at);
    if (at == 0) std::fill(chunk_.begin(), chunk_.end(), 0);
    std::memcpy(chunk_.data() + at * row_size_, p, take * row_size_);
    hsize_t total = rows_ + take;
    dataset_.extend(&total);
    rows_ = total;
    write_last_chunk();
    p += take * row_size_;
    n -= take;
  }
}

// As HDF5's filters would: shuffled (byte k of every row, then byte k + 1, ...) when a row has
// more than one byte and a chunk more than one row, then deflated, or stored with the deflate
// filter marked skipped when that would not shrink it.
void Appender::write_last_chunk() {
  const auto chunk_rows = static_cast<std::size_t>(chunk_rows_);
  const bool shuffle = row_size_ > 1 && chunk_rows > 1;
  std::vector<unsigned char> in(chunk_.size());
  if (shuffle) {
    for (std::size_t r = 0; r < chunk_rows; ++r)
      for (std::size_t k = 0; k < row_size_; ++k) in[k * chunk_rows + r] = chunk_[r * row_size_ + k];
  } else {
    in = chunk_;
  }
  std::vector<unsigned char> out;
  std::uint32_t mask = 0;
  if (deflate_chunk(in.data(), in.size(), shuffle ? row_size_ : 0, kLevel, out) == 0) {
    out = std::move(in);
    mask = kSkipDeflate;
  }
  if (before_write) before_write(out.size());
  hsize_t offset = (rows_ - 1) / chunk_rows_ * chunk_rows_;
  if (H5Dwrite_chunk(dataset_.getId(), H5P_DEFAULT, mask, &offset, out.size(), out.data()) < 0)
    throw H5::DataSetIException("H5Dwrite_chunk", "writing a chunk of " + dataset_.getObjName() + " failed");
}

}  // namespace crowdsim::io
