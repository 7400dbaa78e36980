// Reading `workers`: the population (initial pool, arrivals) and the worker fields, with
// defaults at the top and overrides per group.
#include <cmath>

#include "models/params.hpp"

namespace crowdsim::models {

using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

WorkerGroup read_worker_fields(const Config& c, WorkerGroup g, const std::vector<TaskType>& types,
                               const std::string& base_dir) {
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
  if (auto b = c.optional_object("behavior")) {
    BehaviorParams& x = p.behavior;
    x.strategic = b->string_or("model", "sampled", {"sampled", "strategic"}) == "strategic";
    if (x.strategic) {
      x.logit = b->string_or("choice", "threshold", {"threshold", "logit"}) == "logit";
      if (x.logit) x.temperature = b->number("temperature", x.temperature, Bounds::positive());
      x.effort_min = b->number("effort_min", x.effort_min, Bounds{0.0, 1.0, true, false});
      x.effort_max = b->number("effort_max", x.effort_max, Bounds{1.0, 100.0, false, false});
      x.kappa = b->number("kappa", x.kappa, Bounds::positive());
      x.effort_cost = b->number("effort_cost", x.effort_cost, Bounds::non_negative());
    }
    b->finish();
  }
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
