#include <sstream>

#include "models/incentive/policy.hpp"

namespace crowdsim::models {
namespace {

/// Full pay for work whose review reaches a threshold, a fraction of it (default nothing) below.
class QualityThreshold final : public IncentivePolicy {
 public:
  QualityThreshold(double threshold, double below) : threshold_(threshold), below_(below) {}
  double reward(const Submission& s) const override {
    return s.review >= threshold_ ? s.bounty : s.bounty * below_;
  }
  RewardShape shape() const override { return {false, RewardShape::Review::kStep, threshold_}; }
  double max_reward(double bounty, double) const override { return bounty; }
  std::string describe() const override {
    std::ostringstream os;
    os << "c = k if r >= " << threshold_ << ", else " << below_ << " * k";
    return os.str();
  }

 private:
  double threshold_, below_;
};

}  // namespace

CROWDSIM_REGISTER {
  incentive_policies().add(
      {"quality_threshold", "c = k if r >= threshold, else below * k",
       {sim::number("threshold", 0.5, sim::Bounds::probability(), "the review needed for full pay"),
        sim::number("below", 0.0, sim::Bounds::probability(), "share of k paid below the threshold")},
       [](const sim::Params& p) {
         return std::make_unique<QualityThreshold>(p.number("threshold"), p.number("below"));
       }});
}

}  // namespace crowdsim::models
