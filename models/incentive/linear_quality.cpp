#include <sstream>

#include "models/incentive/policy.hpp"

namespace crowdsim::models {
namespace {

/// Pay in proportion to the assessed quality, above a guaranteed floor share of the bounty.
class LinearQuality final : public IncentivePolicy {
 public:
  explicit LinearQuality(double floor) : floor_(floor) {}
  double reward(const Submission& s) const override { return s.bounty * (floor_ + (1.0 - floor_) * s.review); }
  RewardShape shape() const override { return {false, RewardShape::Review::kLinear, 0.0}; }
  double max_reward(double bounty, double) const override { return bounty; }
  std::string describe() const override {
    std::ostringstream os;
    os << "c = k * (" << floor_ << " + " << 1.0 - floor_ << " * r)";
    return os.str();
  }

 private:
  double floor_;
};

}  // namespace

CROWDSIM_REGISTER {
  incentive_policies().add(
      {"linear_quality", "c = k * (floor + (1 - floor) * r): pay grows linearly with the review r",
       {sim::number("floor", 0.0, sim::Bounds::probability(), "share of k paid whatever the review")},
       [](const sim::Params& p) { return std::make_unique<LinearQuality>(p.number("floor")); }});
}

}  // namespace crowdsim::models
