#include <algorithm>
#include <numeric>
#include <sstream>

#include "models/incentive/policy.hpp"

namespace crowdsim::models {
namespace {

/// A contest: when the task closes its submissions are ranked by review, and the i-th best earns
/// prizes[i] · k. Submissions with equal reviews share equally the prizes of the places they
/// occupy together, so the outcome never depends on the order they came in.
class Tournament final : public IncentivePolicy {
 public:
  explicit Tournament(std::vector<double> prizes) : prizes_(std::move(prizes)) {}
  bool pays_at_close() const override { return true; }
  double reward(const Submission& s) const override { return s.bounty * prizes_[0]; }  // alone: first place
  std::vector<double> rewards_at_close(const std::vector<Submission>& subs) const override {
    std::vector<std::size_t> order(subs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return subs[a].review > subs[b].review; });
    std::vector<double> out(subs.size(), 0.0);
    for (std::size_t i = 0; i < order.size();) {
      std::size_t j = i;  // [i, j): one group of equal reviews
      while (j < order.size() && subs[order[j]].review == subs[order[i]].review) ++j;
      double pool = 0.0;
      for (std::size_t place = i; place < j && place < prizes_.size(); ++place) pool += prizes_[place];
      for (std::size_t m = i; m < j; ++m)
        out[order[m]] = subs[order[m]].bounty * pool / static_cast<double>(j - i);
      i = j;
    }
    return out;
  }
  double max_reward(double bounty, double) const override { return bounty * prizes_[0]; }
  double max_task_cost(double bounty, double, int redundancy) const override {
    auto n = std::min(prizes_.size(), static_cast<std::size_t>(std::max(redundancy, 0)));
    return bounty * std::accumulate(prizes_.begin(), prizes_.begin() + static_cast<std::ptrdiff_t>(n), 0.0);
  }
  std::string describe() const override {
    std::ostringstream os;
    os << "top " << prizes_.size() << " by r earn k * [";
    for (std::size_t i = 0; i < prizes_.size(); ++i) os << (i ? ", " : "") << prizes_[i];
    os << "]; ties share their places' prizes";
    return os.str();
  }

 private:
  std::vector<double> prizes_;
};

}  // namespace

void register_tournament(IncentiveRegistry& r) {
  r.add("tournament",
        "at close, the i-th best submission by r earns prizes[i] * k (winners, default 1; prizes, default all 1); "
        "ties share their places' prizes",
        [](const sim::Config& c) {
          auto winners = static_cast<std::size_t>(c.integer("winners", 1, 1, 10'000));
          std::vector<double> prizes(winners, 1.0);
          if (c.has("prizes")) {
            prizes = c.numbers("prizes", sim::Bounds::non_negative(), winners);
            for (std::size_t i = 1; i < prizes.size(); ++i)
              if (prizes[i] > prizes[i - 1])
                throw sim::ConfigError(c.path_of("prizes") + "." + std::to_string(i),
                                       "prizes that do not increase with the place (at most " +
                                           std::to_string(prizes[i - 1]) + ")",
                                       std::to_string(prizes[i]));
          }
          return std::make_unique<Tournament>(std::move(prizes));
        });
}

}  // namespace crowdsim::models
