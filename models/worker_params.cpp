// Reading `workers`: the population (initial pool, arrivals) and the worker fields, with
// defaults at the top and overrides per group.
#include <cmath>

#include "models/params.hpp"
#include "models/registry.hpp"

namespace crowdsim::models {

using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

// A distribution at `key` within `b`, `fallback` when absent.
sim::Distribution read_bounded(const Config& c, const std::string& key, const sim::Distribution& fallback,
                               const std::string& base_dir, Bounds b) {
  return c.has(key) ? sim::read_distribution_within(c, key, b, base_dir) : fallback;
}

// `behavior`: the model and its parameters over those of `b` (the workers' own, for a group).
// Each model accepts only the keys it uses.
BehaviorParams read_behavior(const Config& c, BehaviorParams b) {
  using M = BehaviorParams::Model;
  const auto& models = behavior_models();
  std::string current = b.model == M::kStrategic ? "strategic" : b.model == M::kFixed ? "fixed" : "sampled";
  std::string m = c.string_or("model", current, models.names());
  models.check_keys(c, m);
  sim::Params p(c, *models.params_of(m));
  b.model = m == "strategic" ? M::kStrategic : m == "fixed" ? M::kFixed : M::kSampled;
  // A key given overrides; one not given keeps the inherited value (the workers', for a group).
  auto set = [&](const char* key, double& field) {
    if (p.has(key)) field = p.number(key);
  };
  set("risk_aversion", b.risk_aversion);
  if (b.model != M::kSampled) {
    set("kappa", b.kappa);
    set("effort_cost", b.effort_cost);
  }
  if (b.model == M::kStrategic) {
    if (p.has("choice")) b.logit = p.string("choice") == "logit";
    if (p.has("temperature") && !b.logit)
      throw ConfigError(c.path_of("temperature"), "no temperature unless choice is \"logit\"", "a temperature");
    set("temperature", b.temperature);
    set("effort_min", b.effort_min);
    set("effort_max", b.effort_max);
  }
  if (b.model == M::kFixed) {
    set("effort", b.effort);
    if (p.has("delay")) b.delay = p.duration("delay");
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
  if (c.has("confusion")) g.confusion = *confusion_models().create_default(c.string("confusion", confusion_models().names()), c.path_of("confusion"));
  // dirichlet's parameter, declared with it; it sits in the group beside "confusion".
  sim::Params dirichlet(c, *confusion_models().params_of("dirichlet"));
  if (dirichlet.has("concentration")) g.concentration = dirichlet.number("concentration");
  g.speed = read_bounded(c, "speed", g.speed, base_dir, Bounds::positive());
  g.reservation_wage = read_bounded(c, "reservation_wage", g.reservation_wage, base_dir, Bounds::non_negative());
  g.abandon_hazard = read_bounded(c, "abandon_hazard", g.abandon_hazard, base_dir, Bounds::non_negative());
  if (c.has("session")) g.session = read_bounded(c, "session", g.session, base_dir, Bounds::positive());
  return g;
}

}  // namespace

CROWDSIM_REGISTER(worker_models) {
  const BehaviorParams d;
  const sim::Param risk = sim::number("risk_aversion", d.risk_aversion, Bounds::non_negative(),
                                      "CARA coefficient rho: u(x) = (1 - exp(-rho x)) / rho (0: risk neutral)", "1/currency");
  const sim::Param kappa = sim::number("kappa", d.kappa, Bounds::positive(),
                                       "returns to effort: skill above chance scales with (1 - e^-kappa e) / (1 - e^-kappa)");
  const sim::Param cost = sim::number("effort_cost", d.effort_cost, Bounds::non_negative(),
                                      "disutility of effort per task, times (e - 1)^2", "currency");
  auto same = [](BehaviorParams::Model m) {
    return [m](const sim::Params&) {
      auto b = std::make_unique<BehaviorParams>();
      b->model = m;
      return b;
    };
  };
  auto& b = behavior_models();
  b.add({"sampled", "effort 1, no delay: time and quality drawn whatever the incentive (the default)", {risk},
         same(BehaviorParams::Model::kSampled)});
  b.add({"strategic",
         "each worker chooses effort and delay to maximise its expected utility; takes a task type if it is positive",
         {risk, kappa, cost,
          sim::choice("choice", "threshold", {"threshold", "logit"},
                      "take a task type iff E[U] > 0, or with probability 1 / (1 + exp(-E[U] / temperature))"),
          sim::number("temperature", d.temperature, Bounds::positive(), "logit choice only", "currency"),
          sim::number("effort_min", d.effort_min, Bounds{0.0, 1.0, true, false}, "the least effort a worker considers"),
          sim::number("effort_max", d.effort_max, Bounds{1.0, 100.0, false, false}, "the most effort a worker considers")},
         same(BehaviorParams::Model::kStrategic)});
  b.add({"fixed", "every worker of the group uses the given effort and delay (to test deviations)",
         {risk, kappa, cost,
          sim::number("effort", d.effort, Bounds{0.0, 100.0, true, false}, "the effort e (multiplies the work time)"),
          sim::duration("delay", d.delay, Bounds::non_negative(), "the delay before submitting")},
         same(BehaviorParams::Model::kFixed)});

  auto& c = confusion_models();
  auto is = [](ConfusionModel m) { return [m] { return std::make_unique<ConfusionModel>(m); }; };
  c.add("one_coin", "one accuracy; wrong answers uniform (the default)", is(ConfusionModel::kOneCoin));
  c.add("class_conditional", "one accuracy per true class; wrong answers uniform", is(ConfusionModel::kClassConditional));
  c.add({"dirichlet", "per-class accuracies; wrong answers spread by a Dirichlet draw",
         {sim::number("concentration", WorkerGroup{}.concentration, Bounds::positive(),
                      "Dirichlet parameter of the wrong answers' shares (given beside \"confusion\")")},
         [](const sim::Params&) { return std::make_unique<ConfusionModel>(ConfusionModel::kDirichlet); }});
}

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
