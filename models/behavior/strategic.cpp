#include "models/behavior/strategic.hpp"

#include <algorithm>
#include <cmath>

#include "models/incentive/policy.hpp"

namespace crowdsim::models {

DecisionInput decision_input(const TaskType& type, double speed, double accuracy, double wage) {
  return DecisionInput{type.bounty,      type.expected_duration, type.expected_duration * type.difficulty.mean() * speed,
                       accuracy,         type.labelled ? 1.0 / type.classes : 0.0,
                       wage,             type.deadline};
}

double effort_gain(const BehaviorParams& b, double effort) {
  return (1.0 - std::exp(-b.kappa * effort)) / (1.0 - std::exp(-b.kappa));
}

double quality_at(const BehaviorParams& b, double accuracy, double chance, double effort) {
  return std::clamp(chance + (accuracy - chance) * effort_gain(b, effort), 0.0, 1.0);
}

Decision evaluate(const BehaviorParams& b, const IncentivePolicy& policy, const DecisionInput& in, double effort,
                  double delay) {
  Decision d;
  d.effort = effort;
  d.delay = delay;
  d.time = in.work_time * effort + delay;
  d.quality = quality_at(b, in.accuracy, in.chance, effort);
  // The policy's reward at the expected time and quality (review = quality in expectation).
  d.pay = policy.reward(Submission{in.bounty, in.expected_duration, d.time, d.quality, d.quality, in.deadline - d.time});
  d.utility = d.pay - in.wage * d.time / 3600.0 - b.effort_cost * (effort - 1.0) * (effort - 1.0);
  return d;
}

Decision best_response(const BehaviorParams& b, const IncentivePolicy& policy, const DecisionInput& in) {
  // Delays beyond the policy's horizon cannot raise the pay and do cost time.
  const double max_delay = std::max(0.0, policy.time_horizon(in.expected_duration));
  constexpr int kE = 56, kD = 81;
  Decision best = evaluate(b, policy, in, b.effort_min, 0.0);
  auto consider = [&](double e, double d) {
    Decision x = evaluate(b, policy, in, std::clamp(e, b.effort_min, b.effort_max), std::clamp(d, 0.0, max_delay));
    if (x.utility > best.utility) best = x;
  };
  for (int i = 0; i < kE; ++i)
    for (int j = 0; j < kD; ++j)
      consider(b.effort_min + (b.effort_max - b.effort_min) * i / (kE - 1), max_delay * j / (kD - 1));
  // Refine: shrink a window around the best point, 12 times by 1/3 in each dimension.
  double we = (b.effort_max - b.effort_min) / (kE - 1), wd = max_delay / (kD - 1);
  for (int round = 0; round < 12; ++round) {
    double e0 = best.effort, d0 = best.delay;
    for (int i = -4; i <= 4; ++i)
      for (int j = -4; j <= 4; ++j) consider(e0 + we * i / 4.0, d0 + wd * j / 4.0);
    we /= 3.0;
    wd /= 3.0;
  }
  return best;
}

}  // namespace crowdsim::models
