#pragma once
/// \file Workers: their intrinsic draws (group, skills, confusion, speed, wage, reliability,
/// session) and how an answer is drawn from them. Each worker's draws come from its own streams,
/// so the population is the same whatever the policies do (common random numbers).

#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/params.hpp"
#include "sim/rng.hpp"

namespace crowdsim::models {

/// One worker, online or gone.
struct WorkerState {
  std::int32_t group = 0;
  double arrived = 0.0;
  double departed = 0.0;           ///< meaningful once !online
  double session_end = kInf;       ///< when its session ends
  std::vector<double> skill;       ///< accuracy per task type
  /// Per task type, empty for one_coin; else K accuracies (one per true class) followed, for
  /// dirichlet, by a K x K row-major matrix of error weights (row i: P(answer j | wrong, truth i)).
  std::vector<std::vector<double>> confusion;
  double speed = 1.0;
  double reservation_wage = 0.0;
  double abandon_hazard = 0.0;     ///< per hour of work
  bool online = false;
  bool busy = false;
  bool leaving = false;            ///< session over: leaves after the current assignment
  std::int64_t tasks_done = 0;
  std::int64_t abandoned = 0;
  double earnings = 0.0;
  double utility = 0.0;            ///< realized utility, summed over its assignments
  double busy_time = 0.0;
  double rep_alpha = 1.0, rep_beta = 1.0;  ///< reputation: Beta posterior from reviews
  std::vector<std::uint8_t> accepts;     ///< per task type: a planning worker takes such tasks (empty: all)
  std::vector<std::uint32_t> strategies;  ///< per task type: its strategy in the run's StrategyBook
  sim::Stream work;                ///< this worker's draws while working: times, answers, reviews
  /// Reputation mean: the platform's estimate of the worker's accuracy.
  double reputation() const { return rep_alpha / (rep_alpha + rep_beta); }
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
  return std::clamp(chance + (accuracy - chance) * gain / difficulty, 0.0, 1.0);
}

/// Draws `w`'s answer to a task of type `type` (index `type_index`), true label `truth` and
/// difficulty `difficulty`, from the worker's working stream. `effort_gain` scales the skill
/// above chance (1 for sampled workers; h(e) for strategic ones).
Answer draw_answer(WorkerState& w, const TaskType& type, std::int32_t type_index, std::int32_t truth,
                   double difficulty, double effort_gain = 1.0);

/// The worker's accuracy on type `t` averaged over true classes (its skill for one_coin).
double mean_accuracy(const WorkerState& w, std::size_t t, std::size_t classes);

}  // namespace crowdsim::models
