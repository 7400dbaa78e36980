#pragma once
/// \file Strategic workers (docs/incentives.md). A worker chooses an effort e and a submission
/// delay d to maximise its expected utility E[u(c − w·t/3600 − C(e))], the expectation taken
/// over everything it does not control: the task's difficulty, the time noise, whether its
/// answer is right, the review's noise and, in games (contests, agreement review), its rivals.
/// Expectations are quadrature sums; best responses are found numerically.

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "models/behavior/review_law.hpp"
#include "models/incentive/policy.hpp"
#include "models/params.hpp"

namespace crowdsim::models {

/// One task type as a worker sees it before taking a task of it.
struct Environment {
  const IncentivePolicy* policy = nullptr;
  RewardShape shape;
  ReviewParams review;
  double bounty = 1.0;               ///< k
  double expected_duration = 600.0;  ///< T, seconds
  double deadline = kInf;            ///< seconds from assignment to the deadline (taken at publication)
  bool cancel_late = false;          ///< work still under way at the deadline is cancelled, unpaid
  bool labelled = true;
  int classes = 2;                   ///< K (labelled)
  int redundancy = 1;                ///< M: answers per task (contest size; agreement positions)
  bool contest = false;              ///< the policy ranks the submissions of a task (pays_at_close)
  /// A contest of M > 1 that no rival enters at the equilibrium: it never fills, so it never
  /// closes and pays nothing (a lone entrant cannot count on rivals who stay out).
  bool deserted = false;
  double horizon = 0.0;              ///< the longest delay worth considering, seconds
  std::vector<Node> difficulty;      ///< quadrature nodes of the difficulty D
  std::vector<Node> noise;           ///< quadrature nodes of the time noise N
  double mean_difficulty = 1.0, mean_noise = 1.0;
  sim::Distribution noise_law{1.0};  ///< the time noise N itself (who answers first needs its cdf)
  /// Games only, per difficulty node: the law of a rival's review (contests).
  std::vector<ReviewLaw> rival_review;
  /// Agreement review, per difficulty node: for j = 1 .. M − 1 earlier answers (index j − 1),
  /// the chances that a right and a wrong answer agree with their plurality.
  std::vector<std::vector<double>> agree_right, agree_wrong;
  /// A rival's completion time, t = scale · N + delay, with the rival's weight in the mixture.
  struct RivalTime {
    double weight, scale, delay;
  };
  /// Agreement review, per difficulty node: the rivals' completion times (all of a task's
  /// workers start together): an answer's position among the task's answers follows from them.
  std::vector<std::vector<RivalTime>> rival_time;
  /// P(a rival's answer is in before time t), on difficulty node m.
  double rival_before(std::size_t m, double t) const;
  /// True when a worker's payoff depends on the other workers' strategies.
  bool game() const { return contest || (review.model == ReviewParams::Model::kAgreement && labelled); }
};

/// The environment of task type `type` (no rivals yet: see set_rivals).
Environment make_environment(const TaskType& type, const WorkParams& work, const ReviewParams& review,
                             const IncentivePolicy& policy);

/// What one rival type does, for set_rivals: its strategy, traits and behaviour, and its weight
/// in the population of rivals.
struct Rival {
  double weight;
  double effort, accuracy;
  const BehaviorParams* behavior;
  double speed = 1.0, delay = 0.0;
};

/// Fills the rivals of a game environment from a population of rival types.
void set_rivals(Environment& env, const std::vector<Rival>& rivals);

/// The characteristics a worker plans with.
struct Traits {
  double speed = 1.0;     ///< time multiplier
  double accuracy = 0.8;  ///< skill on this type (mean over true classes)
  double wage = 0.0;      ///< reservation wage, currency units per hour
};

/// A strategy and its expected consequences.
struct Decision {
  double effort = 1.0, delay = 0.0;  ///< submission after T · D · speed · N · effort + delay seconds
  double time = 0.0;                 ///< E[t], seconds (up to the deadline when cancelled)
  double quality = 0.0;              ///< E[q]: the chance of a right answer (labelled), or the quality
  double pay = 0.0;                  ///< E[c]
  double utility = 0.0;              ///< E[u(c − w t / 3600 − C(e))]
};

/// h(e) = (1 − exp(−κ e)) / (1 − exp(−κ)): the share of skill above chance that effort e brings out.
double effort_gain(const BehaviorParams& b, double effort);
/// Quality at effort e on a task of difficulty D: chance + (a − chance) · h(e) / D, clipped to [0, 1].
double quality_at(const BehaviorParams& b, double accuracy, double chance, double effort, double difficulty);
/// u(x): x for a risk-neutral worker, (1 − exp(−ρ x)) / ρ with risk aversion ρ.
inline double utility_of(const BehaviorParams& b, double money) {
  return b.risk_aversion > 0 ? -std::expm1(-b.risk_aversion * money) / b.risk_aversion : money;
}
/// The realized utility of one assignment: u(reward − wage · duration / 3600 − effort_cost · (e − 1)²)
/// (no effort cost for sampled workers). Inline: it runs once per assignment.
inline double realized_utility(const BehaviorParams& b, double reward, double wage, double duration, double effort) {
  double cost = b.plans() ? b.effort_cost * (effort - 1.0) * (effort - 1.0) : 0.0;
  return utility_of(b, reward - wage * duration / 3600.0 - cost);
}

/// The probability that a worker takes a task type of expected utility `utility`: 1 or 0 by its
/// sign (strategic, choice threshold), 1 / (1 + exp(−utility / temperature)) (choice logit), 1
/// for sampled and fixed workers.
inline double take_probability(const BehaviorParams& b, double utility) {
  if (!b.strategic()) return 1.0;
  return b.logit ? 1.0 / (1.0 + std::exp(-utility / b.temperature)) : (utility > 0 ? 1.0 : 0.0);
}

/// The expected consequences of (effort, delay) for a worker with `traits` in `env`.
Decision evaluate(const BehaviorParams& b, const Environment& env, const Traits& traits, double effort, double delay);
/// The strategy a worker uses: the best response (strategic), the given one (fixed), or effort 1
/// and no delay (sampled).
Decision best_response(const BehaviorParams& b, const Environment& env, const Traits& traits);

/// Agreement review: with `earlier` answers already in, each right with probability p and wrong
/// uniformly over the K − 1 other labels, the probabilities that a right and a wrong answer have
/// at least as many earlier votes as any other label.
std::pair<double, double> agreement_odds(int earlier, int classes, double p);

}  // namespace crowdsim::models
