#include "io/optimize.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

#include "io/experiment.hpp"
#include "io/sweep.hpp"
#include "sim/config.hpp"

namespace crowdsim::io {

using nlohmann::json;
using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

struct Range {
  std::string path;
  double min, max;
  bool integer;
};
struct Constraint {
  std::string kpi;
  double min = -INFINITY, max = INFINITY;
};
// objective = sign · (kpi − Σ weight_j · kpi_j)
struct Objective {
  std::string kpi;
  double sign = 1;  // +1 maximise, −1 minimise
  std::vector<std::pair<std::string, double>> penalties;
};

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

}  // namespace

OptimizeResult optimize(const json& doc, const std::string& base_dir, models::Recorder& recorder, unsigned threads,
                        const std::atomic<bool>* interrupt) {
  if (!doc.is_object() || !doc.contains("optimize")) throw ConfigError("optimize", "an optimize block", "none");
  if (doc.contains("sweep")) throw ConfigError("sweep", "no sweep in a scenario that optimizes", "a sweep block");
  Config c(doc.at("optimize"), "optimize");
  std::vector<Range> ranges;
  Config params = c.object("params");
  for (const auto& item : params.value().items()) {
    Config r = params.object(item.key());
    Range x{item.key(), r.number("min"), r.number("max"), r.boolean("integer", false)};
    if (!(x.max > x.min)) throw ConfigError(r.path_of("max"), "a number > min", std::to_string(x.max));
    r.finish();
    ranges.push_back(x);
  }
  if (ranges.empty()) throw ConfigError("optimize.params", "at least one parameter range", "none");
  Objective obj;
  Config o = c.object("objective");
  bool max = o.has("maximize"), min = o.has("minimize");
  if (max == min) throw ConfigError("optimize.objective", "exactly one of \"maximize\" or \"minimize\"", max ? "both" : "neither");
  obj.kpi = o.string(max ? "maximize" : "minimize");
  obj.sign = max ? 1 : -1;
  if (auto pen = o.optional_object("minus"))
    for (const auto& item : pen->value().items()) obj.penalties.emplace_back(item.key(), pen->number(item.key()));
  o.finish();
  std::vector<Constraint> constraints;
  if (c.has("constraints"))
    for (const Config& k : c.objects("constraints")) {
      Constraint x;
      x.kpi = k.string("kpi");
      x.min = k.number("min", -INFINITY, Bounds::any());
      x.max = k.number("max", INFINITY, Bounds::any());
      if (std::isinf(x.min) && std::isinf(x.max)) throw ConfigError(k.path(), "a min or a max", "neither");
      k.finish();
      constraints.push_back(x);
    }
  int n = static_cast<int>(c.integer("grid", 5, 2, 101));
  int rounds = static_cast<int>(c.integer("rounds", 3, 1, 20));
  c.finish();

  OptimizeResult result;
  char buf[160];
  result.objective_text = std::string(max ? "maximize " : "minimize ") + obj.kpi;
  for (const auto& [k, w] : obj.penalties) {
    std::snprintf(buf, sizeof buf, " - %g * %s", w, k.c_str());
    result.objective_text += buf;
  }
  for (const auto& k : constraints) {
    std::snprintf(buf, sizeof buf, "%s%s%s", k.kpi.c_str(), std::isinf(k.min) ? "" : (" >= " + std::to_string(k.min)).c_str(),
                  std::isinf(k.max) ? "" : (" <= " + std::to_string(k.max)).c_str());
    result.constraint_texts.push_back(buf);
  }

  json base = doc;
  base.erase("optimize");
  std::vector<std::pair<double, double>> box;
  for (const Range& r : ranges) box.emplace_back(r.min, r.max);
  std::map<std::string, std::size_t> seen;  // params text -> index into result.points
  for (int round = 0; round < rounds; ++round) {
    std::vector<json> todo;
    for (json& p : grid(ranges, box, n))
      if (!seen.count(p.dump())) todo.push_back(p);
    if (!todo.empty()) {
      json d = base;
      d["sweep"] = {{"list", todo}};
      Scenario s = parse_scenario(d, base_dir);
      s.point_offset = static_cast<std::uint32_t>(result.points.size());
      std::vector<std::vector<models::Kpis>> kpis(todo.size());
      run_experiment(s, recorder, [&](const models::RunInfo& info, const models::Kpis& k) {
        kpis[info.point - s.point_offset].push_back(k);
      }, threads, interrupt);
      for (std::size_t i = 0; i < todo.size(); ++i) {
        Evaluated e;
        e.point = s.point_offset + static_cast<std::uint32_t>(i);
        e.params = todo[i];
        std::vector<double> scores;
        for (const auto& k : kpis[i]) {
          double v = value_of(k, obj.kpi);
          for (const auto& [name, w] : obj.penalties) v -= w * value_of(k, name);
          scores.push_back(v);
        }
        e.objective = kpi_stat(scores);
        // A point is judged on every replication: a run without the KPI (no task closed, say)
        // makes it infeasible rather than letting the runs that have it speak alone.
        e.feasible = e.objective.n == kpis[i].size();
        for (const Constraint& k : constraints) {
          std::vector<double> v;
          for (const auto& run : kpis[i]) v.push_back(value_of(run, k.kpi));
          e.constraints.push_back(kpi_stat(v));
          double m = e.constraints.back().mean;
          e.feasible &= e.constraints.back().n == kpis[i].size() && m >= k.min && m <= k.max;
        }
        seen[todo[i].dump()] = result.points.size();
        result.points.push_back(std::move(e));
      }
    }
    // The best feasible point so far (ties: the earlier one); the next round zooms around it.
    result.best = -1;
    for (std::size_t i = 0; i < result.points.size(); ++i)
      if (result.points[i].feasible &&
          (result.best < 0 ||
           obj.sign * result.points[i].objective.mean > obj.sign * result.points[static_cast<std::size_t>(result.best)].objective.mean))
        result.best = static_cast<std::ptrdiff_t>(i);
    if (result.best < 0) break;  // nothing feasible to zoom on
    const json& at = result.points[static_cast<std::size_t>(result.best)].params;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      double half = (box[i].second - box[i].first) / (n - 1);
      double centre = at.at(ranges[i].path).get<double>();
      box[i] = {std::max(ranges[i].min, centre - half), std::min(ranges[i].max, centre + half)};
    }
  }
  return result;
}

void print_optimum(const OptimizeResult& r, std::ostream& out) {
  char buf[256];
  out << "objective: " << r.objective_text << "\n";
  for (const auto& c : r.constraint_texts) out << "subject to: " << c << "\n";
  out << r.points.size() << " points evaluated\n";
  if (r.best < 0) {
    out << "no point meets the constraints\n";
    return;
  }
  const Evaluated& b = r.points[static_cast<std::size_t>(r.best)];
  out << "optimum (point " << b.point << "): " << b.params.dump() << "\n";
  std::snprintf(buf, sizeof buf, "  objective %.6g (95%% CI %.6g .. %.6g, %zu runs)\n", b.objective.mean, b.objective.low,
                b.objective.high, b.objective.n);
  out << buf;
  for (std::size_t i = 0; i < b.constraints.size(); ++i) {
    std::snprintf(buf, sizeof buf, "  %s: %.6g (95%% CI %.6g .. %.6g)\n", r.constraint_texts[i].c_str(),
                  b.constraints[i].mean, b.constraints[i].low, b.constraints[i].high);
    out << buf;
  }
}

}  // namespace crowdsim::io
