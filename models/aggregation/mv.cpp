#include <algorithm>

#include "models/aggregation/aggregator.hpp"
#include "models/registry.hpp"

namespace crowdsim::models {

/// Majority vote: the most frequent label; confidence = its share of the item's answers.
class MajorityVote final : public Aggregator {
 public:
  std::vector<Estimate> aggregate(const AnswerSet& a) const override {
    std::vector<std::vector<std::int32_t>> votes(static_cast<std::size_t>(a.items),
                                                 std::vector<std::int32_t>(static_cast<std::size_t>(a.classes), 0));
    for (const auto& x : a.answers) ++votes[static_cast<std::size_t>(x.item)][static_cast<std::size_t>(x.label)];
    std::vector<Estimate> out(static_cast<std::size_t>(a.items));
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto& v = votes[i];
      auto best = std::max_element(v.begin(), v.end());  // first of the tied maxima
      std::int32_t total = 0;
      for (auto c : v) total += c;
      if (total > 0) out[i] = Estimate{static_cast<std::int32_t>(best - v.begin()), double(*best) / total};
    }
    return out;
  }
};

CROWDSIM_REGISTER {
  aggregators().add("mv", "majority vote (ties to the smallest label)", [] { return std::make_unique<MajorityVote>(); });
}

}  // namespace crowdsim::models
