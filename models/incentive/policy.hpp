#pragma once
/// \file Incentive policies: how much one submission is paid.

#include <string>

#include "models/registry.hpp"

namespace crowdsim::models {

/// What a payment may depend on, for one submission.
struct Submission {
  double bounty;             ///< k, the task's bounty
  double expected_duration;  ///< T, seconds
  double duration;           ///< t, seconds from assignment to submission
  double quality;            ///< q, true quality
  double review;             ///< r, assessed quality
};

/// Turns a reviewed submission into a reward c.
class IncentivePolicy {
 public:
  virtual ~IncentivePolicy() = default;
  /// The reward for one submission, in currency units (>= 0).
  virtual double reward(const Submission& s) const = 0;
  /// The formula with its parameters, e.g. "c = k * r * exp(0.5 * min(t/T, 1))".
  virtual std::string describe() const = 0;
};

/// `fixed`: c = k.
void register_fixed(IncentiveRegistry& r);
/// `exponential_progress`: c = k · r · exp(beta · p), p = t/T clamped to [0, p_max].
void register_exponential_progress(IncentiveRegistry& r);

}  // namespace crowdsim::models
