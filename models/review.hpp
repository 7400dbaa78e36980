#pragma once
/// \file Review models: how the platform assesses a submission (r in [0, 1]), and how reviews
/// update a worker's reputation (a Beta posterior).

#include <cstdint>
#include <vector>

#include "models/params.hpp"
#include "models/population.hpp"
#include "sim/rng.hpp"

namespace crowdsim::models {

/// What a review may look at.
struct ReviewInput {
  double quality;                          ///< q of the submission
  std::int32_t answer;                     ///< label given (-1: continuous task)
  std::int32_t truth;                      ///< true label (-1: continuous task)
  bool gold;                               ///< the task's answer is known to the platform
  const std::vector<std::uint32_t>* votes;  ///< answers already in, per class (labelling)
  /// The noisy model's draws: the worker's own review stream, never its work stream, so that
  /// the review model does not shift the worker's times and answers (common random numbers).
  sim::Stream* noise = nullptr;
};

namespace detail {
/// review() for the models other than exact (out of line).
double review_other(const ReviewParams& p, const ReviewInput& in, WorkerState& w, bool* assessed);
}  // namespace detail

/// Assesses one submission of worker `w` (`in.noise` supplies the noise) and updates its
/// reputation. Returns r in [0, 1]; `assessed` (if given) tells whether r assessed this answer
/// (and so updated the reputation) rather than standing in for it (gold model, non-gold task).
/// A review judges the answer given: the exact model (inline: it runs once per submission)
/// gives 1 for the right label and 0 for a wrong one, and q on continuous tasks.
inline double review(const ReviewParams& p, const ReviewInput& in, WorkerState& w, bool* assessed = nullptr) {
  if (p.model != ReviewParams::Model::kExact) return detail::review_other(p, in, w, assessed);
  if (assessed) *assessed = true;
  double r = in.truth < 0 ? in.quality : (in.answer == in.truth ? 1.0 : 0.0);
  w.rep_alpha += r;
  w.rep_beta += 1.0 - r;
  return r;
}

}  // namespace crowdsim::models
