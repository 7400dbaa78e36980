#pragma once
/// \file Nash equilibria of games among worker types by damped best-response dynamics: every
/// player type best-responds to the others' current strategies, moves halfway there, and the
/// iteration stops when no type can gain more than a tolerance by deviating.

#include <cmath>
#include <vector>

namespace crowdsim::models {

/// How the iteration ended.
struct EquilibriumResult {
  bool converged = false;
  int iterations = 0;
  double max_gain = 0.0;  ///< the largest gain any type could still make by best-responding
};

/// Iterates to an equilibrium of `profile` (one strategy per player type; only types with
/// `moves[i]` choose theirs). `prepare(profile)` sets up what the types face (their rivals);
/// `respond(i)` is type i's best response to it, `payoff(i, s)` its payoff with strategy s;
/// `mix(a, b, λ)` is the strategy a + λ (b − a). Each round moves every type the share λ of the
/// way to its best response; λ starts at 1/2 and halves whenever the largest gain stops falling
/// (best responses that overshoot, as in contests with many players, then still converge).
/// On return the rivals are prepared for `profile`.
template <class Strategy, class Prepare, class Respond, class Payoff, class Mix>
EquilibriumResult best_response_dynamics(std::vector<Strategy>& profile, const std::vector<bool>& moves,
                                         Prepare&& prepare, Respond&& respond, Payoff&& payoff, Mix&& mix,
                                         double tolerance, int max_iterations) {
  EquilibriumResult result;
  double step = 0.5, last_gain = INFINITY;
  for (int it = 1; it <= max_iterations; ++it) {
    prepare(profile);
    std::vector<Strategy> next = profile;
    double gain = 0.0;
    for (std::size_t i = 0; i < profile.size(); ++i) {
      if (!moves[i]) continue;
      Strategy best = respond(i);
      double g = payoff(i, best) - payoff(i, profile[i]);
      if (g > gain) gain = g;
      next[i] = mix(profile[i], best, step);
    }
    result.iterations = it;
    result.max_gain = gain;
    if (gain <= tolerance) {
      result.converged = true;
      return result;
    }
    if (gain >= last_gain && step > 1.0 / 1024) {
      step *= 0.5;  // overshooting: this round's move is made with the smaller step
      for (std::size_t i = 0; i < profile.size(); ++i)
        if (moves[i]) next[i] = mix(profile[i], next[i], 0.5);
    }
    last_gain = gain;
    profile = next;
  }
  prepare(profile);
  return result;
}

}  // namespace crowdsim::models
