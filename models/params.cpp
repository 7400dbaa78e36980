#include "models/params.hpp"

#include <sstream>

namespace crowdsim::models {

using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

// A distribution whose every value must lie within `b` (checked on its support).
sim::Distribution bounded(const Config& c, const std::string& key, const sim::Distribution& fallback,
                          const std::string& base_dir, Bounds b, const char* what) {
  sim::Distribution d = sim::read_distribution(c, key, fallback, base_dir);
  if (!d.within(b)) {
    std::ostringstream support;
    support << d.describe() << ", which can draw values in " << (d.lower_open() ? "(" : "[") << d.lower() << ", "
            << d.upper() << (d.upper_open() ? ")" : "]");
    throw ConfigError(c.path_of(key), std::string("a distribution of ") + b.describe(what), support.str());
  }
  return d;
}

}  // namespace

TaskParams read_task_params(const Config& c, const std::string& base_dir) {
  TaskParams p;
  p.count = c.integer("count", p.count, 1, 1'000'000'000);
  if (auto a = c.optional_object("arrival")) {
    std::string process = a->string("process", {"batch", "poisson"});
    if (process == "poisson") {
      p.arrival.process = ArrivalParams::Process::kPoisson;
      p.arrival.rate_per_hour = a->number("rate_per_hour", Bounds::positive());
    }
    a->finish();
  }
  p.expected_duration = c.duration("expected_duration", p.expected_duration, Bounds::positive());
  p.bounty = c.number("bounty", p.bounty, Bounds::non_negative());
  p.redundancy = static_cast<std::int32_t>(c.integer("redundancy", p.redundancy, 1, 10'000));
  p.classes = static_cast<std::int32_t>(c.integer("classes", p.classes, 2, 1'000));
  p.difficulty = bounded(c, "difficulty", p.difficulty, base_dir, Bounds::positive(), "values");
  p.deadline = c.has("deadline") ? c.duration("deadline", Bounds::positive()) : p.deadline;
  c.finish();
  return p;
}

WorkerParams read_worker_params(const Config& c, const std::string& base_dir) {
  WorkerParams p;
  p.count = c.integer("count", p.count, 1, 100'000'000);
  p.accuracy = bounded(c, "accuracy", p.accuracy, base_dir, Bounds::probability(), "values");
  p.speed = bounded(c, "speed", p.speed, base_dir, Bounds::positive(), "values");
  p.reservation_wage =
      bounded(c, "reservation_wage", p.reservation_wage, base_dir, Bounds::non_negative(), "values");
  c.finish();
  return p;
}

WorkParams read_work_params(const Config& c, const std::string& base_dir) {
  WorkParams p;
  p.time_noise = bounded(c, "time_noise", p.time_noise, base_dir, Bounds::non_negative(), "values");
  c.finish();
  return p;
}

ReviewParams read_review_params(const Config& c) {
  ReviewParams p;
  p.model = c.string_or("model", p.model, {"exact"});
  c.finish();
  return p;
}

MonitorParams read_monitor_params(const Config& c) {
  MonitorParams p;
  p.snapshot_interval = c.duration("snapshot_interval", p.snapshot_interval, Bounds::positive());
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
