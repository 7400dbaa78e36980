#include "models/registry.hpp"

#include "models/aggregation/aggregator.hpp"
#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"
#include "models/params.hpp"
#include "sim/distribution_params.hpp"

#include <algorithm>

namespace crowdsim::models {

namespace {
// Registers the built-ins the first time any registry is read. Registration functions only
// add(), which does not load, so this cannot recurse.
void load() {
  static const bool loaded = (register_builtins(), true);
  (void)loaded;
}
}  // namespace

AssignmentRegistry& assignment_policies() {
  static AssignmentRegistry r("assignment", "policy", "who does which task", "", load);
  return r;
}

IncentiveRegistry& incentive_policies() {
  static IncentiveRegistry r("incentive", "policy", "how submissions are paid", "", load);
  return r;
}

sim::Registry<ReviewParams>& review_models() {
  static sim::Registry<ReviewParams> r("review", "model", "how submissions are judged (review)", "exact", load);
  return r;
}

sim::Registry<ArrivalParams>& arrival_processes() {
  static sim::Registry<ArrivalParams> r("arrival", "process", "how tasks are published (tasks.arrival)", "", load);
  return r;
}

sim::Registry<BehaviorParams>& behavior_models() {
  static sim::Registry<BehaviorParams> r("behavior", "model",
                                         "how workers respond to incentives (workers.behavior, or a group's)", "sampled", load);
  return r;
}

sim::Registry<ConfusionModel>& confusion_models() {
  static sim::Registry<ConfusionModel> r("confusion", "", "how wrong answers are drawn (workers.confusion, or a group's)", "", load);
  return r;
}

AggregatorRegistry& aggregators() {
  static AggregatorRegistry r("aggregation", "", "batch methods over a run's answers (aggregation.batch)", "", load);
  return r;
}

const std::vector<const sim::RegistryBase*>& all_registries() {
  // A fixed order, whichever registry happened to be made first; then any a plug-in made.
  static const std::vector<const sim::RegistryBase*> builtin = {
      &assignment_policies(), &incentive_policies(), &aggregators(),      &review_models(),
      &arrival_processes(),   &behavior_models(),    &confusion_models(), &sim::distributions()};
  load();
  static std::vector<const sim::RegistryBase*> all;
  all = builtin;
  for (const sim::RegistryBase* r : sim::registries())
    if (std::find(builtin.begin(), builtin.end(), r) == builtin.end()) all.push_back(r);
  return all;
}

std::unique_ptr<Aggregator> make_aggregator(const std::string& name, const std::string& path) {
  return aggregators().create_default(name, path);
}

}  // namespace crowdsim::models
