// Reading `workers`: the population (initial pool, arrivals) and the worker fields, with
// defaults at the top and overrides per group.
#include <cmath>
#include <limits>

#include "models/params.hpp"
#include "models/registry.hpp"

namespace crowdsim::models {

using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

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

// The fields of a worker, given at the top of `workers` (defaults for every group) or per group.
sim::ParamList worker_fields() {
  const WorkerGroup d;
  return {sim::distribution("accuracy", sim::Distribution(kDefaultAccuracy), Bounds::probability(),
                            "P(right answer) on a unit-difficulty task, every task type"),
          sim::custom("skill", "an object: task type name -> distribution in [0, 1]",
                      "accuracy for one task type, over accuracy"),
          sim::custom("confusion", "a confusion model's name", "how wrong answers are drawn (default one_coin)"),
          sim::custom("concentration", "a number > 0",
                      "the Dirichlet parameter of confusion dirichlet (declared with it: default 1)"),
          sim::distribution("speed", d.speed, Bounds::positive(), "time multiplier (2 = twice as slow)"),
          sim::distribution("reservation_wage", d.reservation_wage, Bounds::non_negative(),
                            "the value of the worker's time (its cost in utility; strategic workers plan with it)",
                            "currency/h"),
          sim::distribution("abandon_hazard", d.abandon_hazard, Bounds::non_negative(),
                            "abandonments per hour of work: the assignment ends at an exponential time of this rate "
                            "if that comes first",
                            "1/h"),
          sim::optional_distribution("session", Bounds::positive(),
                                     "time online; the worker finishes its assignment, then leaves (absent: to the end)",
                                     "s"),
          sim::custom("behavior", "an object: a behaviour model",
                      "how workers respond to incentives (default sampled; a group's over the workers')")};
}

}  // namespace

const sim::Section& worker_section() {
  static const sim::Section s = [] {
    const WorkerParams d;
    const std::int64_t most = std::numeric_limits<std::int64_t>::max();
    sim::ParamList list{sim::integer("count", d.count, 0, 100'000'000, "workers online at t = 0 (at least 1 without arrival)"),
                        sim::optional_integer("max_tasks", 1, most, "answers after which a worker leaves (absent: no limit)"),
                        sim::custom("arrival", "an object (workers.arrival)", "new workers arrive as a Poisson stream while work remains"),
                        sim::custom("groups", "a non-empty array of objects (workers.groups)",
                                    "worker groups (default one group with the fields below)")};
    for (sim::Param& f : worker_fields()) list.push_back(std::move(f));
    return sim::Section{"workers", "the worker population; the worker fields here are the defaults of every group", list};
  }();
  return s;
}

const sim::Section& worker_arrival_section() {
  static const sim::Section s{
      "workers.arrival", "new workers arriving while work remains",
      {sim::required_number("rate_per_hour", Bounds::positive(), "Poisson arrivals of new workers", "1/h"),
       sim::optional_integer("max_total", 1, std::numeric_limits<std::int64_t>::max(),
                             "cap on the workers ever present (absent: no limit)")}};
  return s;
}

const sim::Section& group_section() {
  static const sim::Section s = [] {
    sim::ParamList list{sim::required_text("name", "the group's name (unique)"),
                        sim::required_number("share", Bounds{0.0, 1.0, true, false}, "share of the workers (shares sum to 1)")};
    for (sim::Param& f : sim::inherited(worker_fields(), "workers")) list.push_back(std::move(f));
    return sim::Section{"workers.groups", "one group of workers (an element of workers.groups)", list};
  }();
  return s;
}

namespace {

// The worker fields present in `p` (read through the declarations), over `g`.
WorkerGroup read_worker_fields(const sim::Params& p, WorkerGroup g, const std::vector<TaskType>& types,
                               const std::string& base_dir) {
  const Config& c = p.config();
  if (auto b = c.optional_object("behavior")) g.behavior = read_behavior(*b, g.behavior);
  if (p.has("accuracy")) g.skill.assign(types.size(), p.distribution("accuracy"));
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
      g.skill[static_cast<std::size_t>(t)] = sim::read_distribution_within(*s, item.key(), Bounds::probability(), base_dir);
    }
  }
  if (c.has("confusion")) g.confusion = *confusion_models().create_default(c.string("confusion", confusion_models().names()), c.path_of("confusion"));
  // dirichlet's parameter, declared with it; it sits in the group beside "confusion".
  sim::Params dirichlet(c, *confusion_models().params_of("dirichlet"));
  if (dirichlet.has("concentration")) g.concentration = dirichlet.number("concentration");
  if (p.has("speed")) g.speed = p.distribution("speed");
  if (p.has("reservation_wage")) g.reservation_wage = p.distribution("reservation_wage");
  if (p.has("abandon_hazard")) g.abandon_hazard = p.distribution("abandon_hazard");
  if (p.has("session")) g.session = p.distribution("session");
  return g;
}

}  // namespace

CROWDSIM_REGISTER {
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
  c.add("class_conditional", "one accuracy per true class, each drawn from the skill; wrong answers uniform",
        is(ConfusionModel::kClassConditional));
  c.add({"dirichlet", "per-class accuracies; wrong answers spread by a Dirichlet draw",
         {sim::number("concentration", WorkerGroup{}.concentration, Bounds::positive(),
                      "Dirichlet parameter of the wrong answers' shares (small: they go to few labels; given beside "
                      "\"confusion\")")},
         [](const sim::Params&) { return std::make_unique<ConfusionModel>(ConfusionModel::kDirichlet); }});
}

WorkerParams read_worker_params(const Config& c, const std::vector<TaskType>& types, const std::string& base_dir) {
  WorkerParams p;
  WorkerGroup defaults;
  defaults.skill.assign(types.size(), sim::Distribution(kDefaultAccuracy));
  sim::Params fields(c, worker_section().params, base_dir);
  defaults = read_worker_fields(fields, defaults, types, base_dir);
  if (auto a = c.optional_object("arrival")) {
    sim::Params q(*a, worker_arrival_section().params);
    p.arrival_rate_per_hour = q.number("rate_per_hour");
    if (q.has("max_total")) p.max_total = q.integer("max_total");
    a->finish();
  }
  // Declared >= 0; without arrivals the population must not be empty.
  if (fields.has("count")) p.count = c.integer("count", p.arrival_rate_per_hour > 0 ? 0 : 1, 100'000'000);
  if (fields.has("max_tasks")) p.max_tasks = fields.integer("max_tasks");
  if (c.has("groups")) {
    p.groups.clear();
    double total = 0;
    for (const Config& item : c.objects("groups")) {
      sim::Params q(item, group_section().params, base_dir);
      WorkerGroup g = read_worker_fields(q, defaults, types, base_dir);
      g.name = q.string("name");
      for (const auto& other : p.groups)
        if (other.name == g.name) throw ConfigError(item.path_of("name"), "a name no other group has", "\"" + g.name + "\"");
      g.share = q.number("share");
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
