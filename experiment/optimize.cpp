#include "experiment/optimize.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

#include "experiment/experiment.hpp"
#include "io/optimize_block.hpp"
#include "sim/config.hpp"

namespace crowdsim::experiment {

using io::OptimizeBlock;
using io::OptimizeObjective;
using io::Scenario;
using io::Table;
using io::TableFormat;
using io::distinct_digits;
using io::parse_scenario;
using io::read_optimize_block;
using io::render;
using io::sig;
using nlohmann::json;
using sim::ConfigError;

namespace {

using Range = io::OptimizeRange;
using Constraint = io::OptimizeConstraint;

double value_of(const models::Kpis& k, const std::string& name) {
  for (const auto& [n, v] : k)
    if (n == name) return v;
  throw ConfigError("optimize", "KPI names the runs report", "\"" + name + "\"");
}

// The grid of one round: `n` values per range over [lo, hi] (integers: the distinct rounded ones).
std::vector<json> grid(const std::vector<Range>& ranges, const std::vector<std::pair<double, double>>& box, int n) {
  std::vector<json> points{json::object()};
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    std::vector<double> values;
    for (int k = 0; k < n; ++k) {
      double v = n == 1 ? (box[i].first + box[i].second) / 2 : box[i].first + (box[i].second - box[i].first) * k / (n - 1);
      if (ranges[i].integer) v = std::round(v);
      if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
    }
    std::vector<json> next;
    for (const json& p : points)
      for (double v : values) {
        json q = p;
        if (ranges[i].integer) q[ranges[i].path] = static_cast<std::int64_t>(v);
        else q[ranges[i].path] = v;
        next.push_back(q);
      }
    points = std::move(next);
  }
  return points;
}

// The optimum on a bound of a range, with how much the objective gained over the last step
// toward it; points where every run failed a constraint.
void add_warnings(OptimizeResult& r, double sign) {
  if (r.best >= 0) {
    const Evaluated& b = r.points[static_cast<std::size_t>(r.best)];
    for (std::size_t i = 0; i < r.param_names.size(); ++i) {
      const std::string& name = r.param_names[i];
      double v = b.params.at(name).get<double>(), lo = r.range[i].first, hi = r.range[i].second;
      double eps = 1e-9 * (hi - lo);
      bool at_min = v <= lo + eps, at_max = v >= hi - eps;
      if (!at_min && !at_max) continue;
      // The nearest evaluated point inside the range with every other parameter equal.
      const Evaluated* near = nullptr;
      for (const Evaluated& p : r.points) {
        json others = p.params, mine = b.params;
        others.erase(name), mine.erase(name);
        double x = p.params.at(name).get<double>();
        if (others != mine || x == v || p.objective.n == 0) continue;
        if (!near || std::fabs(x - v) < std::fabs(near->params.at(name).get<double>() - v)) near = &p;
      }
      std::string text = "the optimum lies on the " + std::string(at_min ? "lower" : "upper") + " bound of " + name +
                         " (" + sig(v, 6, true) + "): a better point may lie beyond the search range";
      if (near) {
        double gain = sign * (b.objective.mean - near->objective.mean);
        text += "; from " + name + "=" + sig(near->params.at(name).get<double>(), 6, true) + " to the bound the objective " +
                (gain > 0 ? "still improved by " : "changed by ") + sig(gain, 3) + (gain > 0 ? "" : " (no longer improving)");
      }
      r.warnings.push_back(text);
    }
  }
  for (std::size_t c = 0; c < r.constraint_texts.size(); ++c) {
    std::vector<std::uint32_t> failed;
    for (const Evaluated& p : r.points)
      if (p.runs > 0 && c < p.met.size() && p.met[c] == 0) failed.push_back(p.point);
    if (failed.empty()) continue;
    std::string list;
    for (std::size_t i = 0; i < failed.size() && i < 10; ++i) list += (i ? ", " : "") + std::to_string(failed[i]);
    if (failed.size() > 10) list += ", ...";
    r.warnings.push_back("at " + std::to_string(failed.size()) + " of " + std::to_string(r.points.size()) +
                         " points every run failed " + r.constraint_texts[c] + " (points " + list + ")");
  }
}

}  // namespace

OptimizeResult optimize(const json& doc, const std::string& base_dir, models::Recorder& recorder, unsigned threads,
                        const std::atomic<bool>* interrupt) {
  OptimizeBlock block = read_optimize_block(doc);
  const std::vector<Range>& ranges = block.ranges;
  const OptimizeObjective& obj = block.objective;
  const std::vector<Constraint>& constraints = block.constraints;
  int n = block.grid;
  int rounds = block.rounds;

  OptimizeResult result;
  char buf[160];
  result.objective_text = std::string(obj.sign > 0 ? "maximize " : "minimize ") + obj.kpi;
  for (const auto& [k, w] : obj.penalties) {  // a penalty counts against the point either way
    std::snprintf(buf, sizeof buf, obj.sign > 0 ? " - %g * %s" : " + %g * %s", w, k.c_str());
    result.objective_text += buf;
  }
  for (const auto& k : constraints) {
    std::string unit = kpi_meta(k.kpi).unit;
    unit = unit.empty() ? "" : " " + unit;
    std::string text = k.kpi;
    if (!std::isinf(k.min)) text += " >= " + sig(k.min, 6, true) + unit;
    if (!std::isinf(k.max)) text += std::string(std::isinf(k.min) ? "" : ",") + " <= " + sig(k.max, 6, true) + unit;
    result.constraint_texts.push_back(text);
    result.constraint_kpis.push_back(k.kpi);
  }
  for (const Range& r : ranges) {
    result.param_names.push_back(r.path);
    result.range.emplace_back(r.min, r.max);
  }
  KpiKind objective_kind = obj.penalties.empty() ? kpi_meta(obj.kpi).kind : KpiKind::kUnbounded;

  json base = doc;
  base.erase("optimize");
  std::vector<std::pair<double, double>> box;
  for (const Range& r : ranges) box.emplace_back(r.min, r.max);
  // One point's replications judged: objective, constraints, feasibility, every KPI.
  auto judge = [&](std::uint32_t point, const json& params, const std::vector<models::Kpis>& runs) {
    Evaluated e;
    e.point = point;
    e.params = params;
    std::vector<double> scores;
    for (const auto& k : runs) {
      double v = value_of(k, obj.kpi);
      for (const auto& [name, w] : obj.penalties) v -= obj.sign * w * value_of(k, name);
      scores.push_back(v);
    }
    e.objective = kpi_stat(scores, 0.95, objective_kind);
    e.runs = runs.size();
    // A point is judged on every replication: a run without the KPI (no task closed, say)
    // makes it infeasible rather than letting the runs that have it speak alone.
    e.feasible = e.objective.n == runs.size();
    for (const Constraint& k : constraints) {
      std::vector<double> v;
      std::size_t met = 0;
      for (const auto& run : runs) {
        v.push_back(value_of(run, k.kpi));
        met += v.back() >= k.min && v.back() <= k.max;  // NaN meets nothing
      }
      e.constraints.push_back(kpi_stat(v, 0.95, kpi_meta(k.kpi).kind));
      e.met.push_back(met);
      double m = e.constraints.back().mean;
      e.feasible &= e.constraints.back().n == runs.size() && m >= k.min && m <= k.max;
    }
    if (!runs.empty()) {
      if (result.kpi_names.empty())
        for (const auto& [name, v] : runs[0]) result.kpi_names.push_back(name);
      for (const std::string& name : result.kpi_names) {
        std::vector<double> v;
        for (const auto& run : runs) v.push_back(value_of(run, name));
        e.kpis.push_back(kpi_stat(v, 0.95, kpi_meta(name).kind));
      }
    }
    return e;
  };
  // Runs `points` of the base scenario with `seed` (the base's own when absent), from output
  // point `offset` on; each point's KPIs, in replication order.
  auto run_points = [&](const std::vector<json>& points, std::uint32_t offset, const json* seed) {
    json d = base;
    if (seed) d["seed"] = *seed;
    d["sweep"] = {{"list", points}};
    Scenario s = parse_scenario(d, base_dir);
    s.point_offset = offset;
    // Runs on another seed say so in their params (not a /summary column): summarize then
    // groups them apart from the same point's runs on the scenario's seed.
    if (seed)
      for (auto& p : s.points) p.overrides["seed"] = *seed;
    std::vector<std::vector<models::Kpis>> kpis(points.size());
    run_experiment(s, recorder, [&](const models::RunInfo& info, const models::Kpis& k) {
      kpis[info.point - s.point_offset].push_back(k);
    }, threads, interrupt);
    return std::make_pair(std::move(kpis), s.points.front().model.seed);
  };
  std::map<std::string, std::size_t> seen;  // params text -> index into result.points
  std::uint64_t base_seed = 0;
  // Runs the points not evaluated yet (one sweep), and appends them to result.points.
  auto evaluate = [&](const std::vector<json>& points) {
    std::vector<json> todo;
    for (const json& p : points)
      if (!seen.count(p.dump())) todo.push_back(p);
    if (!todo.empty()) {
      const auto offset = static_cast<std::uint32_t>(result.points.size());
      auto [kpis, seed] = run_points(todo, offset, nullptr);
      base_seed = seed;
      for (std::size_t i = 0; i < todo.size(); ++i) {
        seen[todo[i].dump()] = result.points.size();
        result.points.push_back(judge(offset + static_cast<std::uint32_t>(i), todo[i], kpis[i]));
      }
    }
    // The best feasible point so far (ties: the earlier one).
    result.best = -1;
    for (std::size_t i = 0; i < result.points.size(); ++i)
      if (result.points[i].feasible &&
          (result.best < 0 ||
           obj.sign * result.points[i].objective.mean > obj.sign * result.points[static_cast<std::size_t>(result.best)].objective.mean))
        result.best = static_cast<std::ptrdiff_t>(i);
  };
  for (int round = 0; round < rounds; ++round) {
    evaluate(grid(ranges, box, n));
    if (result.best < 0) break;  // nothing feasible to zoom on
    const json& at = result.points[static_cast<std::size_t>(result.best)].params;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      double half = (box[i].second - box[i].first) / (n - 1);
      double centre = at.at(ranges[i].path).get<double>();
      box[i] = {std::max(ranges[i].min, centre - half), std::min(ranges[i].max, centre + half)};
    }
  }
  // Rounding the zoomed grids to whole numbers can step over the best value (49 ± 1.5 gives 48,
  // 49, 51): the optimum's whole-number neighbours are evaluated too, and the search moves to a
  // better one until none is (at most 20 moves).
  for (int move = 0; move < 20 && result.best >= 0; ++move) {
    const json at = result.points[static_cast<std::size_t>(result.best)].params;
    std::vector<json> neighbours;
    for (const Range& r : ranges)
      if (r.integer)
        for (int step : {-1, 1}) {
          double v = at.at(r.path).get<double>() + step;
          if (v < r.min || v > r.max) continue;
          json q = at;
          q[r.path] = static_cast<std::int64_t>(v);
          neighbours.push_back(q);
        }
    const std::ptrdiff_t before = result.best;
    evaluate(neighbours);
    if (result.best == before) break;
  }
  // The winner's curse: the optimum's estimates come from the runs that chose it among all the
  // points, so they are optimistic. It is run again on fresh draws, whose estimates are unbiased.
  if (result.best >= 0 && result.points.size() > 1) {
    const Evaluated& b = result.points[static_cast<std::size_t>(result.best)];
    // seed + 1, or seed − 1 at the top of the seed's range (2^63 − 1), where + 1 is no seed.
    result.fresh_seed = base_seed >= static_cast<std::uint64_t>(INT64_MAX) ? base_seed - 1 : base_seed + 1;
    const auto offset = static_cast<std::uint32_t>(result.points.size());
    json seed = result.fresh_seed;
    auto runs = run_points({b.params}, offset, &seed).first;
    result.fresh = judge(offset, b.params, runs[0]);
    if (!result.fresh.feasible)
      result.warnings.push_back("on fresh draws the optimum does not meet the constraints (by their means, every run "
                                "with its KPIs): it may have been chosen for its luck; use more replications");
  }
  add_warnings(result, obj.sign);
  return result;
}

namespace {
std::string unit_suffix(const std::string& kpi) {
  std::string u = kpi_meta(kpi).unit;
  return u.empty() ? "" : " " + u;
}
}  // namespace

std::string point_text(const OptimizeResult& r, const json& params) {
  std::string out;
  for (const std::string& name : r.param_names) {
    if (!params.contains(name)) continue;
    std::vector<double> all{params.at(name).get<double>()};
    for (const auto& p : r.points) all.push_back(p.params.at(name).get<double>());
    out += (out.empty() ? "" : ", ") + name + "=" + distinct_digits(all)[0];
  }
  return out;
}

std::string optimum_json(const OptimizeResult& r) {
  json out = {{"point", nullptr}, {"objective_text", r.objective_text}, {"constraints", r.constraint_texts}};
  if (r.best >= 0) {
    const Evaluated& b = r.points[static_cast<std::size_t>(r.best)];
    out["point"] = b.point;
    out["params"] = b.params;
    out["objective"] = b.objective.mean;
    if (r.fresh.runs > 0)
      out["fresh"] = {{"point", r.fresh.point},
                      {"seed", r.fresh_seed},
                      {"objective", r.fresh.objective.mean},
                      {"low", r.fresh.objective.low},
                      {"high", r.fresh.objective.high}};
  }
  return out.dump();
}

void print_optimum(const OptimizeResult& r, std::ostream& out) {
  out << "objective: " << r.objective_text << "\n";
  for (const auto& c : r.constraint_texts) out << "subject to: " << c << "\n";
  out << r.points.size() << " points evaluated\n";
  if (r.best < 0) {
    out << "no point meets the constraints\n";
    return;
  }
  const Evaluated& b = r.points[static_cast<std::size_t>(r.best)];
  out << "optimum (point " << b.point << "): " << point_text(r, b.params) << "\n";
  auto interval = [](const KpiStat& s) {
    std::string t = sig(s.mean);
    if (!std::isnan(s.low)) t += " [" + sig(s.low) + ", " + sig(s.high) + "]";
    if (s.n != s.total) t += " n=" + std::to_string(s.n) + " of " + std::to_string(s.total);
    return t;
  };
  out << "  objective: " << interval(b.objective) << " (" << b.runs << " runs)\n";
  const bool fresh = r.fresh.runs > 0;
  if (fresh)  // chosen among several on these very runs: the winner's curse
    out << "  on fresh draws (seed " << r.fresh_seed << "): " << interval(r.fresh.objective) << " (" << r.fresh.runs
        << " runs): the estimate to report; the one above chose this point among " << r.points.size()
        << ", so it is optimistic\n";
  for (std::size_t i = 0; i < b.constraints.size(); ++i) {
    out << "  " << r.constraint_texts[i] << ": met in " << b.met[i] << " of " << b.runs << " runs (mean "
        << sig(b.constraints[i].mean) << unit_suffix(r.constraint_kpis[i]) << ")";
    if (fresh)
      out << "; on fresh draws in " << r.fresh.met[i] << " of " << r.fresh.runs << " (mean "
          << sig(r.fresh.constraints[i].mean) << unit_suffix(r.constraint_kpis[i]) << ")";
    out << "\n";
  }
  const Evaluated& shown = fresh ? r.fresh : b;
  Table t;
  t.title = fresh ? "every KPI at the optimum, on fresh draws (seed " + std::to_string(r.fresh_seed) + "):"
                  : "every KPI at the optimum:";
  t.header = {"  kpi", "mean [95% CI]", "unit", "interval"};
  for (std::size_t i = 0; i < shown.kpis.size() && i < r.kpi_names.size(); ++i) {
    KpiMeta m = kpi_meta(r.kpi_names[i]);
    t.rows.push_back({"  " + m.name, interval(shown.kpis[i]), m.unit, interval_method(m.kind)});
  }
  t.notes.push_back("(mean over runs [95% confidence interval of the mean]; logit-scale t keeps a proportion in [0, 1],");
  t.notes.push_back(" log-scale t a positive quantity above 0, Student t otherwise: docs/statistics.md)");
  render(t, TableFormat::kText, out);
}

}  // namespace crowdsim::experiment
