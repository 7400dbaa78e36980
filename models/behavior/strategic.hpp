#pragma once
/// \file Strategic workers (docs/incentives.md): a worker chooses an effort e and a submission
/// delay d to maximise its expected payment minus the value of its time and the cost of effort,
/// under the incentive policy in force, and takes a task only if that best utility is positive
/// (or with a logit probability). The best response is found numerically.

#include "models/params.hpp"

namespace crowdsim::models {

class IncentivePolicy;

/// What a worker of one kind knows when it decides, for one task type.
struct DecisionInput {
  double bounty, expected_duration;  ///< k and T of the task type
  double work_time;                  ///< its expected time at effort 1: T · E[difficulty] · speed, seconds
  double accuracy, chance;           ///< its skill a and the chance level 1/K (0 for continuous tasks)
  double wage;                       ///< reservation wage, currency units per hour
  double deadline;                   ///< seconds from assignment to the deadline (+inf: none)
};

/// A strategy and its expected consequences.
struct Decision {
  double effort = 1.0, delay = 0.0;  ///< e and d: submission after work_time · e + d seconds
  double time = 0.0, quality = 0.0, pay = 0.0, utility = 0.0;
};

/// How a task of type `type` looks to a worker of speed `speed`, skill `accuracy` (for that
/// type) and reservation wage `wage`.
DecisionInput decision_input(const TaskType& type, double speed, double accuracy, double wage);
/// h(e) = (1 − exp(−κ e)) / (1 − exp(−κ)): the share of skill above chance that effort e
/// brings out (h(1) = 1).
double effort_gain(const BehaviorParams& b, double effort);
/// Quality at effort e: chance + (a − chance) · h(e), clipped to [0, 1].
double quality_at(const BehaviorParams& b, double accuracy, double chance, double effort);
/// Expected utility of (effort, delay) for `in` under `policy`.
Decision evaluate(const BehaviorParams& b, const IncentivePolicy& policy, const DecisionInput& in, double effort,
                  double delay);
/// The best response: a coarse grid over (e, d), then refinement around the best cell.
Decision best_response(const BehaviorParams& b, const IncentivePolicy& policy, const DecisionInput& in);

}  // namespace crowdsim::models
