#include <functional>

#include "models/assignment/choice.hpp"
#include "models/assignment/matching.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

using Solver = std::function<Matching(const WeightMatrix&, sim::Stream&)>;

/// Batch matching every `interval` seconds: the open slots (oldest tasks first, at most
/// `max_slots`) against the idle workers (longest idle first, at most `max_workers`), each pair
/// weighted by the worker's estimated success on the task (skill learned from reviews, as in
/// greedy_skill); a solver picks the matching of largest total weight it can find.
class MatchingPolicy final : public AssignmentPolicy {
 public:
  MatchingPolicy(Solver solve, double interval, std::size_t max_slots, std::size_t max_workers)
      : solve_(std::move(solve)), interval_(interval), max_slots_(max_slots), max_workers_(max_workers) {}
  AssignmentKind kind() const override { return AssignmentKind::kBatch; }
  double batch_interval() const override { return interval_; }

  void match(const PlatformView& p, sim::Stream& rng, std::vector<Match>& out) override {
    rows_.clear();
    cols_.clear();
    for (std::uint32_t t = p.open_tasks().front(); t != kNone && rows_.size() < max_slots_; t = p.open_tasks().next(t))
      for (std::int32_t k = 0; k < p.task(t).open_slots && rows_.size() < max_slots_; ++k) rows_.push_back(t);
    for (std::uint32_t w = p.idle_workers().front(); w != kNone && cols_.size() < max_workers_; w = p.idle_workers().next(w))
      cols_.push_back(w);
    if (rows_.empty() || cols_.empty()) return;
    WeightMatrix m(rows_.size(), cols_.size());
    for (std::size_t i = 0; i < rows_.size(); ++i)
      for (std::size_t j = 0; j < cols_.size(); ++j)
        if (p.eligible(rows_[i], cols_[j])) m.at(i, j) = est_.success(p, rows_[i], cols_[j]);
    Matching best = solve_(m, rng);
    for (std::size_t i = 0; i < rows_.size(); ++i)
      if (best[i] >= 0) out.push_back(Match{rows_[i], cols_[static_cast<std::size_t>(best[i])]});
  }
  void on_review(const PlatformView& p, std::uint32_t task, std::uint32_t worker, double r) override {
    est_.update(p, task, worker, r);
  }

 private:
  Solver solve_;
  double interval_;
  std::size_t max_slots_, max_workers_;
  SkillEstimates est_;
  std::vector<std::uint32_t> rows_, cols_;
};

// The options every batch policy reads, then its solver.
sim::ParamList batch_params(sim::ParamList own) {
  sim::ParamList all{
      sim::duration("interval", 60.0, sim::Bounds::positive(), "time between matchings"),
      sim::integer("max_slots", 100, 1, 100000, "open slots matched at most per round (the oldest tasks first)"),
      sim::integer("max_workers", 200, 1, 100000, "idle workers matched at most per round (the longest idle first)")};
  all.insert(all.end(), own.begin(), own.end());
  return all;
}

std::unique_ptr<AssignmentPolicy> make_batch(const sim::Params& p, Solver solve) {
  return std::make_unique<MatchingPolicy>(std::move(solve), p.duration("interval"),
                                          static_cast<std::size_t>(p.integer("max_slots")),
                                          static_cast<std::size_t>(p.integer("max_workers")));
}

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add(
      {"hungarian", "batch: every interval, the optimal matching of open slots to idle workers (Hungarian method)",
       batch_params({}),
       [](const sim::Params& p) { return make_batch(p, [](const WeightMatrix& w, sim::Stream&) { return hungarian(w); }); }});
  const GeneticParams g0;
  assignment_policies().add(
      {"genetic", "batch: every interval, a matching of open slots to idle workers found by a genetic algorithm",
       batch_params({sim::integer("population", g0.population, 4, 10000, "matchings per generation"),
                     sim::integer("generations", g0.generations, 1, 1000000, "generations per round"),
                     sim::number("mutation", g0.mutation, sim::Bounds::probability(), "probability that a child gets one random swap")}),
       [](const sim::Params& p) {
         GeneticParams g;
         g.population = static_cast<int>(p.integer("population"));
         g.generations = static_cast<int>(p.integer("generations"));
         g.mutation = p.number("mutation");
         return make_batch(p, [g](const WeightMatrix& w, sim::Stream& rng) { return genetic(w, rng, g); });
       }});
  const AntParams a0;
  assignment_policies().add(
      {"ant_colony", "batch: every interval, a matching of open slots to idle workers found by a MAX-MIN ant system",
       batch_params({sim::integer("ants", a0.ants, 1, 10000, "ants per iteration"),
                     sim::integer("iterations", a0.iterations, 1, 1000000, "iterations per round"),
                     sim::number("evaporation", a0.evaporation, sim::Bounds{0.0, 1.0, true, false},
                                 "share of the pheromone that evaporates per iteration")}),
       [](const sim::Params& p) {
         AntParams a;
         a.ants = static_cast<int>(p.integer("ants"));
         a.iterations = static_cast<int>(p.integer("iterations"));
         a.evaporation = p.number("evaporation");
         return make_batch(p, [a](const WeightMatrix& w, sim::Stream& rng) { return ant_colony(w, rng, a); });
       }});
}

}  // namespace crowdsim::models
