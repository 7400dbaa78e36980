#include <algorithm>
#include <cmath>
#include <sstream>

#include "models/incentive/policy.hpp"

namespace crowdsim::models {
namespace {

/// c = k · r · exp(beta · p) with progress p = t/T clamped to [0, p_max]. beta < 0 rewards
/// speed; beta > 0 rewards taking longer, a perverse incentive the clamp keeps finite.
class ExponentialProgress final : public IncentivePolicy {
 public:
  ExponentialProgress(double beta, double p_max) : beta_(beta), p_max_(p_max), at_max_(std::exp(beta * p_max)) {}
  double reward(const Submission& s) const override {
    double p = std::clamp(s.duration / s.expected_duration, 0.0, p_max_);
    // Past p_max (slow work, and much of what a strategic worker's planning weighs) the factor is
    // exp(beta · p_max), computed once: the same double as computing it again.
    return s.bounty * s.review * (p == p_max_ ? at_max_ : std::exp(beta_ * p));
  }
  RewardShape shape() const override { return {true, RewardShape::Review::kLinear, 0.0}; }
  double max_reward(double bounty, double) const override {
    return bounty * std::exp(std::max(beta_, 0.0) * p_max_);  // r <= 1; the clamp bounds p
  }
  double time_horizon(double expected_duration) const override { return p_max_ * expected_duration; }
  std::string describe() const override {
    std::ostringstream os;
    os << "c = k * r * exp(" << beta_ << " * min(t/T, " << p_max_ << "))";
    return os.str();
  }

 private:
  double beta_;
  double p_max_;
  double at_max_;  // exp(beta · p_max)
};

}  // namespace

CROWDSIM_REGISTER {
  incentive_policies().add(
      {"exponential_progress", "c = k * r * exp(beta * p), progress p = t/T clamped to [0, p_max]",
       {sim::number("beta", 0.0, sim::Bounds::between(-50.0, 50.0),
                    "how pay changes with progress: > 0 rewards taking longer, < 0 rewards speed"),
        sim::number("p_max", 1.0, sim::Bounds::positive(), "progress is clamped to [0, p_max]")},
       [](const sim::Params& p) { return std::make_unique<ExponentialProgress>(p.number("beta"), p.number("p_max")); }});
}

}  // namespace crowdsim::models
