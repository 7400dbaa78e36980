#include "models/aggregation/aggregator.hpp"
#include "models/registry.hpp"

namespace crowdsim::models {

/// Majority vote: the most frequent label, a tie among the most frequent broken by a.ties
/// (pick_top: at random by default); confidence = its share of the item's answers.
class MajorityVote final : public Aggregator {
 public:
  std::vector<Estimate> aggregate(const AnswerSet& a) const override {
    const auto k = static_cast<std::size_t>(a.classes);
    std::vector<double> votes(static_cast<std::size_t>(a.items) * k, 0.0);  // counts: exact in a double
    std::vector<std::int32_t> total(static_cast<std::size_t>(a.items), 0);
    for (const auto& x : a.answers) {
      votes[static_cast<std::size_t>(x.item) * k + static_cast<std::size_t>(x.label)] += 1;
      ++total[static_cast<std::size_t>(x.item)];
    }
    std::vector<Estimate> out(static_cast<std::size_t>(a.items));
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (total[i] == 0) continue;
      std::int32_t best = pick_top(a, static_cast<std::int32_t>(i), &votes[i * k], k);
      out[i] = Estimate{best, votes[i * k + static_cast<std::size_t>(best)] / total[i]};
    }
    return out;
  }
};

CROWDSIM_REGISTER {
  aggregators().add("mv", "majority vote (ties broken at random, or to the smallest label)", [] { return std::make_unique<MajorityVote>(); });
}

}  // namespace crowdsim::models
