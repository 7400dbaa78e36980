// Tie-breaking among an item's top labels, shared by every aggregation method.
#include <algorithm>

#include "models/aggregation/aggregator.hpp"

namespace crowdsim::models {

namespace {
// SplitMix64's finaliser: a well-mixed 64-bit function of its input.
std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

std::uint64_t tie_key(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

std::int32_t pick_top(const AnswerSet& a, std::int32_t item, const double* score, std::size_t n, double tolerance) {
  if (n == 0) return -1;
  const double top = *std::max_element(score, score + n);
  if (a.ties == Ties::kFirst) return static_cast<std::int32_t>(std::max_element(score, score + n) - score);
  std::size_t tied = 0, first = 0;
  for (std::size_t c = n; c-- > 0;)
    if (score[c] >= top - tolerance) ++tied, first = c;
  if (tied == 1) return static_cast<std::int32_t>(first);
  const auto i = static_cast<std::size_t>(item);
  std::uint64_t key = i < a.item_keys.size() ? a.item_keys[i] : static_cast<std::uint64_t>(i);
  // The high bits of the hash, scaled to [0, tied): unbiased to within 2^-32 for any tie count.
  std::uint64_t pick = ((mix(mix(a.tie_seed) ^ key) >> 32) * tied) >> 32;
  for (std::size_t c = 0; c < n; ++c)
    if (score[c] >= top - tolerance && pick-- == 0) return static_cast<std::int32_t>(c);
  return static_cast<std::int32_t>(first);
}

}  // namespace crowdsim::models
