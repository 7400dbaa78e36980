#include "io/optimize_block.hpp"

#include <cmath>

#include "sim/config.hpp"
#include "sim/params.hpp"

namespace crowdsim::io {

using nlohmann::json;
using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

const sim::Section& optimize_section() {
  static const sim::Section s{
      "optimize", "crowdsim optimize: search these parameters for the best objective under the constraints (grid refinement)",
      {sim::custom("params", "an object: path -> range (optimize.params.*)", "the parameters searched", true),
       sim::custom("objective", "an object (optimize.objective)", "what is maximised or minimised", true),
       sim::custom("constraints", "a non-empty array of objects (optimize.constraints)",
                   "bounds on KPIs that a point must meet"),
       sim::integer("grid", 5, 2, 101, "points per parameter in each round"),
       sim::integer("rounds", 3, 1, 20, "rounds of refinement around the best point")}};
  return s;
}

const sim::Section& range_section() {
  static const sim::Section s{"optimize.params.*", "one parameter searched (the key is a dotted path of the scenario)",
                              {sim::required_number("min", Bounds::any(), "the lower end"),
                               sim::required_number("max", Bounds::any(), "the upper end (> min)"),
                               sim::boolean("integer", false, "whole numbers only")}};
  return s;
}

const sim::Section& objective_section() {
  static const sim::Section s{
      "optimize.objective", "the KPI to maximise or to minimise (exactly one), less weighted penalties",
      {sim::optional_text("maximize", "a KPI to maximise"), sim::optional_text("minimize", "a KPI to minimise"),
       sim::custom("minus", "an object: KPI -> weight", "penalties: weight x KPI, subtracted when maximizing, added when minimizing")}};
  return s;
}

const sim::Section& constraint_section() {
  static const sim::Section s{"optimize.constraints", "one constraint: a KPI's mean within [min, max] (one of them at least)",
                              {sim::required_text("kpi", "the KPI constrained"),
                               sim::optional_number("min", Bounds::any(), "its least admitted value (absent: none)"),
                               sim::optional_number("max", Bounds::any(), "its largest admitted value (absent: none)")}};
  return s;
}

}  // namespace

const std::vector<const sim::Section*>& optimize_sections() {
  static const std::vector<const sim::Section*> all{&optimize_section(), &range_section(), &objective_section(),
                                                    &constraint_section()};
  return all;
}

OptimizeBlock read_optimize_block(const json& doc) {
  if (!doc.is_object() || !doc.contains("optimize")) throw ConfigError("optimize", "an optimize block", "none");
  if (doc.contains("sweep")) throw ConfigError("sweep", "no sweep in a scenario that optimizes", "a sweep block");
  OptimizeBlock b;
  Config c(doc.at("optimize"), "optimize");
  sim::Params top(c, optimize_section().params);
  Config params = c.object("params");
  for (const auto& item : params.value().items()) {
    Config r = params.object(item.key());
    sim::Params q(r, range_section().params);
    OptimizeRange x{item.key(), q.number("min"), q.number("max"), q.boolean("integer")};
    if (!(x.max > x.min)) throw ConfigError(r.path_of("max"), "a number > min", std::to_string(x.max));
    r.finish();
    b.ranges.push_back(x);
  }
  if (b.ranges.empty()) throw ConfigError("optimize.params", "at least one parameter range", "none");
  OptimizeObjective& obj = b.objective;
  Config o = c.object("objective");
  sim::Params op(o, objective_section().params);
  bool max = op.has("maximize"), min = op.has("minimize");
  if (max == min) throw ConfigError("optimize.objective", "exactly one of \"maximize\" or \"minimize\"", max ? "both" : "neither");
  obj.kpi = op.string(max ? "maximize" : "minimize");
  obj.sign = max ? 1 : -1;
  if (auto pen = o.optional_object("minus"))
    for (const auto& item : pen->value().items()) obj.penalties.emplace_back(item.key(), pen->number(item.key()));
  o.finish();
  if (c.has("constraints"))
    for (const Config& k : c.objects("constraints")) {
      OptimizeConstraint x;
      sim::Params q(k, constraint_section().params);
      x.kpi = q.string("kpi");
      x.min = q.has("min") ? q.number("min") : -INFINITY;
      x.max = q.has("max") ? q.number("max") : INFINITY;
      if (std::isinf(x.min) && std::isinf(x.max)) throw ConfigError(k.path(), "a min or a max", "neither");
      k.finish();
      b.constraints.push_back(x);
    }
  b.grid = static_cast<int>(top.integer("grid"));
  b.rounds = static_cast<int>(top.integer("rounds"));
  c.finish();
  return b;
}

}  // namespace crowdsim::io
