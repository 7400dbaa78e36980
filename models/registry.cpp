#include "models/registry.hpp"

#include "models/aggregation/aggregator.hpp"
#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"

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

AggregatorRegistry& aggregators() {
  static AggregatorRegistry r("aggregation", "", "batch methods over a run's answers (aggregation.batch)", "", load);
  return r;
}

const std::vector<const sim::RegistryBase*>& all_registries() {
  assignment_policies();
  incentive_policies();
  aggregators();
  load();
  return sim::registries();
}

std::unique_ptr<Aggregator> make_aggregator(const std::string& name, const std::string& path) {
  return aggregators().create_default(name, path);
}

}  // namespace crowdsim::models
