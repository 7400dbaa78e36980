#include "io/plane_deflate.hpp"

#include <zlib.h>
#ifdef CROWDSIM_LIBDEFLATE
#include <libdeflate.h>
#endif

#include <algorithm>
#include <cstdint>
#include <new>
#include <stdexcept>

namespace crowdsim::io {

namespace {

// Chunks of fewer rows are deflated whole: the sample says too little, the savings are small.
constexpr std::size_t kMinRows = 1024;

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

// Appends to a deflate stream bit by bit where it must (block headers after a compressed run,
// which ends mid-byte) and byte by byte elsewhere.
struct BitOut {
  std::vector<unsigned char>& out;
  unsigned used = 0;  // bits of out.back() already taken; 0: byte-aligned

  void bits3(unsigned v) {
    for (int i = 0; i < 3; ++i, used = (used + 1) & 7u) {
      if (used == 0) out.push_back(0);
      if ((v >> i) & 1u) out.back() = static_cast<unsigned char>(out.back() | (1u << used));
    }
  }
  // Stored blocks of `n` bytes (at most 65,535 each); the last one final if `final`.
  void stored(const unsigned char* p, std::size_t n, bool final) {
    for (std::size_t off = 0; off < n;) {
      std::size_t len = std::min<std::size_t>(65535, n - off);
      bits3(final && off + len == n ? 1u : 0u);  // BFINAL, BTYPE = 00
      used = 0;                                   // the rest of the byte is padding
      const auto l = static_cast<unsigned>(len), nl = ~l & 0xffffu;
      out.insert(out.end(), {static_cast<unsigned char>(l & 0xff), static_cast<unsigned char>(l >> 8),
                             static_cast<unsigned char>(nl & 0xff), static_cast<unsigned char>(nl >> 8)});
      out.insert(out.end(), p + off, p + off + len);
      off += len;
    }
  }
};

// Where, in bits, the last block of the raw deflate stream `d` (n bytes, inflating to `expect`
// bytes) begins, and where its end-of-block code ends: zlib's inflate stops at every block
// boundary with Z_BLOCK and reports the bits it has not used (as zlib's examples/gzappend.c does).
void block_bounds(const unsigned char* d, std::size_t n, std::size_t expect, std::size_t& last_header,
                  std::size_t& end) {
  struct Inflater {
    z_stream s{};
    bool ok = inflateInit2(&s, -15) == Z_OK;
    std::vector<unsigned char> scratch;
    ~Inflater() { inflateEnd(&s); }
  };
  thread_local Inflater z;
  if (!z.ok) throw std::bad_alloc();
  inflateReset(&z.s);
  z.scratch.resize(expect);
  z.s.next_in = const_cast<unsigned char*>(d), z.s.avail_in = static_cast<uInt>(n);
  z.s.next_out = z.scratch.data(), z.s.avail_out = static_cast<uInt>(expect);
  last_header = 0;
  for (;;) {
    if (inflate(&z.s, Z_BLOCK) != Z_OK) throw std::logic_error("plane_deflate: libdeflate's stream did not inflate");
    if (z.s.data_type & 128) {  // just after an end-of-block code
      std::size_t at = z.s.total_in * 8 - static_cast<unsigned>(z.s.data_type & 7);
      if (z.s.data_type & 64) {  // ... of the last block
        end = at;
        return;
      }
      last_header = at;
    }
  }
}
#endif

}  // namespace

bool plane_deflate_available() {
#ifdef CROWDSIM_LIBDEFLATE
  return true;
#else
  return false;
#endif
}

bool noise_plane(const unsigned char* plane, std::size_t n) {
  // Every 4th byte: distinct values and equal neighbours. Noise of n/4 >= 256 samples shows
  // about 250 distinct values (1 - e^-4 of 256) and n/1024 equal pairs.
  bool seen[256] = {};
  std::size_t distinct = 0, equal = 0, samples = 0;
  for (std::size_t r = 0; r + 1 < n; r += 4, ++samples) {
    distinct += !seen[plane[r]];
    seen[plane[r]] = true;
    equal += plane[r] == plane[r + 1];
  }
  return samples >= 256 && distinct > 200 && equal < samples / 64;
}

std::size_t plane_deflate(const unsigned char* in, std::size_t planes, std::size_t rows, int level,
                          std::vector<unsigned char>& out) {
#ifdef CROWDSIM_LIBDEFLATE
  const std::size_t bytes = planes * rows;
  libdeflate_compressor* c = compressor(level);
  thread_local std::vector<unsigned char> run;
  out.clear();
  out.reserve(bytes + 64);
  // The zlib header: deflate, 32 KiB window, the level class libdeflate writes for `level`.
  const unsigned char flevel = level < 2 ? 0x01 : level < 6 ? 0x5e : level == 6 ? 0x9c : 0xda;
  out.insert(out.end(), {0x78, flevel});
  BitOut bits{out};
  thread_local std::vector<char> noise_at;
  noise_at.resize(planes);
  for (std::size_t k = 0; k < planes; ++k) noise_at[k] = noise_plane(in + k * rows, rows);
  for (std::size_t k = 0; k < planes;) {
    const bool noise = noise_at[k];
    std::size_t e = k + 1;
    while (e < planes && noise_at[e] == noise) ++e;
    const unsigned char* p = in + k * rows;
    const std::size_t n = (e - k) * rows;
    const bool final = e == planes;
    std::size_t m = 0;
    if (!noise) {
      run.resize(libdeflate_deflate_compress_bound(c, n));
      m = libdeflate_deflate_compress(c, p, n, run.data(), run.size());
    }
    if (m == 0 || m >= n) {
      bits.stored(p, n, final);
    } else {
      // A run always starts byte-aligned (the stream's start, or after a stored block). Its last
      // block loses its final mark unless it ends the chunk, and the next header follows its
      // end-of-block code directly, mid-byte.
      const std::size_t base = out.size();
      out.insert(out.end(), run.data(), run.data() + m);
      if (!final) {
        std::size_t last_header = 0, end = 0;
        block_bounds(run.data(), m, n, last_header, end);
        out[base + last_header / 8] = static_cast<unsigned char>(out[base + last_header / 8] & ~(1u << (last_header % 8)));
        out.resize(base + (end + 7) / 8);
        bits.used = static_cast<unsigned>(end % 8);
        if (bits.used) out.back() = static_cast<unsigned char>(out.back() & ((1u << bits.used) - 1));
      }
    }
    k = e;
  }
  const std::uint32_t a = libdeflate_adler32(1, in, bytes);
  out.insert(out.end(), {static_cast<unsigned char>(a >> 24), static_cast<unsigned char>(a >> 16),
                         static_cast<unsigned char>(a >> 8), static_cast<unsigned char>(a)});
  return out.size() <= bytes ? out.size() : 0;
#else
  (void)in, (void)planes, (void)rows, (void)level, (void)out;
  throw std::logic_error("plane_deflate: built without libdeflate");
#endif
}

std::size_t deflate_chunk(const unsigned char* in, std::size_t bytes, std::size_t planes, int level,
                          std::vector<unsigned char>& out) {
  const std::size_t rows = planes ? bytes / planes : 0;
  if (plane_deflate_available() && planes > 1 && rows >= kMinRows) return plane_deflate(in, planes, rows, level, out);
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

}  // namespace crowdsim::io
