#pragma once
/// \file Workers: their intrinsic draws (group, skills, confusion, speed, wage, reliability,
/// session) and how an answer is drawn from them. Each worker's draws come from its own streams,
/// so the population is the same whatever the policies do (common random numbers).

#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/params.hpp"
#include "models/view.hpp"
#include "sim/rng.hpp"

namespace crowdsim::models {

/// One worker, online or gone.
/// A worker: what policies see (WorkerView) and what only the platform knows.
struct WorkerState : WorkerView {
  double departed = 0.0;           ///< meaningful once !online
  double session_end = kInf;       ///< when its session ends
  std::vector<double> skill;       ///< accuracy per task type
  /// Per task type, empty for one_coin; else K accuracies (one per true class) followed, for
  /// dirichlet, by a K x K row-major matrix of error weights (row i: P(answer j | wrong, truth i)).
  std::vector<std::vector<double>> confusion;
  double speed = 1.0;
  double abandon_hazard = 0.0;     ///< per hour of work
  bool leaving = false;            ///< session over: leaves after the current assignment
  /// Its entries in contests not yet closed (paid at their close). Gone with some held, its
  /// row waits for their prizes.
  std::uint32_t held = 0;
  double utility = 0.0;            ///< realized utility, summed over its assignments
  std::vector<std::uint32_t> strategies;  ///< per task type: its strategy in the run's StrategyBook
  sim::Stream work;                ///< this worker's draws while working: times, answers, abandonment
};

/// Draws worker `id` (arriving at `now`) from `params`, using `attributes` for its intrinsic
/// draws and `work` as its working stream.
WorkerState draw_worker(const WorkerParams& params, const std::vector<TaskType>& types, double now,
                        sim::Stream attributes, sim::Stream work);

/// An answer to one slot of a task.
struct Answer {
  double quality;      ///< q: probability of a right answer (labelling), or quality (continuous)
  std::int32_t label;  ///< the label given (-1 on a continuous task)
};

/// The quality of an answer: for a label, the chance it is right, chance + (a − chance) · gain /
/// difficulty; for continuous work (chance 0), a · gain / difficulty; clipped to [0, 1]. `gain`
/// is the share of skill above chance that effort brings out (1 at effort 1). The simulation and
/// strategic workers' planning both use it.
inline double answer_quality(double accuracy, double chance, double gain, double difficulty) {
  // x / 1 is x exactly: the usual difficulty of 1 skips a division (a long wait for the result).
  double above = (accuracy - chance) * gain;
  return std::clamp(chance + (difficulty == 1.0 ? above : above / difficulty), 0.0, 1.0);
}

namespace detail {
/// draw_answer's wrong label from a dirichlet confusion row `c` (out of line): `u` >= `q` is the
/// answer's uniform, rescaled to [0, 1) to pick among the row's error weights.
Answer wrong_from_row(const std::vector<double>& c, std::size_t k, std::int32_t truth, double q, double u);
}  // namespace detail

/// Draws `w`'s answer to a task of type `type` (index `type_index`), true label `truth` and
/// difficulty `difficulty`, from the worker's working stream. `effort_gain` scales the skill
/// above chance (1 for sampled workers; h(e) for strategic ones). Inline: it runs once per
/// assignment.
inline Answer draw_answer(WorkerState& w, const TaskType& type, std::int32_t type_index, std::int32_t truth,
                          double difficulty, double effort_gain = 1.0) {
  auto t = static_cast<std::size_t>(type_index);
  if (!type.labelled) return Answer{answer_quality(w.skill[t], 0.0, effort_gain, difficulty), -1};
  const std::vector<double>& c = w.confusion[t];
  auto k = static_cast<std::size_t>(type.classes);
  double a = c.empty() ? w.skill[t] : c[static_cast<std::size_t>(truth)];
  double chance = k == 2 ? 0.5 : 1.0 / static_cast<double>(k);  // the same value; two classes skip the division
  double q = answer_quality(a, chance, effort_gain, difficulty);
  // One uniform decides right or wrong and, when wrong, which label: given u >= q, (u - q) /
  // (1 - q) is uniform on [0, 1) again. One word per answer, and the label is picked without
  // a branch on the (random) outcome, which a processor cannot predict.
  double u = w.work.uniform01();
  bool right = u < q;
  if (c.size() == k + k * k) return right ? Answer{q, truth} : detail::wrong_from_row(c, k, truth, q, u);  // dirichlet
  // Two classes: the one wrong label needs no rescaled uniform (`other` is 0 whatever it is).
  std::int32_t other = 0;
  if (k != 2) {
    double v = q < 1.0 ? std::clamp((u - q) / (1.0 - q), 0.0, 1.0) : 0.0;
    other = std::min(static_cast<std::int32_t>(v * static_cast<double>(k - 1)), static_cast<std::int32_t>(k) - 2);
  }
  std::int32_t wrong = other >= truth ? other + 1 : other;  // uniform over the k - 1 other labels
  return Answer{q, right ? truth : wrong};
}

/// The worker's accuracy on type `t` averaged over true classes (its skill for one_coin).
double mean_accuracy(const WorkerState& w, std::size_t t, std::size_t classes);

}  // namespace crowdsim::models
