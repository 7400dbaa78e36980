#include "models/aggregation/aggregator.hpp"
#include "sim/config.hpp"

namespace crowdsim::models {

std::unique_ptr<Aggregator> make_majority_vote();
std::unique_ptr<Aggregator> make_dawid_skene();
std::unique_ptr<Aggregator> make_weighted_majority_vote();
std::unique_ptr<Aggregator> make_one_coin();
std::unique_ptr<Aggregator> make_glad();
std::unique_ptr<Aggregator> make_kos();

const std::vector<AggregatorEntry>& aggregators() {
  static const std::vector<AggregatorEntry> all{
      {"mv", "majority vote (ties to the smallest label)", make_majority_vote},
      {"ds", "Dawid-Skene EM: a full confusion matrix per worker, class priors; started from majority vote",
       make_dawid_skene},
      {"wmv", "weighted majority vote: each vote weighs its worker's agreement with the majority (Wawa)", make_weighted_majority_vote},
      {"onecoin", "one-coin Dawid-Skene EM: one accuracy per worker, errors uniform", make_one_coin},
      {"glad", "GLAD (Whitehill et al. 2009): worker ability and item difficulty, EM", make_glad},
      {"kos", "Karger-Oh-Shah message passing, 20 rounds (binary labels only)", make_kos},
  };
  return all;
}

std::unique_ptr<Aggregator> make_aggregator(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& e : aggregators()) {
    if (e.name == name) return e.make();
    names.push_back(e.name);
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw sim::ConfigError("--method", "one of " + list, sim::quoted_with_hint(name, names));
}

}  // namespace crowdsim::models
