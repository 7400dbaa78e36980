#pragma once
/// Deflate for shuffled chunks that skips the noise.
///
/// A shuffled chunk of rows is a sequence of byte planes (byte k of every row's column m, one
/// after another). The low bytes of a double are noise: deflate cannot shrink them, yet its match
/// search costs more there than anywhere. `plane_deflate` stores such planes as deflate's
/// uncompressed ("stored") blocks and compresses the runs of other planes with ISA-L's igzip,
/// each run ending at a byte boundary (a full flush), all in one zlib stream (RFC 1950/1951),
/// the stream HDF5's deflate filter reads. A reader cannot tell: it inflates the same bytes.
/// See docs/performance.md, "Writing the rows".

#include <cstddef>
#include <vector>

namespace crowdsim::io {

/// Whether this build has the plane-aware deflate (it needs ISA-L; without it chunks are
/// deflated whole, by libdeflate or zlib).
bool plane_deflate_available();

/// A zlib stream of the chunk `in` (`bytes`) into `out`, at `level`: plane-aware when the chunk
/// is shuffled (`planes` > 1 byte planes of bytes / planes each) and the
/// build has ISA-L, else deflated whole (libdeflate, or zlib's compress2 as HDF5 itself does).
/// Returns the stream's size, or 0 when it would be larger than the input (HDF5 then stores the
/// chunk as it is, the deflate filter marked skipped).
std::size_t deflate_chunk(const unsigned char* in, std::size_t bytes, std::size_t planes, int level,
                          std::vector<unsigned char>& out);

/// True if `plane` (n bytes) looks like noise: nearly every byte value occurs in a sample of it
/// and neighbours are hardly ever equal. Deterministic: a function of the bytes alone.
bool noise_plane(const unsigned char* plane, std::size_t n);

/// True when `in` (`bytes` long) is one whole zlib stream whose Adler-32 checksum holds and
/// which inflates into at most `capacity` bytes at `out`: a chunk as HDF5's deflate filter reads it.
bool inflates(const unsigned char* in, std::size_t bytes, unsigned char* out, std::size_t capacity);

/// A zlib stream of `planes` * `rows` bytes at `in` (planes of `rows` bytes each) into `out`:
/// noise planes stored, runs of the others compressed at zlib's `level` (1-9; igzip has three
/// levels: 1-3, 4-6, 7-9). Returns the stream's size, or 0 when it would be larger than the
/// input (HDF5 then stores the chunk as it is).
/// Requires plane_deflate_available().
std::size_t plane_deflate(const unsigned char* in, std::size_t planes, std::size_t rows, int level,
                          std::vector<unsigned char>& out);

}  // namespace crowdsim::io
