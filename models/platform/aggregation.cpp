// Aggregation: the label a task closes with (votes or the one-coin posterior), adaptive
// redundancy, and the batch methods over all of a run's answers at its end.
#include "models/platform.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/aggregation/aggregator.hpp"
#include "models/platform/internal.hpp"

namespace crowdsim::models {

using namespace platform_impl;

// Batch aggregation: each method over all of the run's answers, task type by task type (types
// may differ in classes); its accuracy over the tasks with a known truth and an answer is the
// KPI accuracy_<method>. Ties among a task's top labels are broken at random by a hash of the
// task's id and a seed from the run's own stream (aggregation.ties "first": the smallest label).
// An EM method (one with an iteration cap) also gives em_capped_<method>, the batches (task
// types) in which it stopped at its cap before converging, and em_moved_<method>, the largest
// change of a posterior at the last iteration of any of them: the run's warnings tell of the
// first (io/run_warnings.cpp), as crowdsim aggregate prints the aggregator's own.
void Platform::batch_aggregate(Kpis& kpis) const {
  const std::uint64_t tie_seed = stream(kBatchTiePurpose, 0)();
  for (const std::string& method : params_.aggregation.batch) {
    std::unique_ptr<Aggregator> agg = make_aggregator(method);
    const bool em = agg->convergence().cap > 0;
    double right = 0, judged = 0, capped = 0, moved = kNaN;
    for (std::size_t type = 0; type < params_.tasks.types.size(); ++type) {
      const TaskType& tt = params_.tasks.types[type];
      if (!tt.labelled) continue;
      AnswerSet set;
      set.classes = tt.classes;
      set.ties = params_.aggregation.ties_first ? Ties::kFirst : Ties::kRandom;
      set.tie_seed = tie_seed;
      std::unordered_map<std::int64_t, std::int32_t> item;
      std::unordered_map<std::uint32_t, std::int32_t> worker;
      std::vector<std::int32_t> truth;
      for (const BatchAnswer& a : answers_) {
        if (a.type != static_cast<std::int32_t>(type)) continue;
        auto [it, added] = item.emplace(a.task, set.items);
        if (added) ++set.items, truth.push_back(a.truth), set.item_keys.push_back(static_cast<std::uint64_t>(a.task));
        auto [wt, wadded] = worker.emplace(a.worker, set.workers);
        if (wadded) ++set.workers;
        set.answers.push_back(AnswerSet::Answer{it->second, wt->second, a.label});
      }
      if (set.answers.empty()) continue;
      std::vector<Estimate> est = agg->aggregate(set);
      for (std::size_t i = 0; i < truth.size(); ++i)
        if (truth[i] >= 0) judged += 1, right += est[i].label == truth[i] ? 1 : 0;
      const Convergence& c = agg->convergence();
      capped += c.capped() ? 1 : 0;
      if (std::isnan(moved) || c.moved > moved) moved = c.moved;  // the largest
    }
    kpis.emplace_back("accuracy_" + method, judged > 0 ? right / judged : kNaN);
    if (em) {
      kpis.emplace_back("em_capped_" + method, capped);
      kpis.emplace_back("em_moved_" + method, moved);
    }
  }
}

namespace {

// The index of the highest score; a tie among the best is broken uniformly at random by
// `tie_break` (called only on a tie, with their number). Scans without branches on the scores:
// votes are random, and a branch on them would be mispredicted about half the time (measured:
// 6% of an mmc run). Out of line: online_label's usual case stays small enough to inline.
template <class Score, class TieBreak>
[[gnu::noinline]] std::int32_t pick_among_best(const std::vector<Score>& score, TieBreak tie_break) {
  auto best = score[0];
  for (std::size_t k = 1; k < score.size(); ++k) best = std::max(best, score[k]);
  std::uint32_t ties = 0;
  std::size_t first = 0;
  for (std::size_t k = score.size(); k-- > 0;) {
    bool top = score[k] == best;
    ties += top;
    first = top ? k : first;
  }
  if (ties == 1) return static_cast<std::int32_t>(first);
  auto pick = static_cast<std::uint32_t>(ties > 1 ? tie_break() % ties : 0);
  for (std::size_t k = 0; k < score.size(); ++k)
    if (score[k] == best && pick-- == 0) return static_cast<std::int32_t>(k);
  return -1;
}

}  // namespace

// The label a task closes with: the class with most votes (or the highest posterior, weighted);
// a tie is broken uniformly at random from the task's own stream, which is only opened when
// there is a tie (a Philox block per task is a measurable cost). Two classes with unequal votes
// (always so with an odd number of answers) are decided inline by online_label (platform.hpp),
// as the scan would, without it: a closing label is computed for every task.
std::int32_t Platform::online_label_other(const TaskState& t) const {
  if (t.votes.empty() || t.submitted == 0) return -1;
  auto tie_break = [&] { return stream(kAggregatePurpose, static_cast<std::uint32_t>(t.id))(); };
  if (!t.log_post.empty()) return pick_among_best(t.log_post, tie_break);
  return pick_among_best(t.votes, tie_break);
}

// One-coin posterior: a worker of reputation p (its estimated accuracy, as it stands when the
// answer arrives) gives the true class with probability p, each other class with (1 − p)/(K − 1).
// Adaptive redundancy: once the top class is probable enough, the task takes no more answers.
void Platform::update_posterior(TaskState& t, const TaskType& tt, std::uint32_t worker, std::int32_t answer) {
  const std::size_t k = t.log_post.size();
  double p = std::clamp(workers_[worker].reputation(), 1e-3, 1.0 - 1e-3);
  double right = std::log(p), wrong = std::log((1.0 - p) / static_cast<double>(k - 1));
  for (std::size_t c = 0; c < k; ++c) t.log_post[c] += static_cast<std::int32_t>(c) == answer ? right : wrong;
  const AggregationParams& ag = params_.aggregation;
  if (t.withdrawn() || t.submitted < ag.min_answers || t.submitted >= tt.redundancy) return;
  double top = *std::max_element(t.log_post.begin(), t.log_post.end()), z = 0;
  for (double l : t.log_post) z += std::exp(l - top);
  if (1.0 / z < ag.stop_at_confidence) return;
  t.stopped = true;
  if (t.open_slots > 0) open_.erase(static_cast<std::uint32_t>(&t - tasks_.data()));
  t.open_slots = t.unopened = 0;
}

}  // namespace crowdsim::models
