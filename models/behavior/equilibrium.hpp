#pragma once
/// \file Nash equilibria of games among worker types by damped best-response dynamics: every
/// player type best-responds to the others' current strategies, moves halfway there, and the
/// iteration stops when no type can gain more than a tolerance by deviating.

#include <algorithm>
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
/// `mix(a, b, λ)` is the strategy a + λ (b − a) and `toward(a, b)` a number whose sign is the
/// direction from a to b (for one-dimensional strategies, b − a). Each round moves every type the
/// share λ_i of the way to its best response; λ_i starts at 1/2, halves when the type's move
/// reverses direction (a best response that overshoots, as in contests with many players) and
/// grows back by half while it keeps its direction. On return the rivals are prepared for
/// `profile`.
///
/// Polishing. A gain is of second order in the distance to an interior equilibrium
/// (g ≈ |U''| δ² / 2), so a profile that passes `tolerance` can still be δ ≈ sqrt(2 tolerance / |U''|)
/// from it, and a best response to that profile differs from it by about δ (in a contest of
/// identical players its expected prize is then not the pool's share). With `polish`, a converged
/// iteration goes on until the largest gain is at most polish.gain or the largest move (|toward|)
/// at most polish.move, or while the largest gain keeps falling (a type cycling in and out of a
/// contest stops it at once), and returns the profile with the smallest gain.
struct Polish {
  double gain = INFINITY, move = INFINITY;  // the default: none
};
template <class Strategy, class Prepare, class Respond, class Payoff, class Mix, class Toward>
EquilibriumResult best_response_dynamics(std::vector<Strategy>& profile, const std::vector<bool>& moves,
                                         Prepare&& prepare, Respond&& respond, Payoff&& payoff, Mix&& mix,
                                         Toward&& toward, double tolerance, int max_iterations, Polish polish = {}) {
  EquilibriumResult result;
  std::vector<double> step(profile.size(), 0.5), last(profile.size(), 0.0);
  std::vector<Strategy> kept;  // converged: the profile with the smallest gain so far
  for (int it = 1; it <= max_iterations; ++it) {
    prepare(profile);
    std::vector<Strategy> next = profile;
    double gain = 0.0, move = 0.0;
    for (std::size_t i = 0; i < profile.size(); ++i) {
      if (!moves[i]) continue;
      Strategy best = respond(i);
      double g = payoff(i, best) - payoff(i, profile[i]);
      if (g > gain) gain = g;
      double dir = toward(profile[i], best);
      move = std::max(move, std::abs(dir));
      if (dir * last[i] < 0) step[i] *= 0.5;
      else if (dir * last[i] > 0) step[i] = std::min(0.5, step[i] * 1.5);
      last[i] = dir;
      next[i] = mix(profile[i], best, step[i]);
    }
    result.iterations = it;
    if (result.converged && !(gain < result.max_gain)) {  // polishing no longer helps
      profile.swap(kept);
      prepare(profile);
      return result;
    }
    result.max_gain = gain;
    if (gain <= tolerance) {
      result.converged = true;
      if (gain <= polish.gain || move <= polish.move) return result;
      kept = profile;
    }
    profile = next;
  }
  if (result.converged) profile.swap(kept);
  prepare(profile);
  return result;
}

}  // namespace crowdsim::models
