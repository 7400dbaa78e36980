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

  void match(const Platform& p, sim::Stream& rng, std::vector<Match>& out) override {
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
  void on_review(const Platform& p, std::uint32_t task, std::uint32_t worker, double r) override {
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
std::unique_ptr<AssignmentPolicy> make_batch(const sim::Config& c, Solver solve) {
  double interval = c.duration("interval", 60.0, sim::Bounds::positive());
  auto slots = static_cast<std::size_t>(c.integer("max_slots", 100, 1, 100000));
  auto workers = static_cast<std::size_t>(c.integer("max_workers", 200, 1, 100000));
  return std::make_unique<MatchingPolicy>(std::move(solve), interval, slots, workers);
}

}  // namespace

void register_batch_policies(AssignmentRegistry& r) {
  r.add("hungarian", "batch: every interval, the optimal matching of open slots to idle workers (Hungarian method)",
        [](const sim::Config& c) {
          return make_batch(c, [](const WeightMatrix& w, sim::Stream&) { return hungarian(w); });
        });
  r.add("genetic", "batch: every interval, a matching of open slots to idle workers found by a genetic algorithm",
        [](const sim::Config& c) {
          GeneticParams g;
          g.population = static_cast<int>(c.integer("population", g.population, 4, 10000));
          g.generations = static_cast<int>(c.integer("generations", g.generations, 1, 1000000));
          g.mutation = c.number("mutation", g.mutation, sim::Bounds::probability());
          return make_batch(c, [g](const WeightMatrix& w, sim::Stream& rng) { return genetic(w, rng, g); });
        });
  r.add("ant_colony", "batch: every interval, a matching of open slots to idle workers found by a MAX-MIN ant system",
        [](const sim::Config& c) {
          AntParams a;
          a.ants = static_cast<int>(c.integer("ants", a.ants, 1, 10000));
          a.iterations = static_cast<int>(c.integer("iterations", a.iterations, 1, 1000000));
          a.evaporation = c.number("evaporation", a.evaporation, sim::Bounds{0.0, 1.0, true, false});
          return make_batch(c, [a](const WeightMatrix& w, sim::Stream& rng) { return ant_colony(w, rng, a); });
        });
}

}  // namespace crowdsim::models
