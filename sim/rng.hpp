#pragma once
/// \file Counter-based random streams: Random123 Philox4x32 keyed by
/// (seed, replication, purpose, entity). No global RNG anywhere: every draw names its stream,
/// so a new model or policy never shifts the draws of the others.

#include <Random123/philox.h>

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

/// A uniform random bit generator (32-bit words) over one Philox4x32-10 stream. The key holds
/// the seed; the counter holds (replication, purpose, entity, block), so distinct keys give
/// non-overlapping streams of 2^34 words each. Usable with every Boost.Random distribution.
class Stream {
 public:
  using result_type = std::uint32_t;
  using Philox = r123::Philox4x32;

  Stream() : Stream(StreamKey{}) {}
  /// Starts the stream named by `key` at its first word.
  explicit Stream(const StreamKey& key) {
    key_ = Philox::key_type{{static_cast<std::uint32_t>(key.seed),
                             static_cast<std::uint32_t>(key.seed >> 32)}};
    ctr_ = Philox::ctr_type{{key.replication, key.purpose, key.entity, 0}};
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  /// Next 32-bit word.
  result_type operator()() {
    if (index_ == 4) {
      block_ = Philox{}(ctr_, key_);
      ++ctr_.v[3];
      index_ = 0;
    }
    return block_.v[index_++];
  }

  /// A double uniform on the open interval (0, 1): 52 random bits, centred in their cell.
  /// (With 53 bits the top cell's centre, 1 - 2^-54, rounds to exactly 1.0.)
  double uniform01() {
    std::uint64_t hi = (*this)() >> 6, lo = (*this)() >> 6;  // 26 + 26 bits
    return (static_cast<double>(hi << 26 | lo) + 0.5) * 0x1.0p-52;
  }

  /// Number of 32-bit words drawn so far.
  std::uint64_t words_drawn() const {
    return static_cast<std::uint64_t>(ctr_.v[3]) * 4 - (4 - index_);
  }

 private:
  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type block_{};
  unsigned index_ = 4;
};

}  // namespace crowdsim::sim
