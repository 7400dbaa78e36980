#include "io/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "io/format.hpp"
#include "sim/config.hpp"
#include "sim/params.hpp"
#include "sim/rng.hpp"

namespace crowdsim::io {

using nlohmann::json;
using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

// Paths a sweep may not vary: they define the experiment rather than a point of it.
void check_path(const std::string& path, const std::string& where) {
  for (const char* fixed : {"seed", "replications", "detail", "sweep", "name", "description", "$schema"})
    if (path == fixed || path.rfind(std::string(fixed) + ".", 0) == 0)
      throw ConfigError(where, "a parameter path other than seed, replications, detail, name or sweep", "\"" + path + "\"");
  if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
    throw ConfigError(where, "a path of keys separated by dots, such as \"incentive.beta\"", "\"" + path + "\"");
}

}  // namespace

void set_path(json& doc, const std::string& path, const json& value) {
  json* node = &doc;
  std::string walked;
  std::stringstream parts(path);
  std::string k;
  while (std::getline(parts, k, '.')) {
    if (k.empty()) throw ConfigError(path, "a path of keys separated by dots", "an empty key");
    if (node->is_array()) {
      std::size_t idx = 0;
      try {
        idx = std::stoul(k);
      } catch (const std::exception&) {
        throw ConfigError(walked, "an array index", "\"" + k + "\"");
      }
      if (idx >= node->size()) throw ConfigError(walked, "an index below " + std::to_string(node->size()), k);
      node = &(*node)[idx];
    } else {
      // An index into a missing array (tasks.types.5 without tasks.types) is a mistake, not a
      // key "5" of a new object.
      if (node->is_null() && !walked.empty() && k.find_first_not_of("0123456789") == std::string::npos)
        throw ConfigError(walked, "an array to take element " + k + " of", "nothing (no such key)");
      if (node->is_null()) *node = json::object();
      if (!node->is_object())
        throw ConfigError(walked, "an object to set \"" + k + "\" in", sim::describe_json(*node));
      node = &(*node)[k];
    }
    walked += (walked.empty() ? "" : ".") + k;
  }
  *node = value;
}

namespace {

const sim::Section& sweep_section() {
  static const sim::Section s{
      "sweep", "run the scenario at several points: give exactly one of grid, list and random (docs/scenarios.md)",
      {sim::custom("grid", "an object: path -> non-empty array of values", "every combination of the values given"),
       sim::custom("list", "a non-empty array of objects: path -> value", "the points as given"),
       sim::custom("random", "an object (sweep.random)", "uniform samples of numeric ranges, drawn from the seed")}};
  return s;
}

const sim::Section& random_section() {
  static const sim::Section s{
      "sweep.random", "uniform samples of numeric ranges, drawn from the experiment's seed",
      {sim::required_integer("samples", 1, 1'000'000, "points to draw"),
       sim::custom("params", "an object: path -> range (sweep.random.params.*)", "the ranges to sample", true)}};
  return s;
}

const sim::Section& random_range_section() {
  static const sim::Section s{
      "sweep.random.params.*", "one range to sample (the key is a dotted path of the scenario)",
      {sim::required_number("min", sim::Bounds::any(), "the lower end"),
       sim::required_number("max", sim::Bounds::any(), "the upper end (> min)"),
       sim::boolean("log", false, "uniform in log scale (min > 0)"),
       sim::boolean("integer", false, "whole numbers from min to max, both included, each as likely (log: in log scale)")}};
  return s;
}

}  // namespace

const std::vector<const sim::Section*>& sweep_sections() {
  static const std::vector<const sim::Section*> all{&sweep_section(), &random_section(), &random_range_section()};
  return all;
}

std::vector<json> expand_sweep(const json& sweep, std::uint64_t seed) {
  Config c(sweep, "sweep");
  sim::Params forms(c, sweep_section().params);
  bool grid = forms.has("grid"), list = forms.has("list"), random = forms.has("random");
  if (grid + list + random != 1)
    throw ConfigError("sweep", "exactly one of \"grid\", \"list\" or \"random\"",
                      std::to_string(grid + list + random) + " of them");
  std::vector<json> points;
  if (grid) {
    Config g = c.object("grid");
    points.push_back(json::object());
    for (const auto& [path, values] : g.value().items()) {  // keys in order: the last varies fastest
      std::string where = g.path_of(path);
      check_path(path, where);
      g.has(path);
      if (!values.is_array() || values.empty())
        throw ConfigError(where, "a non-empty array of values", sim::describe_json(values));
      std::vector<json> next;
      for (const json& p : points)
        for (const json& v : values) {
          json q = p;
          q[path] = v;
          next.push_back(std::move(q));
        }
      points = std::move(next);
      if (points.size() > 1'000'000) throw ConfigError("sweep.grid", "at most 1,000,000 points", "more");
    }
    g.finish();
  } else if (list) {
    const json& items = c.raw("list");
    if (!items.is_array() || items.empty()) throw ConfigError("sweep.list", "a non-empty array of objects", sim::describe_json(items));
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string where = "sweep.list." + std::to_string(i);
      if (!items[i].is_object() || items[i].empty())
        throw ConfigError(where, "an object of path: value", sim::describe_json(items[i]));
      for (const auto& [path, v] : items[i].items()) check_path(path, where + "." + path);
      points.push_back(items[i]);
    }
  } else {
    Config r = c.object("random");
    sim::Params rp(r, random_section().params);
    std::int64_t samples = rp.integer("samples");
    Config ranges = r.object("params");
    struct Range {
      std::string path;
      double min, max;
      bool log, integer;
    };
    std::vector<Range> rs;
    for (const auto& item : ranges.value().items()) {
      check_path(item.key(), ranges.path_of(item.key()));
      Config one = ranges.object(item.key());
      sim::Params q(one, random_range_section().params);
      Range x{item.key(), q.number("min"), q.number("max"), q.boolean("log"), q.boolean("integer")};
      if (!(x.max > x.min)) throw ConfigError(one.path_of("max"), "a number > min", std::to_string(x.max));
      if (x.log && !(x.min > 0)) throw ConfigError(one.path_of("min"), "a number > 0 with log: true", std::to_string(x.min));
      if (x.integer) {  // the whole numbers of [min, max], max included: drawn from [min, max + 1), rounded down
        const double lo = x.min, hi = x.max;
        x.min = std::ceil(x.min);
        x.max = std::floor(x.max) + 1;
        if (!(x.max > x.min)) throw ConfigError(one.path_of("max"), "a whole number between min and max with integer: true",
                                                "none from " + round_trip(lo) + " to " + round_trip(hi));
      }
      one.finish();
      rs.push_back(x);
    }
    if (rs.empty()) throw ConfigError("sweep.random.params", "at least one parameter range", "none");
    r.finish();
    // Drawn from the experiment's seed on a stream of their own: the same file, the same points.
    sim::Stream s(sim::StreamKey{seed, 0, sim::purpose_id("sweep.random"), 0});
    for (std::int64_t i = 0; i < samples; ++i) {
      json p = json::object();
      for (const Range& x : rs) {
        double u = s.uniform01();
        double v = x.log ? std::exp(std::log(x.min) + u * (std::log(x.max) - std::log(x.min))) : x.min + u * (x.max - x.min);
        if (x.integer) p[x.path] = std::min(static_cast<std::int64_t>(std::floor(v)), static_cast<std::int64_t>(x.max) - 1);
        else p[x.path] = v;
      }
      points.push_back(std::move(p));
    }
  }
  c.finish();
  return points;
}

}  // namespace crowdsim::io
