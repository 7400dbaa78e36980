#pragma once
/// \file Chunks compressed off the simulation thread (private to io/: it includes HDF5).
///
/// A table hands a full buffer of rows to the pipeline and goes on; worker threads pack the
/// rows into the file's packed compound layout, shuffle and deflate them exactly as HDF5's own
/// filters would (so every HDF5 reader opens the file as plain shuffle + deflate), and the
/// owning thread writes the compressed chunks with HDF5's direct chunk write (H5Dwrite_chunk,
/// the core-library form of hdf5_hl's H5DOwrite_chunk), in submission order.
///
/// Determinism: the HDF5 calls happen on the owner's thread at fixed points. Submitting chunk n
/// writes every chunk up to n - kWindow, waiting for it if its compression is not done; nothing
/// else is ever written early. So the sequence of HDF5 operations, hence the file, is the same
/// whatever the number of worker threads and however fast they are. Memory is bounded: at most
/// kWindow + 1 chunks are in flight (back-pressure on the simulation when the workers or the
/// disk are slower).

#include <H5Cpp.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <mutex>
#include <thread>
#include <vector>

namespace crowdsim::io {

/// The filters of the row tables: shuffle, then deflate at `level` (1-9; 0: none), plane-aware
/// (io/plane_deflate.hpp) when shuffled and `planes`, else each chunk deflated whole.
struct ChunkCodec {
  int level = 4;
  bool shuffle = true;
  bool planes = true;
};
/// The codec of new files: the default chosen from the measurements of docs/performance.md,
/// or CROWDSIM_DEFLATE (0-9), CROWDSIM_SHUFFLE (0/1) and CROWDSIM_PLANES (0/1) from the
/// environment, for bench/.
ChunkCodec default_codec();
/// The compression threads of a new file: CROWDSIM_WRITER_THREADS (1-64) from the environment,
/// else 0 (one per core, at most 4). The file is the same whatever their number.
unsigned default_writer_threads();

/// How rows in memory map to the packed file type: per member, its memory offset, its file
/// offset and its size (scalars of the same byte order on both sides: plain copies).
struct PackPlan {
  std::size_t mem_size = 0, file_size = 0;
  hsize_t chunk_rows = 0;
  struct Member {
    std::size_t mem, file, size;
  };
  std::vector<Member> members;
  /// The plan from the memory compound type `mem` to its packed copy `file`.
  static PackPlan of(const H5::CompType& mem, const H5::CompType& file, hsize_t chunk_rows);
};

/// Packs `n` rows (memory layout, `plan.mem_size` bytes each, n <= plan.chunk_rows) into one
/// chunk of the packed file type, unused rows zero (the fill value), and filters it with
/// `codec` exactly as HDF5's shuffle and deflate filters would: the chunk's bytes go to `out`,
/// and the filter mask to store with them (H5Dwrite_chunk) is returned.
std::uint32_t encode_chunk(const PackPlan& plan, const unsigned char* rows, std::size_t n, const ChunkCodec& codec,
                           std::vector<unsigned char>& out);

/// Room on disk reserved ahead of HDF5, so that a full disk (ENOSPC) or a file-size limit
/// (EFBIG) is met here, between HDF5 calls, and never by a write inside HDF5 (which would leave
/// the file's superblock claiming bytes that are not there: "truncated file"). The file is kept
/// physically allocated (posix_fallocate) to at least HDF5's end of allocation plus a slack
/// for metadata; a failure to extend it throws WriteError with HDF5 untouched, after which the
/// cleanup (dropping the run under way, flushing, closing) writes only into the reserved room.
/// Before the file is closed the reserve is cut back to the end of allocation, so a closed file
/// never keeps bytes it does not use (a crashed one may: HDF5 opens it all the same).
class FileReserve {
 public:
  static constexpr std::uint64_t kSlack = 256 << 10;
  /// Follows the open file `file` (sec2 driver), named `path` in messages.
  void attach(hid_t file, std::string path);
  /// Makes sure the next `bytes` of raw data, plus the slack, land on reserved room; throws
  /// WriteError (naming the file and the cause) when the file system refuses.
  void ensure(std::uint64_t bytes);
  /// Cuts the reserve back to HDF5's end of allocation (before a close). False on failure.
  bool trim() noexcept;
  /// HDF5's end of allocation: the bytes the file holds (its size once closed).
  std::uint64_t used() const;

 private:
  std::uint64_t physical() const;

  hid_t file_ = -1;
  int fd_ = -1;
  std::string path_;
};

class ChunkPipeline {
 public:
  static constexpr std::size_t kWindow = 8;
  /// `threads` workers (0: one per core, at most 4) compressing with `codec`.
  ChunkPipeline(unsigned threads, ChunkCodec codec);
  ~ChunkPipeline();
  ChunkPipeline(const ChunkPipeline&) = delete;
  ChunkPipeline& operator=(const ChunkPipeline&) = delete;

  const ChunkCodec& codec() const { return codec_; }
  /// Called with a chunk's size before it is written (FileReserve::ensure).
  std::function<void(std::uint64_t)> before_write;
  /// Queues `n` rows (memory layout, `plan.mem_size` bytes each, n <= plan.chunk_rows) as the
  /// chunk of `dataset` that starts at row `first`; the dataset's extent must already cover
  /// them and it must stay open until drain(). Writes the chunks due (see above); throws
  /// H5::DataSetIException if a write fails (the HDF5 error stack says why).
  void submit(hid_t dataset, hsize_t first, std::shared_ptr<const PackPlan> plan,
              std::unique_ptr<unsigned char[]> rows, std::size_t n);
  /// Writes every queued chunk, in order.
  void drain();
  /// Forgets every queued chunk without writing it (after a failed write).
  void discard();

 private:
  struct Job;
  void write_due(std::size_t keep);
  void work();
  static void compress(Job& j, const ChunkCodec& codec);

  ChunkCodec codec_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queued_;  // in submission order, written from the front
  std::deque<std::shared_ptr<Job>> todo_;    // not yet picked by a worker
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace crowdsim::io
