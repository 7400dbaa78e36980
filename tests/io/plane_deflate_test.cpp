#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <H5Cpp.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

#include "io/plane_deflate.hpp"

using crowdsim::io::deflate_chunk;
using crowdsim::io::noise_plane;
using crowdsim::io::plane_deflate;
using crowdsim::io::plane_deflate_available;
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<unsigned char>;

// Plane kinds of a shuffled chunk of real rows: noise (the low bytes of a double), constant (the
// high bytes of a small id), slowly rising (a time's upper bytes), a few values (an enum).
enum class Kind { noise, constant, rising, few };

Bytes chunk(const std::vector<Kind>& kinds, std::size_t rows, std::uint32_t seed) {
  std::mt19937 g(seed);
  Bytes b(kinds.size() * rows);
  for (std::size_t k = 0; k < kinds.size(); ++k)
    for (std::size_t r = 0; r < rows; ++r) {
      unsigned char& x = b[k * rows + r];
      switch (kinds[k]) {
        case Kind::noise: x = static_cast<unsigned char>(g()); break;
        case Kind::constant: x = static_cast<unsigned char>(k * 37); break;
        case Kind::rising: x = static_cast<unsigned char>(r / 97 + (g() % 8 == 0)); break;
        case Kind::few: x = static_cast<unsigned char>("\x00\x01\x01\x02\x03\x05"[g() % 6]); break;
      }
    }
  return b;
}

Bytes inflate_all(const Bytes& stream, std::size_t bytes) {
  Bytes back(bytes + 1);  // one spare byte: a stream longer than the input shows as a size mismatch
  uLongf n = static_cast<uLongf>(back.size());
  REQUIRE(uncompress(back.data(), &n, stream.data(), static_cast<uLong>(stream.size())) == Z_OK);
  back.resize(n);
  return back;
}

std::vector<Kind> pattern(const char* s) {
  std::vector<Kind> v;
  for (; *s; ++s) v.push_back(*s == 'n' ? Kind::noise : *s == 'c' ? Kind::constant : *s == 'r' ? Kind::rising : Kind::few);
  return v;
}

}  // namespace

TEST_CASE("io::noise_plane: random bytes are noise, and constant, rising or few-valued planes are not", "[io]") {
  for (const char* p : {"n", "c", "r", "f"}) {
    Bytes b = chunk(pattern(p), 4096, 1);
    CHECK(noise_plane(b.data(), b.size()) == (*p == 'n'));
  }
  Bytes small = chunk(pattern("n"), 512, 1);  // too few samples to say
  CHECK_FALSE(noise_plane(small.data(), small.size()));
}

TEST_CASE("io::deflate_chunk: zlib inflates the plane-aware stream to the chunk, whatever its planes", "[io]") {
  // Noise first and last, compressed runs first and last, runs of one plane, all noise, none.
  for (const char* p : {"ncccccccnccrrnnnnnnffcnnnnnnrr", "cnnc", "nccn", "ncnfnrn", "nnnn", "crfcrf", "c"}) {
    for (std::size_t rows : {1024u, 4096u, 5000u}) {
      for (int level : {1, 4, 9}) {
        CAPTURE(p, rows, level);
        Bytes in = chunk(pattern(p), rows, static_cast<std::uint32_t>(rows + level));
        Bytes out;
        std::size_t n = deflate_chunk(in.data(), in.size(), std::strlen(p), level, out);
        if (std::string(p).find_first_not_of('n') == std::string::npos) {
          CHECK(n == 0);  // nothing but noise does not shrink: HDF5 then stores the chunk as it is
          continue;
        }
        REQUIRE(n > 0);
        REQUIRE(n == out.size());
        CHECK(n < in.size());
        CHECK(inflate_all(out, in.size()) == in);
      }
    }
  }
}

TEST_CASE("io::plane_deflate: a compressed run of many blocks before noise ends where the stored blocks begin", "[io]") {
  if (!plane_deflate_available()) {
    WARN("built without ISA-L: chunks are deflated whole");
    return;
  }
  // 120 planes of 8192 rows whose statistics change from plane to plane: the run before the
  // noise holds several blocks (about 1 MB), the last of which must not be final.
  std::vector<Kind> kinds;
  for (int i = 0; i < 120; ++i) kinds.push_back(i % 3 == 0 ? Kind::few : i % 3 == 1 ? Kind::rising : Kind::constant);
  kinds.push_back(Kind::noise);
  kinds.push_back(Kind::few);
  Bytes in = chunk(kinds, 8192, 5);
  Bytes out;
  REQUIRE(plane_deflate(in.data(), kinds.size(), 8192, 4, out) > 0);
  CHECK(inflate_all(out, in.size()) == in);
}

TEST_CASE("io::plane_deflate: no larger than deflating the chunk whole, and noise is stored", "[io]") {
  if (!plane_deflate_available()) {
    WARN("built without ISA-L: chunks are deflated whole");
    return;
  }
  Bytes in = chunk(pattern("nnnnnnrc" "nnnnnnrc" "nnnnnrcc" "ffffcccc"), 4096, 9);
  Bytes planes, whole(in.size());
  std::size_t n = plane_deflate(in.data(), 32, 4096, 4, planes);
  uLongf w = static_cast<uLongf>(whole.size());
  REQUIRE(compress2(whole.data(), &w, in.data(), static_cast<uLong>(in.size()), 4) == Z_OK);
  CHECK(n <= w + w / 100);
  // Stored, each run of noise planes appears in the stream byte for byte (compressed, it would
  // be Huffman-coded, never verbatim): planes 0-5, 8-13 and 16-20.
  for (std::size_t first : {0u, 8u, 16u}) {
    CAPTURE(first);
    const auto run = in.begin() + static_cast<std::ptrdiff_t>(first * 4096);
    CHECK(std::search(planes.begin(), planes.end(), run, run + 4096) != planes.end());
  }
}

TEST_CASE("io::plane_deflate: HDF5's shuffle and deflate filters read a chunk written directly", "[io]") {
  if (!plane_deflate_available()) {
    WARN("built without ISA-L: chunks are deflated whole");
    return;
  }
  // A column of 8-byte integers whose low bytes are noise: its shuffled chunk is noise planes
  // then constant ones, as doubles' chunks are.
  const hsize_t rows = 4096;
  std::mt19937_64 g(3);
  std::vector<std::uint64_t> values(rows);
  for (auto& v : values) v = (g() & 0xffffffffffull) | (7ull << 56);
  Bytes shuffled(rows * 8);
  for (std::size_t k = 0; k < 8; ++k)
    for (std::size_t r = 0; r < rows; ++r) shuffled[k * rows + r] = static_cast<unsigned char>(values[r] >> (8 * k));
  Bytes stream;
  REQUIRE(deflate_chunk(shuffled.data(), shuffled.size(), 8, 4, stream) > 0);

  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_io_test";
  fs::create_directories(dir);
  const std::string path = (dir / "plane_deflate.h5").string();
  {
    H5::H5File f(path, H5F_ACC_TRUNC);
    H5::DSetCreatPropList props;
    props.setChunk(1, &rows);
    props.setShuffle();
    props.setDeflate(4);
    H5::DataSpace space(1, &rows);
    H5::DataSet d = f.createDataSet("v", H5::PredType::NATIVE_UINT64, space, props);
    hsize_t offset = 0;
    REQUIRE(H5Dwrite_chunk(d.getId(), H5P_DEFAULT, 0, &offset, stream.size(), stream.data()) >= 0);
  }
  H5::H5File f(path, H5F_ACC_RDONLY);
  std::vector<std::uint64_t> back(rows);
  f.openDataSet("v").read(back.data(), H5::PredType::NATIVE_UINT64);
  CHECK(back == values);
}
