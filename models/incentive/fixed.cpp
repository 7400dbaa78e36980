#include "models/incentive/policy.hpp"

namespace crowdsim::models {
namespace {

/// A piece rate: every submission earns the bounty, whatever its quality or time.
class Fixed final : public IncentivePolicy {
 public:
  double reward(const Submission& s) const override { return s.bounty; }
  RewardShape shape() const override { return {false, RewardShape::Review::kNone, 0.0}; }
  double max_reward(double bounty, double) const override { return bounty; }
  std::string describe() const override { return "c = k"; }
};

}  // namespace

CROWDSIM_REGISTER {
  incentive_policies().add("fixed", "fixed piece rate: every submission earns the bounty k",
                           [] { return std::make_unique<Fixed>(); });
}

}  // namespace crowdsim::models
