#include "models/params.hpp"

#include <algorithm>

#include "models/aggregation/aggregator.hpp"
#include "models/registry.hpp"

#include <limits>

namespace crowdsim::models {

using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

const sim::Section& work_section() {
  static const sim::Section s{
      "work", "how one assignment's time is drawn: t = T x difficulty x speed x noise",
      {sim::distribution("time_noise", WorkParams{}.time_noise, Bounds::non_negative(), "the noise factor (mean 1 advised)")}};
  return s;
}

const sim::Section& prior_section() {
  static const sim::Section s = [] {
    const ReviewParams d;
    return sim::Section{"review.prior", "the Beta prior of every worker's reputation (beside review's model)",
                        {sim::number("alpha", d.prior_alpha, Bounds::positive(), "alpha of the Beta prior"),
                         sim::number("beta", d.prior_beta, Bounds::positive(), "beta of the Beta prior")}};
  }();
  return s;
}

const sim::Section& monitor_section() {
  static const sim::Section s{
      "monitor", "snapshots and alerts",
      {sim::duration("snapshot_interval", MonitorParams{}.snapshot_interval, Bounds::positive(),
                     "between two snapshots of the timeseries"),
       sim::custom("alerts", "an object (monitor.alerts)", "which alerts are raised")}};
  return s;
}

const sim::Section& alerts_section() {
  static const sim::Section s = [] {
    const MonitorParams d;
    return sim::Section{
        "monitor.alerts", "which alerts are raised",
        {sim::boolean("overdue", d.alert_overdue, "alert task_overdue when an open task passes its deadline"),
         sim::optional_integer("open_tasks_above", 1, std::numeric_limits<std::int64_t>::max(),
                               "alert queue_above_threshold when more tasks than this are open (re-armed at 80% of "
                               "it; absent: never)"),
         sim::optional_number("abandonment_rate_above", Bounds{0.0, 1.0, true, false},
                              "alert abandonment_spike at a snapshot when the share of assignments abandoned since "
                              "the last one exceeds this (absent: never)"),
         sim::integer("abandonment_min_ended", d.abandonment_min_ended, 1, 1'000'000'000,
                      "assignments that must end between two snapshots to judge their abandonment rate")}};
  }();
  return s;
}

const sim::Section& aggregation_section() {
  static const sim::Section s{
      "aggregation", "how answers become labels: online as tasks close, adaptive redundancy, and batch methods over a run's answers",
      {sim::optional_choice("online", {"mv", "weighted"},
                            "mv (majority vote) or weighted (one-coin posterior with reputations as accuracies); "
                            "absent: weighted with stop_at_confidence, else mv"),
       sim::optional_number("stop_at_confidence", Bounds{0.0, 1.0, true, false},
                            "adaptive redundancy: ask min_answers, then one more at a time (up to redundancy) until the "
                            "posterior's top class reaches this (absent: every task takes its redundancy)"),
       sim::integer("min_answers", AggregationParams{}.min_answers, 1, 1'000'000, "adaptive redundancy: answers asked first"),
       sim::custom("batch", "an array of method names",
                   "methods run over all of a run's answers at its end, type by type (KPIs accuracy_<method>, and for an "
                   "EM method em_capped_<method> and em_moved_<method>; crowdsim list shows them)"),
       sim::choice("ties", "random", {"random", "first"},
                   "batch methods: a tie among an item's top labels is broken at random (from the run's seed and the "
                   "task) or goes to the smallest label (first: crowd-kit's rule, biased toward it)")}};
  return s;
}

}  // namespace

const std::vector<const sim::Section*>& platform_sections() {
  static const std::vector<const sim::Section*> all{
      &task_section(),   &task_type_section(), &deadline_section(), &decompose_section(), &worker_section(),
      &worker_arrival_section(), &group_section(), &work_section(), &prior_section(), &monitor_section(),
      &alerts_section(), &aggregation_section()};
  return all;
}

WorkParams read_work_params(const Config& c, const std::string& base_dir) {
  WorkParams p;
  sim::Params w(c, work_section().params, base_dir);
  if (w.has("time_noise")) p.time_noise = w.distribution("time_noise");
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

CROWDSIM_REGISTER {
  using M = ReviewParams::Model;
  auto& r = review_models();
  r.share_keys({"prior"});
  const ReviewParams d;
  r.add({"exact", "r = 1 if the answer is right, else 0 (continuous tasks: r = q); the default", {},
         [](const sim::Params& p) { return review_of(M::kExact, p); }});
  r.add({"oracle_accuracy", "r = q, the probability of being right, not the answer given (an oracle no platform has)", {},
         [](const sim::Params& p) { return review_of(M::kOracleAccuracy, p); }});
  r.add({"noisy", "r = clip(exact + N(0, sd), 0, 1)",
         {sim::number("sd", d.sd, Bounds::positive(), "standard deviation of the noise")},
         [](const sim::Params& p) { return review_of(M::kNoisy, p); }});
  r.add({"gold", "r = 1/0 on gold tasks (right/wrong), the worker's reputation elsewhere",
         {sim::number("gold_fraction", d.gold_fraction, Bounds{0.0, 1.0, true, false}, "share of tasks with a known answer")},
         [](const sim::Params& p) { return review_of(M::kGold, p); }});
  r.add({"agreement", "r = 1 if the answer agrees with the plurality so far, else 0; the first gets the worker's reputation",
         {},
         [](const sim::Params& p) { return review_of(M::kAgreement, p); }});
}

ReviewParams read_review_params(const Config& c) {
  ReviewParams p = *review_models().create(c);
  if (auto prior = c.optional_object("prior")) {
    sim::Params q(*prior, prior_section().params);
    p.prior_alpha = q.number("alpha");
    p.prior_beta = q.number("beta");
    prior->finish();
  }
  c.finish();
  return p;
}

AggregationParams read_aggregation_params(const Config& c, const std::vector<TaskType>& types) {
  AggregationParams p;
  sim::Params a(c, aggregation_section().params);
  if (a.has("stop_at_confidence")) {
    p.stop_at_confidence = a.number("stop_at_confidence");
    p.weighted = true;
  }
  p.min_answers = static_cast<std::int32_t>(a.integer("min_answers"));
  if (a.has("online")) p.weighted = a.string("online") == "weighted";
  p.ties_first = a.string("ties") == "first";
  if (a.has("batch")) {
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
  sim::Params m(c, monitor_section().params);
  p.snapshot_interval = m.duration("snapshot_interval");
  if (auto a = c.optional_object("alerts")) {
    sim::Params q(*a, alerts_section().params);
    p.alert_overdue = q.boolean("overdue");
    if (q.has("open_tasks_above")) p.open_tasks_above = q.integer("open_tasks_above");
    if (q.has("abandonment_rate_above")) p.abandonment_rate_above = q.number("abandonment_rate_above");
    p.abandonment_min_ended = q.integer("abandonment_min_ended");
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
