#pragma once
/// \file Incentive policies: how much each submission is paid.

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "models/registry.hpp"

namespace crowdsim::models {

/// What a payment may depend on, for one submission.
struct Submission {
  double bounty;             ///< k, the task's bounty
  double expected_duration;  ///< T, seconds
  double duration;           ///< t, seconds from assignment to submission
  double quality;            ///< q, true quality
  double review;             ///< r, assessed quality in [0, 1]
  /// Seconds from submission to the task's deadline: +inf without a deadline, < 0 when late.
  double deadline_left = std::numeric_limits<double>::infinity();
};

/// How a policy's reward depends on a submission. Strategic workers integrate the reward over
/// what they do not control; knowing its shape lets them do so exactly and cheaply. The default
/// (depends on time and on the review in any way) is always correct, only slower.
struct RewardShape {
  /// How the reward depends on the review r, the other fields held fixed.
  enum class Review {
    kNone,     ///< not at all
    kLinear,   ///< affinely: E[c] = c(E[r])
    kStep,     ///< one value for r >= step, another below
    kGeneral,  ///< any other way
  };
  bool time = true;  ///< depends on the duration t or the deadline
  Review review = Review::kGeneral;
  double step = 0.0;  ///< kStep: the threshold
};

/// Turns reviewed submissions into rewards c >= 0. Most policies pay each submission on its
/// own (`reward`); a policy that ranks the submissions of a task against each other (a
/// tournament) says so with `pays_at_close` and is asked once per task, when it closes.
class IncentivePolicy {
 public:
  virtual ~IncentivePolicy() = default;
  /// The reward for one submission, in currency units (>= 0).
  virtual double reward(const Submission& s) const = 0;
  /// True when payment waits until every submission of the task is in.
  virtual bool pays_at_close() const { return false; }
  /// Rewards of all submissions of one task, in the same order (called at close when
  /// `pays_at_close`). The default pays each one on its own.
  virtual std::vector<double> rewards_at_close(const std::vector<Submission>& subs) const {
    std::vector<double> out;
    out.reserve(subs.size());
    for (const Submission& s : subs) out.push_back(reward(s));
    return out;
  }
  /// Contests (`pays_at_close`): the expected reward of a submission reviewed r among
  /// `rivals` + 1 submissions of a task of bounty k whose rivals' reviews are independent with
  /// P(R' < r) = below and P(R' = r) = equal. The default pays it as if alone.
  virtual double contest_reward(double bounty, int rivals, double below, double equal) const {
    (void)rivals, (void)below, (void)equal;
    return reward(Submission{bounty, 1.0, 0.0, 0.0, 1.0});
  }
  /// How the reward depends on the submission (see RewardShape).
  virtual RewardShape shape() const { return {}; }
  /// An upper bound on what one submission of a task (bounty k, expected duration T) can earn;
  /// the platform reserves it against the budget when it publishes.
  virtual double max_reward(double bounty, double expected_duration) const = 0;
  /// An upper bound on what a task with `redundancy` submissions can cost in total.
  virtual double max_task_cost(double bounty, double expected_duration, int redundancy) const {
    return redundancy * max_reward(bounty, expected_duration);
  }
  /// How long after assignment (seconds) the reward can still change with time, for a task of
  /// expected duration T; strategic workers never consider delays beyond it.
  virtual double time_horizon(double expected_duration) const { return 3.0 * expected_duration; }
  /// The formula with its parameters, e.g. "c = k * r * exp(0.5 * min(t/T, 1))".
  virtual std::string describe() const = 0;
};

// The built-ins, each registering itself in its own file (crowdsim list --params incentive):
/// `fixed`: c = k.
/// `exponential_progress`: c = k · r · exp(beta · p), p = t/T clamped to [0, p_max].
/// `linear_quality`: c = k · (floor + (1 − floor) · r).
/// `quality_threshold`: c = k if r ≥ threshold, else below · k.
/// `deadline_bonus`: c = k + bonus when on time, else k.
/// `tournament`: at close, the i-th best by r earns prizes[i] · k; ties share.

}  // namespace crowdsim::models
