#include "sim/params.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace crowdsim::sim {

using nlohmann::json;

namespace {

Param make(std::string name, ParamType type, json fallback, Bounds bounds, std::string help, std::string unit) {
  Param p;
  p.name = std::move(name);
  p.type = type;
  p.fallback = std::move(fallback);
  p.bounds = bounds;
  p.help = std::move(help);
  p.unit = std::move(unit);
  return p;
}

// A default distribution as a scenario would write it.
json distribution_json(const Distribution& d) {
  if (d.kind() == Distribution::Kind::kConstant) return d.mean();
  if (d.kind() == Distribution::Kind::kExponential) return {{"dist", "exponential"}, {"mean", d.mean()}};
  throw std::logic_error("a default distribution must be a constant or an exponential, not " + d.describe());
}

// JSON Schema keywords for `b` (minimum / exclusiveMinimum / maximum / exclusiveMaximum).
void add_bounds(json& s, const Bounds& b) {
  if (std::isfinite(b.min)) s[b.min_open ? "exclusiveMinimum" : "minimum"] = b.min;
  if (std::isfinite(b.max)) s[b.max_open ? "exclusiveMaximum" : "maximum"] = b.max;
}

// A number within `b`, or what `ref` defines (a duration string, a distribution object).
json number_or(const Bounds& b, const char* ref) {
  json n = {{"type", "number"}};
  add_bounds(n, b);
  return json::array({n, {{"$ref", ref}}});
}

}  // namespace

std::string Param::expected() const {
  switch (type) {
    case ParamType::kNumber: return bounds.describe();
    case ParamType::kInteger: return bounds.describe("an integer");
    case ParamType::kBoolean: return "true or false";
    case ParamType::kChoice: {
      std::string s = "one of";
      for (std::size_t i = 0; i < choices.size(); ++i) s += (i ? ", " : " ") + choices[i];
      return s;
    }
    case ParamType::kDuration: return bounds.describe("a duration");
    case ParamType::kNumbers:
      return (size ? "an array of " + std::to_string(size) + " " : std::string("an array of ")) + bounds.describe("numbers");
    case ParamType::kText: return "a string";
    case ParamType::kDistribution: return bounds.describe("a distribution");
    case ParamType::kCustom: return shape;
  }
  return "";
}

std::string Param::default_text() const {
  if (required) return "required";
  if (!inherits.empty()) return "as in " + inherits;
  if (type == ParamType::kCustom) return "-";  // its help says what absent means
  if (fallback.is_null()) return "(none)";
  if (fallback.is_object()) {  // a distribution: "exponential, mean 1"
    std::string s = fallback.value("dist", "");
    for (const auto& [k, v] : fallback.items())
      if (k != "dist") s += ", " + k + " " + (v.is_number() ? format_number(v.get<double>()) : v.dump());
    return s;
  }
  if (fallback.is_boolean()) return fallback.get<bool>() ? "true" : "false";
  if (fallback.is_string()) return fallback.get<std::string>().empty() ? "\"\"" : fallback.get<std::string>();
  if (type == ParamType::kDuration) return format_number(fallback.get<double>()) + " s";
  return format_number(fallback.get<double>());
}

Param number(std::string name, double fallback, Bounds bounds, std::string help, std::string unit) {
  return make(std::move(name), ParamType::kNumber, fallback, bounds, std::move(help), std::move(unit));
}
Param optional_number(std::string name, Bounds bounds, std::string help, std::string unit) {
  return make(std::move(name), ParamType::kNumber, nullptr, bounds, std::move(help), std::move(unit));
}
Param required_number(std::string name, Bounds bounds, std::string help, std::string unit) {
  Param p = optional_number(std::move(name), bounds, std::move(help), std::move(unit));
  p.required = true;
  return p;
}
Param integer(std::string name, std::int64_t fallback, std::int64_t min, std::int64_t max, std::string help) {
  // The largest integer means "no upper limit" (and is so documented and left out of the schema).
  Bounds b = Bounds::between(static_cast<double>(min), static_cast<double>(max));
  if (max == std::numeric_limits<std::int64_t>::max()) b.max = std::numeric_limits<double>::infinity();
  return make(std::move(name), ParamType::kInteger, fallback, b, std::move(help), "");
}
Param optional_integer(std::string name, std::int64_t min, std::int64_t max, std::string help) {
  Param p = integer(std::move(name), 0, min, max, std::move(help));
  p.fallback = nullptr;
  return p;
}
Param boolean(std::string name, bool fallback, std::string help) {
  return make(std::move(name), ParamType::kBoolean, fallback, {}, std::move(help), "");
}
Param choice(std::string name, std::string fallback, std::vector<std::string> choices, std::string help) {
  Param p = make(std::move(name), ParamType::kChoice, std::move(fallback), {}, std::move(help), "");
  p.choices = std::move(choices);
  return p;
}
Param duration(std::string name, double fallback_seconds, Bounds bounds, std::string help) {
  return make(std::move(name), ParamType::kDuration, fallback_seconds, bounds, std::move(help), "s");
}
Param optional_duration(std::string name, Bounds bounds, std::string help) {
  return make(std::move(name), ParamType::kDuration, nullptr, bounds, std::move(help), "s");
}
Param optional_numbers(std::string name, Bounds bounds, std::string help, std::string unit) {
  return make(std::move(name), ParamType::kNumbers, nullptr, bounds, std::move(help), std::move(unit));
}

Param required_numbers(std::string name, Bounds bounds, std::size_t size, std::string help, std::string unit) {
  Param p = make(std::move(name), ParamType::kNumbers, nullptr, bounds, std::move(help), std::move(unit));
  p.size = size;
  p.required = true;
  return p;
}
Param text(std::string name, std::string fallback, std::string help) {
  return make(std::move(name), ParamType::kText, std::move(fallback), {}, std::move(help), "");
}
Param required_text(std::string name, std::string help) {
  Param p = make(std::move(name), ParamType::kText, nullptr, {}, std::move(help), "");
  p.required = true;
  return p;
}
Param required_duration(std::string name, Bounds bounds, std::string help) {
  Param p = optional_duration(std::move(name), bounds, std::move(help));
  p.required = true;
  return p;
}

Param required_integer(std::string name, std::int64_t min, std::int64_t max, std::string help) {
  Param p = optional_integer(std::move(name), min, max, std::move(help));
  p.required = true;
  return p;
}
Param optional_choice(std::string name, std::vector<std::string> choices, std::string help) {
  Param p = choice(std::move(name), "", std::move(choices), std::move(help));
  p.fallback = nullptr;
  return p;
}
Param optional_text(std::string name, std::string help) {
  return make(std::move(name), ParamType::kText, nullptr, {}, std::move(help), "");
}
Param distribution(std::string name, const Distribution& fallback, Bounds bounds, std::string help, std::string unit) {
  return make(std::move(name), ParamType::kDistribution, distribution_json(fallback), bounds, std::move(help),
              std::move(unit));
}
Param optional_distribution(std::string name, Bounds bounds, std::string help, std::string unit) {
  return make(std::move(name), ParamType::kDistribution, nullptr, bounds, std::move(help), std::move(unit));
}
Param custom(std::string name, std::string shape, std::string help, bool required) {
  Param p = make(std::move(name), ParamType::kCustom, nullptr, {}, std::move(help), "");
  p.shape = std::move(shape);
  p.required = required;
  return p;
}
ParamList inherited(ParamList list, const std::string& from) {
  for (Param& p : list) {
    p.inherits = from;
    p.fallback = nullptr;
    p.required = false;
  }
  return list;
}

Distribution read_distribution_within(const Config& c, const std::string& key, Bounds b, const std::string& base_dir) {
  Distribution d = read_distribution(c, key, base_dir);
  if (!d.within(b)) {
    std::ostringstream support;
    support << d.describe() << ", which can draw values in " << (d.lower_open() ? "(" : "[") << d.lower() << ", "
            << d.upper() << (d.upper_open() ? ")" : "]");
    throw ConfigError(c.path_of(key), std::string("a distribution of ") + b.describe("values"), support.str());
  }
  return d;
}

Params::Params(const Config& config, const ParamList& list, std::string base_dir, std::size_t form)
    : config_(config), list_(list), base_dir_(std::move(base_dir)), form_(form) {
  for (const Param& p : list_) {
    if (!p.required && !config_.has(p.name)) continue;
    switch (p.type) {  // reading checks the value
      case ParamType::kNumber: number(p.name); break;
      case ParamType::kInteger: integer(p.name); break;
      case ParamType::kBoolean: boolean(p.name); break;
      case ParamType::kChoice: string(p.name); break;
      case ParamType::kDuration: duration(p.name); break;
      case ParamType::kNumbers: numbers(p.name, p.size); break;
      case ParamType::kText: string(p.name); break;
      case ParamType::kDistribution:
        distributions_.emplace_back(p.name, read_distribution_within(config_, p.name, p.bounds, base_dir_));
        break;
      case ParamType::kCustom: config_.has(p.name); break;  // known; its section reads it
    }
  }
}

const Param& Params::declared(const std::string& name, ParamType type) const {
  for (const Param& p : list_)
    if (p.name == name) {
      if (p.type != type) throw std::logic_error("parameter \"" + name + "\" is read as another type than declared");
      return p;
    }
  throw std::logic_error("parameter \"" + name + "\" is read but not declared");
}

bool Params::has(const std::string& name) const {
  for (const Param& p : list_)
    if (p.name == name) return config_.has(name);
  throw std::logic_error("parameter \"" + name + "\" is read but not declared");
}

double Params::number(const std::string& name) const {
  const Param& p = declared(name, ParamType::kNumber);
  if (p.fallback.is_null() || config_.has(name)) return config_.number(name, p.bounds);
  return p.fallback.get<double>();
}

std::int64_t Params::integer(const std::string& name) const {
  const Param& p = declared(name, ParamType::kInteger);
  auto lo = static_cast<std::int64_t>(p.bounds.min);
  auto hi = std::isfinite(p.bounds.max) ? static_cast<std::int64_t>(p.bounds.max) : std::numeric_limits<std::int64_t>::max();
  if (p.fallback.is_null() || config_.has(name)) return config_.integer(name, lo, hi);
  return p.fallback.get<std::int64_t>();
}

bool Params::boolean(const std::string& name) const {
  const Param& p = declared(name, ParamType::kBoolean);
  return config_.boolean(name, p.fallback.is_boolean() && p.fallback.get<bool>());
}

std::string Params::string(const std::string& name) const {
  const Param* text = nullptr;
  for (const Param& q : list_)
    if (q.name == name && q.type == ParamType::kText) text = &q;
  if (text) return text->fallback.is_null() || config_.has(name) ? config_.string(name) : text->fallback.get<std::string>();
  const Param& p = declared(name, ParamType::kChoice);
  if (p.fallback.is_null() || config_.has(name)) return config_.string(name, p.choices);
  return p.fallback.get<std::string>();
}

double Params::duration(const std::string& name) const {
  const Param& p = declared(name, ParamType::kDuration);
  if (p.fallback.is_null() || config_.has(name)) return config_.duration(name, p.bounds);
  return p.fallback.get<double>();
}

std::vector<double> Params::numbers(const std::string& name, std::size_t size) const {
  const Param& p = declared(name, ParamType::kNumbers);
  return config_.numbers(name, p.bounds, size);
}

const Distribution& Params::distribution(const std::string& name) const {
  declared(name, ParamType::kDistribution);
  for (const auto& [n, d] : distributions_)
    if (n == name) return d;
  config_.raw(name);  // absent: the missing-key error
  throw std::logic_error("distribution \"" + name + "\" read but not checked");
}

json duration_string_schema() {
  // The grammar of parse_duration: a decimal number, optional blanks, an optional unit.
  return {{"type", "string"},
          {"pattern", "^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)? *(s|sec|min|m|h|hr|hour|hours|d|day|days|w|ms)?$"}};
}

json schema_of(const Param& p) {
  json s = json::object();
  std::string help = p.help;
  if (!p.unit.empty() && p.type != ParamType::kDuration) help += " [" + p.unit + "]";
  switch (p.type) {
    case ParamType::kNumber: s["type"] = "number"; add_bounds(s, p.bounds); break;
    case ParamType::kInteger: s["type"] = "integer"; add_bounds(s, p.bounds); break;
    case ParamType::kBoolean: s["type"] = "boolean"; break;
    case ParamType::kChoice: s["enum"] = p.choices; break;
    case ParamType::kDuration: {
      s["anyOf"] = number_or(p.bounds, "#/$defs/duration_string");
      help += " (seconds, or a string with a unit: \"90s\", \"5min\", \"2h\", \"1d\")";
      break;
    }
    case ParamType::kNumbers: {
      json item = {{"type", "number"}};
      add_bounds(item, p.bounds);
      s["type"] = "array";
      s["minItems"] = p.size ? p.size : 1;
      if (p.size) s["maxItems"] = p.size;
      s["items"] = item;
      break;
    }
    case ParamType::kText: s["type"] = "string"; break;
    case ParamType::kDistribution: {
      s["anyOf"] = number_or(p.bounds, "#/$defs/distribution_object");
      help += " (a number, or a distribution object)";
      break;
    }
    case ParamType::kCustom:
      throw std::logic_error("parameter \"" + p.name + "\" has a hand-written schema (io/schema_skeleton.json)");
  }
  if (!p.inherits.empty()) help += " (absent: as in " + p.inherits + ")";
  s["description"] = help;
  if (!p.fallback.is_null()) s["default"] = p.fallback;
  return s;
}

json object_schema(const ParamList& list, json extra_properties, std::vector<std::string> extra_required) {
  json props = std::move(extra_properties);
  std::vector<std::string> required = std::move(extra_required);
  for (const Param& p : list) {
    props[p.name] = schema_of(p);
    if (p.required) required.push_back(p.name);
  }
  json s = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

}  // namespace crowdsim::sim
