#include "experiment/deviations.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "experiment/experiment.hpp"
#include "models/behavior/strategic.hpp"
#include "models/incentive/policy.hpp"
#include "models/registry.hpp"
#include "sim/config.hpp"

namespace crowdsim::experiment {

using io::Scenario;

namespace {

// Keeps, per run, each worker's realized utility and assignments, which workers belong to the
// deviating group, and the model's expected gain of the deviation (a KPI of deviation runs).
struct Collector : models::Recorder {
  explicit Collector(std::int32_t g) : group(g) {}
  struct Run {
    std::map<std::int64_t, std::pair<double, double>> per_worker;  // utility sum, assignments
    std::set<std::int64_t> members;
    double expected_gain = NAN;
    double expected_utility = NAN;  // of the strategies deviated from, per assignment
    double entries = 0, entry_utility = NAN, entry_expected = NAN;  // entry runs
    std::int64_t deviator = -1;  // the deviating worker, or -1 for the whole group
    double longest_delay = 0.0;  // of the group's strategies
  };
  std::int32_t group;
  std::vector<Run> runs;  // in run order: replication 0, 1, ...
  models::Keeps keeps() const override { return {false, true}; }
  void begin_run(const models::RunInfo&) override { runs.emplace_back(); }
  void assignment(const models::AssignmentRecord& r) override {
    auto& x = runs.back().per_worker[r.worker_id];
    x.first += r.utility, x.second += 1;
  }
  void worker(const models::WorkerRecord& r) override {
    if (r.group == group) runs.back().members.insert(r.worker_id);
  }
  void strategy(const models::StrategyRecord& r) override {
    if (r.group == group) runs.back().longest_delay = std::max(runs.back().longest_delay, r.delay);
  }
  void end_run(const models::RunInfo&, const models::Kpis& kpis) override {
    for (const auto& [name, v] : kpis) {
      if (name == "deviation_expected_gain") runs.back().expected_gain = v;
      if (name == "deviation_worker") runs.back().deviator = static_cast<std::int64_t>(v);
      if (name == "deviation_expected_utility") runs.back().expected_utility = v;
      if (name == "deviation_entries") runs.back().entries = v;
      if (name == "deviation_entry_utility") runs.back().entry_utility = v;
      if (name == "deviation_entry_expected") runs.back().entry_expected = v;
    }
  }
  // Realized utility per assignment in run `run` of its deviating worker, or of every member
  // of the group, and their number of assignments.
  std::pair<double, double> utility(std::size_t run) const {
    const Run& r = runs[run];
    double sum = 0, n = 0;
    for (const auto& [id, x] : r.per_worker)
      if (r.deviator >= 0 ? id == r.deviator : r.members.count(id) > 0) sum += x.first, n += x.second;
    return {n > 0 ? sum / n : NAN, n};
  }
};

std::vector<double> defaults_or(const std::vector<double>& given, std::vector<double> fallback) {
  return given.empty() ? fallback : given;
}

// The deviations in taking part, appended to the report's rows (and their gains by replication
// to `row_gains`): staying out, which gains the outside option 0 minus the utility realized
// following the strategy (no run needed), and taking the types stayed out of too, which gains
// the utility realized on them (a run). Not for logit groups: a logit choice is no best response.
void participation_rows(const Scenario& s, const Collector& base, const std::vector<double>& base_u,
                        const DeviationOptions& o, DeviationReport& report, std::vector<std::vector<double>>& row_gains,
                        const std::atomic<bool>* interrupt) {
  const models::ModelParams& m = s.points[0].model;
  const models::BehaviorParams& b = m.workers.groups[static_cast<std::size_t>(base.group)].behavior;
  if (b.strategic() && b.logit) {
    report.participation_untested = "taking part is not tested: the group chooses it by logit, a noisy choice rather than a best response";
    return;
  }
  const std::uint32_t n = s.replications;
  DeviationRow out;
  out.participation = Participation::kStayOut;
  std::vector<double> gains;
  for (std::uint32_t r = 0; r < n; ++r)
    if (std::isfinite(base_u[r])) {
      gains.push_back(-base_u[r]);
      out.expected_gain -= base.runs[r].expected_utility;
    }
  if (!gains.empty()) {
    out.expected_gain /= static_cast<double>(gains.size());
    report.rows.push_back(out);
    row_gains.push_back(std::move(gains));
  }
  if (!b.strategic()) return;  // a fixed group takes every type: nothing to enter

  Scenario d = s;
  d.points[0].model.deviation = models::Deviation{base.group, report.one_worker ? models::Deviation::kFirstWorker
                                                                                 : models::Deviation::kWholeGroup,
                                                  1.0, 0.0, true};
  Collector c(base.group);
  run_experiment(d, c, nullptr, o.threads, interrupt);
  DeviationRow in;
  in.participation = Participation::kEnter;
  gains.clear();
  double expected = 0;
  for (std::uint32_t r = 0; r < n; ++r)
    if (c.runs[r].entries > 0) {
      gains.push_back(c.runs[r].entry_utility);
      in.utility += c.runs[r].entry_utility;
      expected += c.runs[r].entry_expected;
    }
  if (gains.empty()) {
    report.participation_untested = std::string("taking part in more task types is not tested: ") +
                                    (report.one_worker ? "no worker of the group stays out of one" : "the group's workers take every one");
    return;
  }
  in.utility /= static_cast<double>(gains.size());
  in.expected_gain = expected / static_cast<double>(gains.size());
  report.rows.push_back(in);
  row_gains.push_back(std::move(gains));
}

}  // namespace

DeviationReport check_deviations(const Scenario& scenario, const DeviationOptions& o, const std::atomic<bool>* interrupt) {
  Scenario s = scenario;
  s.points.resize(1);  // the first point: a sweep is not a strategy profile
  s.swept.clear();
  s.point_offset = 0;
  const models::ModelParams& m = s.points[0].model;

  // The deviating group: named, or the first strategic one.
  std::int32_t group = -1;
  std::vector<std::string> names;
  for (std::size_t g = 0; g < m.workers.groups.size(); ++g) {
    const models::WorkerGroup& wg = m.workers.groups[g];
    names.push_back(wg.name);
    if (o.group.empty() ? group < 0 && wg.behavior.strategic() : wg.name == o.group) group = static_cast<std::int32_t>(g);
  }
  if (group < 0 && !o.group.empty())
    throw sim::ConfigError("--group", "the name of a worker group", sim::quoted_with_hint(o.group, names));
  if (group < 0)
    throw sim::ConfigError("workers.behavior", "a strategic group of workers to check", "only sampled or fixed workers");
  const models::WorkerGroup& g = m.workers.groups[static_cast<std::size_t>(group)];
  if (!g.behavior.plans())
    throw sim::ConfigError("--group", "a group with a strategic or fixed behavior", "\"" + g.name + "\", which is sampled");

  if (s.replications < 2)
    throw sim::ConfigError("replications", "at least 2 replications (the gains' intervals are over replications)",
                           std::to_string(s.replications));
  auto policy = models::incentive_policies().create(m.incentive.params, m.incentive.path);
  DeviationReport report;
  report.group = g.name;
  // A game: a worker's pay depends on the others' answers (contests, agreement review).
  for (const auto& t : m.tasks.types)
    report.game = report.game || (t.decompose.into < 0 && models::make_environment(t, m.work, m.review, *policy).game());
  report.replications = s.replications;
  double horizon_unit = 0;  // T of the first task type that takes answers
  for (const auto& t : m.tasks.types)
    if (t.decompose.into < 0) {
      horizon_unit = t.expected_duration;
      break;
    }
  bool time_pays = policy->shape().time;
  std::vector<double> factors = defaults_or(o.effort_factors, {0.8, 0.9, 1.0, 1.1, 1.25});
  std::vector<double> shifts = defaults_or(o.delay_shifts, time_pays ? std::vector<double>{-0.25, -0.1, 0.0, 0.1, 0.25}
                                                                     : std::vector<double>{0.0, 0.1});

  // In a game a deviation must be unilateral: one worker deviates while its rivals keep their
  // strategies, the group's first worker (the same one in the runs of a replication).
  report.one_worker = report.game && !o.whole_group;
  const std::int64_t who = report.one_worker ? models::Deviation::kFirstWorker : models::Deviation::kWholeGroup;
  // The baseline runs with a null deviation: the same strategies, and the platform names the
  // worker who would deviate.
  Scenario null = s;
  null.points[0].model.deviation = models::Deviation{group, who, 1.0, 0.0};
  Collector base(group);
  run_experiment(null, base, nullptr, o.threads, interrupt);

  std::vector<double> base_u(s.replications);
  double assignments = 0;
  for (std::uint32_t r = 0; r < s.replications; ++r) {
    auto [u, n] = base.utility(r);
    base_u[r] = u;
    assignments += n / s.replications;
    report.baseline_utility += u / s.replications;
  }
  report.assignments = assignments;

  // Shorter delays than none are no deviation: without delays in the strategies, only longer ones.
  double longest = 0;
  for (const auto& run : base.runs) longest = std::max(longest, run.longest_delay);
  if (longest == 0 && o.delay_shifts.empty()) shifts.erase(std::remove_if(shifts.begin(), shifts.end(), [](double x) { return x < 0; }), shifts.end());
  for (double f : factors)
    for (double shift : shifts)
      if (!(f == 1.0 && shift == 0.0)) {
        DeviationRow row;
        row.effort_factor = f;
        row.delay_shift = shift * horizon_unit;
        report.rows.push_back(row);
      }
  std::vector<std::vector<double>> row_gains;
  for (DeviationRow& row : report.rows) {
    Scenario d = s;
    d.points[0].model.deviation = models::Deviation{group, who, row.effort_factor, row.delay_shift};
    Collector c(group);
    run_experiment(d, c, nullptr, o.threads, interrupt);
    std::vector<double> gains;
    double expected = 0;
    for (std::uint32_t r = 0; r < s.replications; ++r) {
      double u = c.utility(r).first;
      row.utility += u / s.replications;
      if (std::isfinite(u) && std::isfinite(base_u[r])) gains.push_back(u - base_u[r]);
      expected += c.runs[r].expected_gain / s.replications;
    }
    row.expected_gain = expected;
    row.null = gains.size() == s.replications && std::all_of(gains.begin(), gains.end(), [](double g) { return g == 0.0; });
    row.clamped = row.null && row.delay_shift == 0.0;
    row_gains.push_back(std::move(gains));
  }
  participation_rows(s, base, base_u, o, report, row_gains, interrupt);
  // Bonferroni over the deviations that deviate: one clamped back to the strategy is no test.
  std::size_t deviating = 0;
  for (const DeviationRow& row : report.rows) deviating += !row.null;
  report.confidence = 1.0 - 0.05 / static_cast<double>(std::max<std::size_t>(deviating, 1));
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    DeviationRow& row = report.rows[i];
    row.gain = kpi_stat(row_gains[i], report.confidence);
    if (row.null) continue;
    row.significant = row.gain.low > 0;
    report.significant += row.significant;
    report.tested += row.gain.n >= 2;
  }
  return report;
}

void print_deviations(const DeviationReport& r, std::ostream& out) {
  char line[256];
  out << "deviations from the strategies of group \"" << r.group << "\" ("
      << (r.one_worker ? "its first worker who takes tasks deviates, its rivals do not" : "the whole group deviates")
      << "), " << r.replications << " replications, common random numbers\n";
  std::snprintf(line, sizeof line, "following its strategy: realized utility %.6g per assignment (%.1f assignments per run)\n\n",
                r.baseline_utility, r.assignments);
  out << line;
  std::snprintf(line, sizeof line, "%8s  %10s  %14s  %40s  %14s\n", "effort x", "delay", "utility/assign",
                ("gain per assignment (" + std::to_string(r.confidence * 100).substr(0, 5) + "% CI)").c_str(), "expected gain");
  out << line;
  // --whole-group in a game: every contestant moves at once, so what each faces changes too; the
  // model's expected gain is a lone worker's, and a gain is no evidence against an equilibrium.
  const bool collective = r.game && !r.one_worker;
  for (const DeviationRow& d : r.rows) {
    char ci[96];
    if (d.null) std::snprintf(ci, sizeof ci, "%s", d.clamped ? "= the strategy (clamped)" : "no effect (gain 0 in every run)");
    else if (d.gain.n < 2) std::snprintf(ci, sizeof ci, "untested (tasks in %zu replications)", d.gain.n);
    else std::snprintf(ci, sizeof ci, "%+.4g (%+.4g .. %+.4g)%s", d.gain.mean, d.gain.low, d.gain.high, d.significant ? " *" : "");
    char expected[32];
    if (collective) std::snprintf(expected, sizeof expected, "%14s", "-");
    else std::snprintf(expected, sizeof expected, "%+14.4g", d.expected_gain);
    if (d.participation == Participation::kKeep)
      std::snprintf(line, sizeof line, "%8.3g  %+8.4g s  %14.6g  %40s  %s\n", d.effort_factor, d.delay_shift, d.utility, ci,
                    expected);
    else
      std::snprintf(line, sizeof line, "%20s  %14.6g  %40s  %s\n",
                    d.participation == Participation::kStayOut ? "stays out" : "takes part too", d.utility, ci, expected);
    out << line;
  }
  std::size_t null = 0;
  for (const DeviationRow& d : r.rows) null += d.null;
  bool stays = false, enters = false;
  for (const DeviationRow& d : r.rows)
    stays = stays || d.participation == Participation::kStayOut, enters = enters || d.participation == Participation::kEnter;
  out << "\n(effort x: the deviation's effort over the strategy's; delay: added to the strategy's, never below 0;\n";
  if (stays)
    out << " stays out: no task, utility 0 (the outside option), against the utility realized following the strategy;\n";
  if (enters)
    out << " takes part too: " << (r.one_worker ? "the group's first worker who stays out of a task type takes it too"
                                                : "the group's workers also take the task types they stay out of")
        << ",\n   each at its strategy for the type; utility and gain per assignment of those types, against the outside option 0;\n";
  out << " intervals are Bonferroni-corrected over the "
      << r.rows.size() - null << " deviations"
      << (null ? " that change something (" + std::to_string(null) +
                     " changed nothing: clamped back to the strategy by the group's effort range, or without effect)"
               : "")
      << ", Student t over replications)\n";
  if (!r.participation_untested.empty()) out << r.participation_untested << ".\n";
  if (collective && r.tested > 0) {
    out << "the whole group deviated at once in a game (--whole-group): each worker's rivals deviated too, so a\n"
           "gain here is the group's joint interest (e.g. contestants all easing off together, their ranks\n"
           "unchanged), no evidence against an equilibrium, which only rules out a lone worker's gain; the\n"
           "expected gains of the model are a lone worker's and are not shown. No verdict: run without\n"
           "--whole-group to test the strategies.\n";
    return;
  }
  if (r.tested == 0)
    out << "nothing was tested: the deviating worker" << (r.one_worker ? "" : "s") << " of group \"" << r.group
        << "\" took no task\nin 2 replications or more, so no gain has an interval. That is no evidence for the strategies:\n"
           "make the group take part, e.g. with more pay.\n";
  else if (r.significant == 0) {
    out << "no deviation gains significantly" << (r.tested < static_cast<int>(r.rows.size() - null) ?
                                                     " (of the " + std::to_string(r.tested) + " that could be tested)" : "")
        << ": no evidence against the strategies being best responses.\n";
    // What the check could have seen: a gain smaller than an interval's half-width passes.
    std::vector<double> half;
    for (const DeviationRow& d : r.rows)
      if (!d.null && d.participation == Participation::kKeep && d.gain.n >= 2) half.push_back((d.gain.high - d.gain.low) / 2);
    if (!half.empty()) {
      std::sort(half.begin(), half.end());
      double h = half[half.size() / 2];
      char share[96] = " (the median half-width)";
      if (std::isfinite(r.baseline_utility) && r.baseline_utility != 0)
        std::snprintf(share, sizeof share, " (%.2g%% of the utility\nfollowing the strategy; the median half-width)",
                      100 * h / std::abs(r.baseline_utility));
      std::snprintf(line, sizeof line,
                    "Its resolution: a gain in effort or delay under about %.3g per assignment%s would pass unseen;"
                    " more --replications narrow it.\n",
                    h, share);
      out << line;
    }
  }
  else
    out << r.significant << " deviation(s) gain significantly (*): the strategies are not best responses here.\n";
}

}  // namespace crowdsim::experiment
