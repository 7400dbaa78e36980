#include "models/params.hpp"

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

ReviewParams read_review_params(const Config& c) {
  ReviewParams p;
  using M = ReviewParams::Model;
  std::string m = c.string_or("model", "exact", {"exact", "noisy", "gold", "agreement"});
  p.model = m == "exact" ? M::kExact : m == "noisy" ? M::kNoisy : m == "gold" ? M::kGold : M::kAgreement;
  if (p.model == M::kNoisy) p.sd = c.number("sd", p.sd, Bounds::positive());
  if (p.model == M::kGold) p.gold_fraction = c.number("gold_fraction", p.gold_fraction, Bounds{0.0, 1.0, true, false});
  if (auto prior = c.optional_object("prior")) {
    p.prior_alpha = prior->number("alpha", p.prior_alpha, Bounds::positive());
    p.prior_beta = prior->number("beta", p.prior_beta, Bounds::positive());
    prior->finish();
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
