#include "io/hdf5_appender.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "io/chunk_writer.hpp"

namespace crowdsim::io {

namespace {

// The dataset's filters: shuffle, then deflate at level 4 (whatever the row tables' codec).
constexpr ChunkCodec kCodec{4, true, true};

}  // namespace

Appender::Appender(const H5::Group& where, const char* name, const H5::CompType& mem, hsize_t chunk_rows)
    : mem_(mem) {
  hsize_t dims = 0, maxdims = H5S_UNLIMITED;
  H5::DataSpace space(1, &dims, &maxdims);
  H5::DSetCreatPropList props;
  props.setChunk(1, &chunk_rows);
  props.setShuffle();
  props.setDeflate(kCodec.level);
  H5::CompType packed;
  packed.copy(mem);  // a real copy: the copy constructor would share (and pack) mem's id
  packed.pack();
  dataset_ = where.createDataSet(name, packed, space, props);
  plan_ = PackPlan::of(mem, packed, chunk_rows);
  chunk_.resize(static_cast<std::size_t>(chunk_rows) * plan_.mem_size);
}

Appender::Appender(const H5::Group& where, const char* name, const H5::CompType& mem, std::nullptr_t) : mem_(mem) {
  dataset_ = where.openDataSet(name);
  dataset_.getSpace().getSimpleExtentDims(&rows_);
  hsize_t chunk_rows = 1;
  dataset_.getCreatePlist().getChunk(1, &chunk_rows);
  plan_ = PackPlan::of(mem, dataset_.getCompType(), chunk_rows);
  chunk_.resize(static_cast<std::size_t>(chunk_rows) * plan_.mem_size);
  // The rows already in the last chunk, which the next append writes again with the new ones.
  hsize_t first = rows_ - rows_ % chunk_rows, count = rows_ - first;
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
  const auto chunk_rows = static_cast<std::size_t>(plan_.chunk_rows);
  while (n > 0) {
    const auto at = static_cast<std::size_t>(rows_ % chunk_rows);
    const std::size_t take = std::min(n, chunk_rows - at);
    std::memcpy(chunk_.data() + at * plan_.mem_size, p, take * plan_.mem_size);
    hsize_t total = rows_ + take;
    dataset_.extend(&total);
    rows_ = total;
    // The chunk so far, packed and filtered as HDF5 would (encode_chunk, as the row tables').
    const std::uint32_t mask = encode_chunk(plan_, chunk_.data(), at + take, kCodec, out_);
    if (before_write) before_write(out_.size());
    hsize_t offset = rows_ - (at + take);
    if (H5Dwrite_chunk(dataset_.getId(), H5P_DEFAULT, mask, &offset, out_.size(), out_.data()) < 0)
      throw H5::DataSetIException("H5Dwrite_chunk", "writing a chunk of " + dataset_.getObjName() + " failed");
    p += take * plan_.mem_size;
    n -= take;
  }
}

}  // namespace crowdsim::io
