// Reading `workers`: the population (initial pool, arrivals) and the worker fields, with
// defaults at the top and overrides per group.
#include <cmath>

#include "models/params.hpp"

namespace crowdsim::models {

using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

// `behavior`: the model and its parameters over those of `b` (the workers' own, for a group).
// Each model accepts only the keys it uses.
BehaviorParams read_behavior(const Config& c, BehaviorParams b) {
  using M = BehaviorParams::Model;
  std::string current = b.model == M::kStrategic ? "strategic" : b.model == M::kFixed ? "fixed" : "sampled";
  std::string m = c.string_or("model", current, {"sampled", "strategic", "fixed"});
  b.model = m == "strategic" ? M::kStrategic : m == "fixed" ? M::kFixed : M::kSampled;
  b.risk_aversion = c.number("risk_aversion", b.risk_aversion, Bounds::non_negative());
  if (b.model != M::kSampled) {
    b.kappa = c.number("kappa", b.kappa, Bounds::positive());
    b.effort_cost = c.number("effort_cost", b.effort_cost, Bounds::non_negative());
  }
  if (b.model == M::kStrategic) {
    b.logit = c.string_or("choice", b.logit ? "logit" : "threshold", {"threshold", "logit"}) == "logit";
    if (b.logit) b.temperature = c.number("temperature", b.temperature, Bounds::positive());
    b.effort_min = c.number("effort_min", b.effort_min, Bounds{0.0, 1.0, true, false});
    b.effort_max = c.number("effort_max", b.effort_max, Bounds{1.0, 100.0, false, false});
  }
  if (b.model == M::kFixed) {
    b.effort = c.number("effort", b.effort, Bounds{0.0, 100.0, true, false});
    b.delay = c.has("delay") ? c.duration("delay", Bounds::non_negative()) : b.delay;
  }
  c.finish();
  return b;
}

WorkerGroup read_worker_fields(const Config& c, WorkerGroup g, const std::vector<TaskType>& types,
                               const std::string& base_dir) {
  if (auto b = c.optional_object("behavior")) g.behavior = read_behavior(*b, g.behavior);
  if (c.has("accuracy")) {
    sim::Distribution a = read_bounded(c, "accuracy", sim::Distribution(0.8), base_dir, Bounds::probability());
    g.skill.assign(types.size(), a);
  }
  if (auto s = c.optional_object("skill")) {
    for (const auto& item : s->value().items()) {
      std::int32_t t = -1;
      for (std::size_t i = 0; i < types.size(); ++i)
        if (types[i].name == item.key()) t = static_cast<std::int32_t>(i);
      if (t < 0) {
        std::vector<std::string> names;
        for (const auto& ty : types) names.push_back(ty.name);
        throw ConfigError(s->path_of(item.key()), "a task type name as key", sim::quoted_with_hint(item.key(), names));
      }
      g.skill[static_cast<std::size_t>(t)] =
          read_bounded(*s, item.key(), sim::Distribution(0.8), base_dir, Bounds::probability());
    }
  }
  if (c.has("confusion")) {
    std::string m = c.string("confusion", {"one_coin", "class_conditional", "dirichlet"});
    g.confusion = m == "one_coin" ? ConfusionModel::kOneCoin
                  : m == "class_conditional" ? ConfusionModel::kClassConditional
                                             : ConfusionModel::kDirichlet;
  }
  g.concentration = c.number("concentration", g.concentration, Bounds::positive());
  g.speed = read_bounded(c, "speed", g.speed, base_dir, Bounds::positive());
  g.reservation_wage = read_bounded(c, "reservation_wage", g.reservation_wage, base_dir, Bounds::non_negative());
  g.abandon_hazard = read_bounded(c, "abandon_hazard", g.abandon_hazard, base_dir, Bounds::non_negative());
  if (c.has("session")) g.session = read_bounded(c, "session", g.session, base_dir, Bounds::positive());
  return g;
}

}  // namespace

WorkerParams read_worker_params(const Config& c, const std::vector<TaskType>& types, const std::string& base_dir) {
  WorkerParams p;
  WorkerGroup defaults;
  defaults.skill.assign(types.size(), sim::Distribution(0.8));
  defaults = read_worker_fields(c, defaults, types, base_dir);
  if (auto a = c.optional_object("arrival")) {
    p.arrival_rate_per_hour = a->number("rate_per_hour", Bounds::positive());
    p.max_total = a->integer("max_total", p.max_total, 1, p.max_total);
    a->finish();
  }
  p.count = c.integer("count", p.count, p.arrival_rate_per_hour > 0 ? 0 : 1, 100'000'000);
  p.max_tasks = c.integer("max_tasks", p.max_tasks, 1, p.max_tasks);
  if (c.has("groups")) {
    p.groups.clear();
    double total = 0;
    for (const Config& item : c.objects("groups")) {
      WorkerGroup g = read_worker_fields(item, defaults, types, base_dir);
      g.name = item.string("name");
      for (const auto& other : p.groups)
        if (other.name == g.name) throw ConfigError(item.path_of("name"), "a name no other group has", "\"" + g.name + "\"");
      g.share = item.number("share", Bounds{0.0, 1.0, true, false});
      total += g.share;
      item.finish();
      p.groups.push_back(g);
    }
    if (std::abs(total - 1.0) > 1e-6)
      throw ConfigError(c.path_of("groups"), "shares that sum to 1", "shares summing to " + std::to_string(total));
  } else {
    p.groups = {defaults};
  }
  c.finish();
  return p;
}

}  // namespace crowdsim::models
