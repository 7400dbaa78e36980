// A user's own models as a crowdsim plug-in: an assignment policy, an incentive policy and an
// aggregation method, registered next to the built-ins when crowdsim loads this library:
//
//   crowdsim run examples/custom_policy/scenario.json --plugin libcustom_policy.so -o out.h5
//
// Everything the command line offers works with them (--threads, --resume, --shard, sweeps,
// optimize, summarize). The parameters are declared once, beside each model: crowdsim checks
// them, and `crowdsim list --params --plugin libcustom_policy.so` documents them.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "models/aggregation/aggregator.hpp"
#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"
#include "models/view.hpp"
#include "models/registry.hpp"

using namespace crowdsim;

namespace {

/// `cheapest`: a task's slot goes to the idle worker with the lowest reservation wage (a
/// platform minimising what it must pay to keep workers), within `tolerance` of which the one
/// idle longest wins; a free worker takes the oldest task.
class Cheapest final : public models::AssignmentPolicy {
 public:
  explicit Cheapest(double tolerance) : tolerance_(tolerance) {}
  std::uint32_t choose_worker(const models::PlatformView& p, std::uint32_t task, sim::Stream&) override {
    std::uint32_t best = models::kNone;
    double wage = std::numeric_limits<double>::infinity();
    for (std::uint32_t w = p.idle_workers().front(); w != models::kNone; w = p.idle_workers().next(w))
      if (p.eligible(task, w) && p.worker(w).reservation_wage < wage - tolerance_)
        best = w, wage = p.worker(w).reservation_wage;
    return best;
  }
  std::uint32_t choose_task(const models::PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    for (std::uint32_t t = p.open_tasks().front(); t != models::kNone; t = p.open_tasks().next(t))
      if (p.eligible(t, worker)) return t;
    return models::kNone;
  }

 private:
  double tolerance_;
};

/// `capped_quality`: c = k · min(1, r / target): full pay from the review `target` up,
/// proportionally less below it.
class CappedQuality final : public models::IncentivePolicy {
 public:
  explicit CappedQuality(double target) : target_(target) {}
  double reward(const models::Submission& s) const override { return s.bounty * std::min(1.0, s.review / target_); }
  models::RewardShape shape() const override { return {false, models::RewardShape::Review::kGeneral, 0.0}; }
  double max_reward(double bounty, double) const override { return bounty; }
  std::string describe() const override { return "c = k * min(1, r / " + std::to_string(target_) + ")"; }

 private:
  double target_;
};

/// `agreement_share`: the majority label, with the share of the item's answers that agree with
/// it as the confidence; a tie broken by the answers' rule (models::pick_top: at random by
/// default, as the built-in methods do).
class AgreementShare final : public models::Aggregator {
 public:
  std::vector<models::Estimate> aggregate(const models::AnswerSet& a) const override {
    std::vector<std::vector<double>> votes(a.items, std::vector<double>(a.classes, 0.0));
    for (const auto& ans : a.answers) ++votes[ans.item][ans.label];
    std::vector<models::Estimate> out(a.items);
    for (std::int32_t i = 0; i < a.items; ++i) {
      double total = 0;
      for (double v : votes[i]) total += v;
      if (total == 0) continue;
      std::int32_t top = models::pick_top(a, i, votes[i].data(), votes[i].size());
      out[i] = {top, votes[i][top] / total};
    }
    return out;
  }
};

}  // namespace

// Called once by crowdsim when it loads the library (--plugin).
CROWDSIM_PLUGIN {
  models::assignment_policies().add(
      {"cheapest", "push: the idle worker with the lowest reservation wage (plug-in example)",
       {sim::number("tolerance", 0.0, sim::Bounds::non_negative(),
                    "wages within this of the lowest count as equal (the longest idle wins)", "currency/h")},
       [](const sim::Params& p) { return std::make_unique<Cheapest>(p.number("tolerance")); }});
  models::incentive_policies().add(
      {"capped_quality", "c = k * min(1, r / target): full pay from the review target up (plug-in example)",
       {sim::number("target", 0.8, sim::Bounds{0.0, 1.0, true, false}, "the review that earns full pay")},
       [](const sim::Params& p) { return std::make_unique<CappedQuality>(p.number("target")); }});
  models::aggregators().add("agreement_share", "majority vote, confidence = the share agreeing (plug-in example)",
                            [] { return std::make_unique<AgreementShare>(); });
}
