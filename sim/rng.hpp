#pragma once
/// \file Counter-based random streams: Random123 Philox4x64 keyed by
/// (seed, replication, purpose, entity). No global RNG anywhere: every draw names its stream,
/// so a new model or policy never shifts the draws of the others.

#include <Random123/philox.h>

#include <boost/random/exponential_distribution.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

namespace crowdsim::sim {

/// A stable 32-bit id for a purpose name ("worker.speed"), by FNV-1a. Names, not enum values,
/// key the streams, so adding a purpose never renumbers the existing ones.
constexpr std::uint32_t purpose_id(std::string_view name) {
  std::uint32_t h = 2166136261u;
  for (char c : name) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

/// Identifies one independent stream of random numbers.
struct StreamKey {
  std::uint64_t seed = 0;         ///< the experiment's seed
  std::uint32_t replication = 0;  ///< replication index
  std::uint32_t purpose = 0;      ///< what the draws are for (see purpose_id)
  std::uint32_t entity = 0;       ///< which task, worker, ... they belong to
};

/// A uniform random bit generator (64-bit words) over one Philox4x64-10 stream. The key holds
/// the seed; the counter holds (replication, purpose, entity, block), so distinct keys give
/// non-overlapping streams of 2^66 words each. Usable with every Boost.Random distribution.
/// (Philox4x64 rather than 4x32: a block costs about the same on a 64-bit machine and holds
/// twice the bits, and a double takes one word instead of two; docs/performance.md.)
class Stream {
 public:
  using result_type = std::uint64_t;
  using Philox = r123::Philox4x64;

  Stream() : Stream(StreamKey{}) {}
  /// Starts the stream named by `key` at its first word.
  explicit Stream(const StreamKey& key) {
    key_ = Philox::key_type{{key.seed, 0}};
    ctr_ = Philox::ctr_type{{key.replication, key.purpose, key.entity, 0}};
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  /// Next 64-bit word.
  result_type operator()() {
    if (index_ == 4) refill();
    return block_.v[index_++];
  }

  /// The next four words at once (the rest of the current block is skipped).
  std::array<result_type, 4> block() {
    Philox::ctr_type b = Philox{}(ctr_, key_);
    ++ctr_.v[3];
    index_ = 4;
    return {b.v[0], b.v[1], b.v[2], b.v[3]};
  }

  /// A double uniform on the open interval (0, 1) from one word: 52 random bits, centred in
  /// their cell. (With 53 bits the top cell's centre, 1 - 2^-54, rounds to exactly 1.0.)
  double uniform01() { return (static_cast<double>((*this)() >> 12) + 0.5) * 0x1.0p-52; }

  /// An exponential draw with the given mean: Boost.Random's ziggurat, one word almost always
  /// (twice as fast as -mean log U). Always > 0: the ziggurat's exact zero (probability about
  /// 2^-56) is drawn again, so a duration or gap is never zero.
  /// Always inline: a few instructions on every model's hot path (the compiler had made it a call).
  [[gnu::always_inline]] double exponential(double mean) {
    // The ziggurat's first step, inline: one word gives the box i (its low 8 bits) and a
    // fraction r of it, and x = r * x_i is accepted when it lies under the next box's edge (about
    // 98% of draws), exactly as Boost's generate_int_float_pair<double, 8> and the first pass
    // of its loop compute them. Any other case puts the word back and runs Boost's whole
    // algorithm from it, so every draw is the same as Boost's.
    if (index_ == 4) refill();
    const std::uint64_t u = block_.v[index_];
    const double* table_x = boost::random::detail::exponential_table<double>::table_x;
    const auto i = static_cast<unsigned>(u & 0xff);
    const double r = static_cast<double>((u & ~(std::uint64_t{1} << 11)) >> 8) * 0x1.0p-56;
    const double x = r * table_x[i];
    if (0.0 < x && x < table_x[i + 1]) {  // x >= 0 here: 0 < x is x != 0, in one comparison
      ++index_;
      return mean * x;
    }
    return mean * exponential_slow();
  }

  /// Number of words drawn so far.
  std::uint64_t words_drawn() const { return ctr_.v[3] * 4 - (4 - index_); }

 private:
  // The next block, out of line: inline, its ten rounds crowd the registers of every caller
  // that draws, and it runs once per four words.
  [[gnu::noinline]] void refill() {
    block_ = Philox{}(ctr_, key_);
    ++ctr_.v[3];
    index_ = 0;
  }
  // A unit exponential by Boost's ziggurat from the next word on; the exact zero (about 2^-56)
  // is drawn again, so a duration or gap is never zero.
  [[gnu::noinline]] double exponential_slow() {
    boost::random::exponential_distribution<double> unit(1.0);
    double x;
    do x = unit(*this);
    while (x == 0.0);
    return x;
  }

  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type block_{};
  unsigned index_ = 4;
};

}  // namespace crowdsim::sim
