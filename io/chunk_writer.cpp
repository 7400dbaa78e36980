#include "io/chunk_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "io/hdf5_recorder.hpp"
#include "io/plane_deflate.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>

namespace crowdsim::io {

ChunkCodec default_codec() {
  ChunkCodec c;
  if (const char* v = std::getenv("CROWDSIM_DEFLATE")) c.level = std::clamp(std::atoi(v), 0, 9);
  if (const char* v = std::getenv("CROWDSIM_SHUFFLE")) c.shuffle = std::atoi(v) != 0;
  if (const char* v = std::getenv("CROWDSIM_PLANES")) c.planes = std::atoi(v) != 0;
  return c;
}

unsigned default_writer_threads() {
  const char* v = std::getenv("CROWDSIM_WRITER_THREADS");
  return v ? static_cast<unsigned>(std::clamp(std::atoi(v), 1, 64)) : 0;
}

PackPlan PackPlan::of(const H5::CompType& mem, const H5::CompType& file, hsize_t chunk_rows) {
  PackPlan p;
  p.mem_size = mem.getSize();
  p.file_size = file.getSize();
  p.chunk_rows = chunk_rows;
  if (H5Tequal(mem.getId(), file.getId()) > 0) {
    // The same layout (a type without gaps, as the /summary tables'): bytes are copied and
    // shuffled alike whatever the members, so the row is cut into 8-byte words, which the
    // shuffle transposes fastest. Asking HDF5 about every member cost a run's summary table,
    // created for each run, more than writing it.
    for (std::size_t at = 0; at < p.mem_size; at += 8) p.members.push_back({at, at, std::min<std::size_t>(8, p.mem_size - at)});
    return p;
  }
  for (int i = 0; i < mem.getNmembers(); ++i) {
    auto u = static_cast<unsigned>(i);
    int j = file.getMemberIndex(mem.getMemberName(u));
    p.members.push_back({mem.getMemberOffset(u), file.getMemberOffset(static_cast<unsigned>(j)),
                         mem.getMemberDataType(u).getSize()});
  }
  // compress() writes every byte of a packed row from the members and reuses its buffers.
  std::size_t covered = 0;
  for (const auto& m : p.members) covered += m.size;
  if (covered != p.file_size) throw std::logic_error("PackPlan: the file type has bytes no member fills");
  return p;
}

void FileReserve::attach(hid_t file, std::string path) {
  file_ = file, path_ = std::move(path);
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) >= 0 && handle) fd_ = *static_cast<int*>(handle);
}

// The file's size on disk, asked each time: HDF5 truncates the file to its end of allocation
// at flushes, behind the reserve's back.
std::uint64_t FileReserve::physical() const {
  struct stat st {};
  return fd_ >= 0 && fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

std::uint64_t FileReserve::used() const {
  hsize_t size = 0;
  return file_ >= 0 && H5Fget_filesize(file_, &size) >= 0 ? size : 0;
}

void FileReserve::ensure(std::uint64_t bytes) {
  if (fd_ < 0) return;
  std::uint64_t eoa = used(), need = eoa + bytes + kSlack, have = physical();
  if (need <= have) return;
  // Grow by an eighth of the file at least (fewer calls), within 256 KiB .. 64 MiB, from the
  // file's end or HDF5's end of allocation, whichever is lower (the rest is allocated already).
  std::uint64_t from = std::min(eoa, have);
  std::uint64_t target = need + std::clamp<std::uint64_t>(eoa / 8, 256 << 10, 64 << 20);
  int err = posix_fallocate(fd_, static_cast<off_t>(from), static_cast<off_t>(target - from));
  if (err != 0)  // maybe the step does not fit but what is needed now does
    err = posix_fallocate(fd_, static_cast<off_t>(from), static_cast<off_t>(need - from));
  if (err != 0) throw WriteError("cannot write the output file " + path_ + ": " + std::strerror(err), path_, err);
}

bool FileReserve::trim() noexcept {
  if (fd_ < 0) return true;
  std::uint64_t eoa = used();
  return physical() <= eoa || ftruncate(fd_, static_cast<off_t>(eoa)) == 0;
}

struct ChunkPipeline::Job {
  hid_t dataset;
  hsize_t first;
  std::shared_ptr<const PackPlan> plan;  // shared: a worker may outlive the table after discard()
  std::unique_ptr<unsigned char[]> rows;  // memory layout, n rows (or more room)
  std::size_t n;
  std::vector<unsigned char> out;   // what goes to the file
  std::uint32_t filter_mask = 0;    // bit i: filter i of the pipeline skipped
  std::exception_ptr error;         // what compress() threw (out of memory), rethrown by the writer
  bool done = false;
};

ChunkPipeline::ChunkPipeline(unsigned threads, ChunkCodec codec) : codec_(codec) {
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

ChunkPipeline::~ChunkPipeline() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ChunkPipeline::work() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !todo_.empty(); });
      if (stop_) return;
      job = std::move(todo_.front());
      todo_.pop_front();
    }
    try {
      compress(*job, codec_);
    } catch (...) {
      job->error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      job->done = true;
    }
    cv_.notify_all();
  }
}

namespace {

// The bytes of one member of rows r0..r1 into its planes: one load per row instead of one per
// byte. A member's bytes are in the file's order (little-endian, as the file type is native).
template <class Word>
void shuffle_member(unsigned char* dst, std::size_t rows, const unsigned char* src, std::size_t stride,
                    std::size_t r0, std::size_t r1) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#ifdef __SSE2__
  if constexpr (sizeof(Word) == 8) {
    // Eight rows at a time: an 8 x 8 byte transpose in registers, then one 8-byte store per plane.
    for (; r0 + 8 <= r1; r0 += 8) {
      const unsigned char* q = src + r0 * stride;
      auto row = [&](std::size_t i) { return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(q + i * stride)); };
      const __m128i b0 = _mm_unpacklo_epi8(row(0), row(1)), b1 = _mm_unpacklo_epi8(row(2), row(3));
      const __m128i b2 = _mm_unpacklo_epi8(row(4), row(5)), b3 = _mm_unpacklo_epi8(row(6), row(7));
      const __m128i c0 = _mm_unpacklo_epi16(b0, b1), c1 = _mm_unpackhi_epi16(b0, b1);
      const __m128i c2 = _mm_unpacklo_epi16(b2, b3), c3 = _mm_unpackhi_epi16(b2, b3);
      const __m128i planes[4] = {_mm_unpacklo_epi32(c0, c2), _mm_unpackhi_epi32(c0, c2), _mm_unpacklo_epi32(c1, c3),
                                 _mm_unpackhi_epi32(c1, c3)};  // bytes 2i and 2i + 1 of the eight rows
      for (std::size_t i = 0; i < 4; ++i) {
        _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + (2 * i) * rows + r0), planes[i]);
        _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + (2 * i + 1) * rows + r0), _mm_unpackhi_epi64(planes[i], planes[i]));
      }
    }
  }
#endif
  for (std::size_t r = r0; r < r1; ++r) {
    Word v;
    std::memcpy(&v, src + r * stride, sizeof v);
    for (std::size_t k = 0; k < sizeof v; ++k) dst[k * rows + r] = static_cast<unsigned char>(v >> (8 * k));
  }
#else
  for (std::size_t k = 0; k < sizeof(Word); ++k)
    for (std::size_t r = r0; r < r1; ++r) dst[k * rows + r] = src[r * stride + k];
#endif
}

}  // namespace

// Pack, shuffle and deflate as HDF5's filters do (H5Zshuffle.c, H5Zdeflate.c): the whole
// chunk, unused rows of an edge chunk as zeros (the fill value); shuffle transposes the bytes
// by element; deflate is compress2() into a buffer of the input's size, and a chunk that does
// not shrink is stored as it is with the deflate filter marked skipped in the chunk's mask.
// Deflate is plane-aware (io/plane_deflate.hpp): its bytes differ from zlib's, what they
// decode to does not.
std::uint32_t encode_chunk(const PackPlan& p, const unsigned char* in_rows, std::size_t n, const ChunkCodec& codec,
                           std::vector<unsigned char>& out) {
  const std::size_t rows = p.chunk_rows, size = p.file_size, bytes = rows * size;
  thread_local std::vector<unsigned char> packed;  // one per thread, reused for every chunk
  packed.resize(bytes);
  const bool shuffle = codec.shuffle && size > 1 && rows > 1;
  if (shuffle) {
    // Packing and shuffling in one pass: byte k of member m of row r goes to (m.file + k) * rows + r.
    // By blocks of rows, so that the block being read stays in the first-level cache.
    constexpr std::size_t kBlock = 64;
    for (std::size_t r0 = 0; r0 < n; r0 += kBlock) {
      const std::size_t r1 = std::min(n, r0 + kBlock);
      for (const auto& m : p.members) {
        unsigned char* dst = packed.data() + m.file * rows;
        const unsigned char* src = in_rows + m.mem;
        if (m.size == 8) {
          shuffle_member<std::uint64_t>(dst, rows, src, p.mem_size, r0, r1);
        } else if (m.size == 4) {
          shuffle_member<std::uint32_t>(dst, rows, src, p.mem_size, r0, r1);
        } else {
          for (std::size_t k = 0; k < m.size; ++k)
            for (std::size_t r = r0; r < r1; ++r) dst[k * rows + r] = src[r * p.mem_size + k];
        }
      }
    }
    if (n < rows)  // the unused rows of an edge chunk: zeros, the fill value
      for (std::size_t b = 0; b < size; ++b) std::memset(packed.data() + b * rows + n, 0, rows - n);
  } else {
    for (std::size_t r = 0; r < n; ++r) {
      const unsigned char* src = in_rows + r * p.mem_size;
      unsigned char* dst = packed.data() + r * size;
      for (const auto& m : p.members) std::memcpy(dst + m.file, src + m.mem, m.size);
    }
    std::memset(packed.data() + n * size, 0, (rows - n) * size);
  }
  std::size_t out_bytes = 0;
  if (codec.level > 0) out_bytes = deflate_chunk(packed.data(), bytes, shuffle && codec.planes ? size : 0, codec.level, out);
  if (out_bytes > 0) return 0;
  // No deflate, or it would not shrink: HDF5 skips the optional filter the same way.
  out.assign(packed.begin(), packed.end());
  return codec.level > 0 ? (codec.shuffle ? 0x2u : 0x1u) : 0u;
}

void ChunkPipeline::compress(Job& j, const ChunkCodec& codec) {
  j.filter_mask = encode_chunk(*j.plan, j.rows.get(), j.n, codec, j.out);
  j.rows.reset();  // the memory back before the job waits to be written
}

void ChunkPipeline::submit(hid_t dataset, hsize_t first, std::shared_ptr<const PackPlan> plan,
                           std::unique_ptr<unsigned char[]> rows, std::size_t n) {
  auto job = std::make_shared<Job>();
  job->dataset = dataset, job->first = first, job->plan = std::move(plan), job->rows = std::move(rows), job->n = n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queued_.push_back(job);
    todo_.push_back(job);
  }
  cv_.notify_all();
  write_due(kWindow);
}

void ChunkPipeline::drain() { write_due(0); }

void ChunkPipeline::discard() {
  std::unique_lock<std::mutex> lock(mu_);
  todo_.clear();
  // Jobs a worker holds finish on their own; the shared pointers keep them alive till then.
  queued_.clear();
}

// Writes the oldest chunks until at most `keep` remain queued.
void ChunkPipeline::write_due(std::size_t keep) {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (queued_.size() <= keep) return;
      job = queued_.front();
      // Not picked by a worker yet (all busy, or not woken yet): compress it here rather than
      // wait for one. The end of every run drains its small last chunks this way, without a
      // thread hand-off each. The result is the same wherever it is computed.
      if (auto it = std::find(todo_.begin(), todo_.end(), job); it != todo_.end()) {
        todo_.erase(it);
        lock.unlock();
        try {
          compress(*job, codec_);
        } catch (...) {
          job->error = std::current_exception();
        }
        lock.lock();
        job->done = true;
      }
      cv_.wait(lock, [&] { return job->done; });
      queued_.pop_front();
    }
    if (job->error) {
      discard();
      std::rethrow_exception(job->error);
    }
    if (before_write) {
      try {
        before_write(job->out.size());
      } catch (...) {
        discard();
        throw;
      }
    }
    hsize_t offset = job->first;
    if (H5Dwrite_chunk(job->dataset, H5P_DEFAULT, job->filter_mask, &offset, job->out.size(), job->out.data()) < 0) {
      discard();  // the chunks after a failed one would leave a gap
      throw H5::DataSetIException("H5Dwrite_chunk", "writing a compressed chunk failed");
    }
  }
}

}  // namespace crowdsim::io
