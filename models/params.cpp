#include "models/params.hpp"

#include <algorithm>

#include "models/aggregation/aggregator.hpp"
#include "models/registry.hpp"

#include <sstream>

namespace crowdsim::models {

using sim::Bounds;
using sim::Config;
using sim::ConfigError;

sim::Distribution read_bounded(const Config& c, const std::string& key, const sim::Distribution& fallback,
                               const std::string& base_dir, Bounds b) {
  sim::Distribution d = sim::read_distribution(c, key, fallback, base_dir);
  if (!d.within(b)) {
    std::ostringstream support;
    support << d.describe() << ", which can draw values in " << (d.lower_open() ? "(" : "[") << d.lower() << ", "
            << d.upper() << (d.upper_open() ? ")" : "]");
    throw ConfigError(c.path_of(key), std::string("a distribution of ") + b.describe("values"), support.str());
  }
  return d;
}

WorkParams read_work_params(const Config& c, const std::string& base_dir) {
  WorkParams p;
  p.time_noise = read_bounded(c, "time_noise", p.time_noise, base_dir, Bounds::non_negative());
  c.finish();
  return p;
}

namespace {
// The model's own parameters, declared once (crowdsim list --params review).
std::unique_ptr<ReviewParams> review_of(ReviewParams::Model m, const sim::Params& p) {
  auto r = std::make_unique<ReviewParams>();
  r->model = m;
  if (m == ReviewParams::Model::kNoisy) r->sd = p.number("sd");
  if (m == ReviewParams::Model::kGold) r->gold_fraction = p.number("gold_fraction");
  return r;
}
}  // namespace

CROWDSIM_REGISTER(review_models) {
  using M = ReviewParams::Model;
  auto& r = review_models();
  r.share_keys({"prior"});
  const ReviewParams d;
  r.add({"exact", "r = 1 if the answer is right, else 0 (continuous tasks: r = q); the default", {},
         [](const sim::Params& p) { return review_of(M::kExact, p); }});
  r.add({"oracle_accuracy", "r = q, the probability of being right (not the answer given)", {},
         [](const sim::Params& p) { return review_of(M::kOracleAccuracy, p); }});
  r.add({"noisy", "r = clip(exact + N(0, sd), 0, 1)",
         {sim::number("sd", d.sd, Bounds::positive(), "standard deviation of the noise")},
         [](const sim::Params& p) { return review_of(M::kNoisy, p); }});
  r.add({"gold", "r = 1/0 on gold tasks (right/wrong), the worker's reputation elsewhere",
         {sim::number("gold_fraction", d.gold_fraction, Bounds{0.0, 1.0, true, false}, "share of tasks with a known answer")},
         [](const sim::Params& p) { return review_of(M::kGold, p); }});
  r.add({"agreement", "r = 1 if the answer agrees with the majority so far, else 0", {},
         [](const sim::Params& p) { return review_of(M::kAgreement, p); }});
}

ReviewParams read_review_params(const Config& c) {
  ReviewParams p = *review_models().create(c);
  if (auto prior = c.optional_object("prior")) {
    p.prior_alpha = prior->number("alpha", p.prior_alpha, Bounds::positive());
    p.prior_beta = prior->number("beta", p.prior_beta, Bounds::positive());
    prior->finish();
  }
  c.finish();
  return p;
}

AggregationParams read_aggregation_params(const Config& c, const std::vector<TaskType>& types) {
  AggregationParams p;
  if (c.has("stop_at_confidence")) {
    p.stop_at_confidence = c.number("stop_at_confidence", Bounds{0.0, 1.0, true, false});
    p.weighted = true;
  }
  p.min_answers = static_cast<std::int32_t>(c.integer("min_answers", 1, 1, 1'000'000));
  p.weighted = c.string_or("online", p.weighted ? "weighted" : "mv", {"mv", "weighted"}) == "weighted";
  if (c.has("batch")) {
    const nlohmann::json& list = c.raw("batch");
    std::vector<std::string> names = aggregators().names();
    if (!list.is_array()) throw ConfigError(c.path_of("batch"), "an array of method names", sim::describe_json(list));
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string path = c.path_of("batch") + "." + std::to_string(i);
      if (!list[i].is_string()) throw ConfigError(path, "a method name", sim::describe_json(list[i]));
      std::string name = list[i].get<std::string>();
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        std::string all;
        for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
        throw ConfigError(path, "one of " + all, sim::quoted_with_hint(name, names));
      }
      // Ask the method whether it takes every labelled type's number of classes (kos: 2 only).
      for (const TaskType& t : types)
        if (t.labelled && t.decompose.into < 0) try {
            make_aggregator(name)->aggregate(AnswerSet{1, 1, t.classes, {{0, 0, 0}}});
          } catch (const ConfigError& e) {
            throw ConfigError(path, e.expected() + " (task type \"" + t.name + "\")", e.found());
          }
      p.batch.push_back(name);
    }
  }
  c.finish();
  return p;
}

MonitorParams read_monitor_params(const Config& c) {
  MonitorParams p;
  p.snapshot_interval = c.duration("snapshot_interval", p.snapshot_interval, Bounds::positive());
  if (auto a = c.optional_object("alerts")) {
    p.alert_overdue = a->boolean("overdue", p.alert_overdue);
    p.open_tasks_above = a->integer("open_tasks_above", p.open_tasks_above, 1, p.open_tasks_above);
    p.abandonment_rate_above = a->number("abandonment_rate_above", p.abandonment_rate_above, Bounds{0.0, 1.0, true, false});
    if (a->has("abandonment_rate_above") || a->has("abandonment_min_ended"))
      p.abandonment_min_ended = a->integer("abandonment_min_ended", p.abandonment_min_ended, 1, 1'000'000'000);
    a->finish();
  }
  c.finish();
  return p;
}

PolicySpec read_policy_spec(const Config& c, const std::vector<std::string>& registry_names) {
  PolicySpec s;
  s.name = c.string("policy", registry_names);
  s.params = c.value();
  s.path = c.path();
  return s;
}

}  // namespace crowdsim::models
