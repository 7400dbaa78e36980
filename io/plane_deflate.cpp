#include "io/plane_deflate.hpp"

#include <zlib.h>
#ifdef CROWDSIM_LIBDEFLATE
#include <libdeflate.h>
#endif
#ifdef CROWDSIM_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

namespace crowdsim::io {

namespace {

#ifdef CROWDSIM_LIBDEFLATE
// One compressor per thread and level, reused for every chunk.
libdeflate_compressor* compressor(int level) {
  struct Compressor {
    libdeflate_compressor* c = nullptr;
    int level = -1;
    ~Compressor() { libdeflate_free_compressor(c); }
  };
  thread_local Compressor z;
  if (z.level != level) {
    libdeflate_free_compressor(z.c);
    z.c = libdeflate_alloc_compressor(level), z.level = level;
    if (!z.c) throw std::bad_alloc();
  }
  return z.c;
}
#endif

#ifdef CROWDSIM_ISAL
// ISA-L's assembly can return with the upper halves of the AVX registers dirty. The SSE code
// compiled after it (ours, libm's) then pays a transition penalty on every instruction until
// they are cleared: a sweep on one thread, whose runs' last chunks are compressed on the
// simulating thread, ran its Thompson-sampling runs eight times slower. VZEROUPPER after
// every call clears them (compiled for AVX here only, run only where the processor has it).
[[gnu::target("avx")]] void zero_upper_avx() { __builtin_ia32_vzeroupper(); }
void zero_upper() {
  static const bool avx = __builtin_cpu_supports("avx");
  if (avx) zero_upper_avx();
}

// Stored blocks of `n` bytes (at most 65,535 each; the last one final if `final`), appended at
// a byte boundary: a header byte (BFINAL, BTYPE = 00, padding), LEN, NLEN, the bytes.
void append_stored(std::vector<unsigned char>& out, const unsigned char* p, std::size_t n, bool final) {
  for (std::size_t off = 0; off < n;) {
    const std::size_t len = std::min<std::size_t>(65535, n - off);
    const auto l = static_cast<unsigned>(len), nl = ~l & 0xffffu;
    out.insert(out.end(), {static_cast<unsigned char>(final && off + len == n ? 1 : 0), static_cast<unsigned char>(l & 0xff),
                           static_cast<unsigned char>(l >> 8), static_cast<unsigned char>(nl & 0xff),
                           static_cast<unsigned char>(nl >> 8)});
    out.insert(out.end(), p + off, p + off + len);
    off += len;
  }
}

// Compresses `n` bytes at `p` with ISA-L's igzip at `level` (1-3) onto the end of `out`, ending
// at a byte boundary (a full flush) unless `final`; false if that would take more than n bytes.
bool append_compressed(std::vector<unsigned char>& out, const unsigned char* p, std::size_t n, bool final,
                       int level) {
  // ISA-L's scratch space (hash tables, tokens), one per thread, zeroed as it always was. By
  // calloc: a block this large is fresh mapped memory, zero already, so only the pages ISA-L
  // uses are touched (a vector's resize wrote every page: a few hundred page faults a process).
  struct Free {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  thread_local std::unique_ptr<std::uint8_t, Free> level_buf;
  thread_local std::size_t level_buf_size = 0;
  const std::size_t want = level == 1 ? ISAL_DEF_LVL1_DEFAULT : level == 2 ? ISAL_DEF_LVL2_DEFAULT : ISAL_DEF_LVL3_DEFAULT;
  if (level_buf_size != want) {
    level_buf.reset(static_cast<std::uint8_t*>(std::calloc(want, 1)));
    if (!level_buf) throw std::bad_alloc();
    level_buf_size = want;
  }
  const std::size_t at = out.size();
  out.resize(at + n);
  isal_zstream z;
  isal_deflate_stateless_init(&z);
  z.level = static_cast<std::uint32_t>(level);
  z.level_buf = level_buf.get(), z.level_buf_size = static_cast<std::uint32_t>(level_buf_size);
  z.gzip_flag = IGZIP_DEFLATE;
  z.flush = final ? NO_FLUSH : FULL_FLUSH;
  z.end_of_stream = final ? 1 : 0;
  z.next_in = const_cast<std::uint8_t*>(p), z.avail_in = static_cast<std::uint32_t>(n);
  z.next_out = out.data() + at, z.avail_out = static_cast<std::uint32_t>(n);
  const int rc = isal_deflate_stateless(&z);
  zero_upper();
  if (rc == COMP_OK && z.total_out < n) {
    out.resize(at + z.total_out);
    return true;
  }
  out.resize(at);
  if (rc != COMP_OK && rc != STATELESS_OVERFLOW) throw std::runtime_error("ISA-L deflate failed: " + std::to_string(rc));
  return false;
}
#endif

}  // namespace

bool plane_deflate_available() {
#ifdef CROWDSIM_ISAL
  return true;
#else
  return false;
#endif
}

bool noise_plane(const unsigned char* plane, std::size_t n) {
  // Every 4th byte: distinct values and equal neighbours. Noise of s = n/4 samples shows about
  // 256 (1 - e^(-s/256)) distinct values, 251 at n = 4096 (the row tables' chunks), and s/256
  // equal pairs; a plane of fewer than about 2,000 bytes never passes for noise. Most planes
  // are far from noise and tell after 256 samples, where noise would show about 162 values.
  if (n < 1022) return false;  // fewer than 256 samples (r = 0, 4, ... while r + 1 < n): never noise
  bool seen[256] = {};
  std::size_t distinct = 0, equal = 0, samples = 0;
  for (std::size_t r = 0; r + 1 < n; r += 4, ++samples) {
    if (samples == 256 && distinct < 100) return false;
    distinct += !seen[plane[r]];
    seen[plane[r]] = true;
    equal += plane[r] == plane[r + 1];
  }
  return samples >= 256 && distinct > 200 && equal < samples / 64;
}

std::size_t plane_deflate(const unsigned char* in, std::size_t planes, std::size_t rows, int level,
                          std::vector<unsigned char>& out) {
#ifdef CROWDSIM_ISAL
  const std::size_t bytes = planes * rows;
  const int isal_level = std::clamp((level + 2) / 3, 1, 3);  // zlib's 1-3 -> 1, 4-6 -> 2, 7-9 -> 3
  out.clear();
  out.reserve(bytes + 64);
  // The zlib header: deflate, 32 KiB window, "fastest" or "fast" as the level class.
  out.insert(out.end(), {0x78, static_cast<unsigned char>(isal_level == 1 ? 0x01 : 0x5e)});
  thread_local std::vector<char> noise_at;
  noise_at.resize(planes);
  for (std::size_t k = 0; k < planes; ++k) noise_at[k] = noise_plane(in + k * rows, rows);
  for (std::size_t k = 0; k < planes;) {
    std::size_t e = k + 1;
    while (e < planes && noise_at[e] == noise_at[k]) ++e;
    const unsigned char* p = in + k * rows;
    const std::size_t n = (e - k) * rows;
    const bool final = e == planes;
    // Every compressed run ends byte-aligned (or ends the stream), so stored blocks follow it as
    // they would follow the header.
    if (noise_at[k] || !append_compressed(out, p, n, final, isal_level)) append_stored(out, p, n, final);
    k = e;
  }
  const std::uint32_t a = isal_adler32(1, in, bytes);
  zero_upper();
  out.insert(out.end(), {static_cast<unsigned char>(a >> 24), static_cast<unsigned char>(a >> 16),
                         static_cast<unsigned char>(a >> 8), static_cast<unsigned char>(a)});
  return out.size() <= bytes ? out.size() : 0;
#else
  (void)in, (void)planes, (void)rows, (void)level, (void)out;
  throw std::logic_error("plane_deflate: built without ISA-L");
#endif
}

std::size_t deflate_chunk(const unsigned char* in, std::size_t bytes, std::size_t planes, int level,
                          std::vector<unsigned char>& out) {
  // Every shuffled chunk, however few its rows: in a small one no plane passes for noise, and
  // it is one igzip stream, five times cheaper than libdeflate's (whose set-up dominates a
  // small chunk: the last, mostly empty chunk of each table of each run of a sweep).
  if (plane_deflate_available() && planes > 1) return plane_deflate(in, planes, bytes / planes, level, out);
  out.resize(bytes);
#ifdef CROWDSIM_LIBDEFLATE
  std::size_t n = libdeflate_zlib_compress(compressor(level), in, bytes, out.data(), bytes);
#else
  uLongf n = static_cast<uLongf>(bytes);
  if (compress2(out.data(), &n, in, static_cast<uLong>(bytes), level) != Z_OK) n = 0;
#endif
  out.resize(n);
  return n;
}

bool inflates(const unsigned char* in, std::size_t bytes, unsigned char* out, std::size_t capacity) {
#ifdef CROWDSIM_LIBDEFLATE
  struct Decompressor {
    libdeflate_decompressor* d = libdeflate_alloc_decompressor();
    ~Decompressor() { libdeflate_free_decompressor(d); }
  };
  thread_local Decompressor z;
  if (!z.d) throw std::bad_alloc();
  std::size_t n = 0;
  return libdeflate_zlib_decompress(z.d, in, bytes, out, capacity, &n) == LIBDEFLATE_SUCCESS;
#else
  uLongf n = static_cast<uLongf>(capacity);
  return uncompress(out, &n, in, static_cast<uLong>(bytes)) == Z_OK;
#endif
}

}  // namespace crowdsim::io
