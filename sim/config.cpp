#include "sim/config.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace crowdsim::sim {

using nlohmann::json;

std::string format_number(double v) {
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

ConfigError::ConfigError(std::string path, std::string expected, std::string found)
    : std::runtime_error((path.empty() ? std::string("(root)") : path) + ": expected " +
                         expected + ", found " + found),
      path_(std::move(path)),
      expected_(std::move(expected)),
      found_(std::move(found)) {}

std::string Bounds::describe(const char* what) const {
  bool lo = std::isfinite(min), hi = std::isfinite(max);
  std::string s = what;
  if (lo && hi && !min_open && !max_open) return s + " in [" + format_number(min) + ", " + format_number(max) + "]";
  if (lo && hi) return s + " in " + (min_open ? "(" : "[") + format_number(min) + ", " + format_number(max) + (max_open ? ")" : "]");
  if (lo) return s + (min_open ? " > " : " >= ") + format_number(min);
  if (hi) return s + (max_open ? " < " : " <= ") + format_number(max);
  return s;
}

bool Bounds::admits(double v) const {
  if (!std::isfinite(v)) return false;
  if (min_open ? !(v > min) : !(v >= min)) return false;
  if (max_open ? !(v < max) : !(v <= max)) return false;
  return true;
}

std::string describe_json(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return "\"" + s + "\"";
    }
    default: return v.dump();
  }
}

std::optional<double> parse_duration(const std::string& text) {
  // The grammar the schema's duration pattern states, and nothing more (std::stod alone would
  // also take leading blanks, hex floats, "inf" and "nan"): [+-] digits [. digits] [e[+-]digits],
  // then blanks and an optional unit.
  std::size_t i = 0, n = text.size();
  auto digits = [&] {
    std::size_t start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t whole = digits(), fraction = 0;
  if (i < n && text[i] == '.') {
    ++i;
    fraction = digits();
  }
  if (whole == 0 && fraction == 0) return std::nullopt;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return std::nullopt;
  }
  double value;
  try {
    value = std::stod(text.substr(0, i));
  } catch (const std::exception&) {  // out of range
    return std::nullopt;
  }
  std::string unit = text.substr(i);
  unit.erase(0, unit.find_first_not_of(' '));
  static const std::pair<const char*, double> units[] = {
      {"", 1.0},      {"s", 1.0},      {"sec", 1.0},      {"min", 60.0},   {"m", 60.0},
      {"h", 3600.0},  {"hr", 3600.0},  {"hour", 3600.0},  {"hours", 3600.0}, {"d", 86400.0},
      {"day", 86400.0}, {"days", 86400.0}, {"w", 604800.0}, {"ms", 1e-3}};
  for (const auto& [name, factor] : units)
    if (unit == name) return std::isfinite(value * factor) ? std::optional<double>(value * factor) : std::nullopt;
  return std::nullopt;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? separator : "") + items[i];
  return s;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string quoted_with_hint(const std::string& word, const std::vector<std::string>& options) {
  std::string hint = closest(word, options);
  return "\"" + word + "\"" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)");
}

std::string closest(const std::string& word, const std::vector<std::string>& options) {
  // A word that begins exactly one option ("exponential" for "exponential_progress").
  std::string prefixed;
  int prefixes = 0;
  if (word.size() >= 3)
    for (const auto& o : options)
      if (o.size() > word.size() && o.compare(0, word.size(), word) == 0) prefixed = o, ++prefixes;
  if (prefixes == 1) return prefixed;
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& o : options) {
    std::size_t d = edit_distance(word, o);
    if (d < best_d) best_d = d, best = o;
  }
  return best;
}

Config::Config(const json& value, std::string path)
    : value_(&value), path_(std::move(path)), asked_(std::make_shared<std::vector<std::string>>()) {
  if (!value.is_object()) throw ConfigError(path_, "an object", describe_json(value));
}
Config::~Config() = default;
Config::Config(const Config&) = default;

std::string Config::path_of(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

bool Config::has(const std::string& key) const {
  asked_->push_back(key);
  return value_->contains(key);
}

// The value at `key`, or a "missing" error that expects `expected` and points at a
// misspelt key present in the object ("betta" when "beta" is wanted).
const json& Config::require(const std::string& key, const std::string& expected) const {
  if (has(key)) return value_->at(key);
  std::vector<std::string> present;
  for (const auto& item : value_->items()) present.push_back(item.key());
  std::string typo = closest(key, present);
  throw ConfigError(path_of(key), expected,
                    typo.empty() ? "nothing (the key is missing)"
                                 : "nothing (the key is missing; is \"" + typo + "\" a misspelling of it?)");
}

const json& Config::raw(const std::string& key) const { return require(key, "a value"); }

double Config::number(const std::string& key, Bounds bounds) const {
  const json& v = require(key, bounds.describe());
  if (!v.is_number() || !bounds.admits(v.get<double>()))
    throw ConfigError(path_of(key), bounds.describe(), describe_json(v));
  return v.get<double>();
}

double Config::number(const std::string& key, double fallback, Bounds bounds) const {
  return has(key) ? number(key, bounds) : fallback;
}

std::int64_t Config::integer(const std::string& key, std::int64_t min, std::int64_t max) const {
  Bounds b = Bounds::between(static_cast<double>(min), static_cast<double>(max));
  // No upper bound but the type's: "an integer >= 0", not "[0, 9.22337203685e+18]".
  const std::string expected = max == std::numeric_limits<std::int64_t>::max()
                                   ? "an integer >= " + std::to_string(min)
                                   : b.describe("an integer");
  const json& v = require(key, expected);
  // An integer written as one is read exactly (a seed above 2^53 must not be rounded through a
  // double: 2^53 + 1 would run as 2^53); one written with a fraction or an exponent ("1e3")
  // through its double, whole and within 2^53 so that it is exact too.
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    throw ConfigError(path_of(key), expected, describe_json(v));
  if (v.is_number_integer()) {
    const auto x = v.get<std::int64_t>();
    if (x < min || x > max) throw ConfigError(path_of(key), expected, describe_json(v));
    return x;
  }
  const double d = v.is_number_float() ? v.get<double>() : std::nan("");
  if (!(std::isfinite(d) && std::floor(d) == d && std::abs(d) <= 9007199254740992.0 && b.admits(d)))
    throw ConfigError(path_of(key), expected, describe_json(v));
  return static_cast<std::int64_t>(d);
}

std::int64_t Config::integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                             std::int64_t max) const {
  return has(key) ? integer(key, min, max) : fallback;
}

std::string Config::string(const std::string& key, const std::vector<std::string>& choices) const {
  std::string expected = "a string";
  if (!choices.empty()) {
    expected = "one of";
    for (std::size_t i = 0; i < choices.size(); ++i) expected += (i ? ", " : " ") + choices[i];
  }
  const json& v = require(key, expected);
  if (!v.is_string()) throw ConfigError(path_of(key), expected, describe_json(v));
  std::string s = v.get<std::string>();
  if (!choices.empty() && std::find(choices.begin(), choices.end(), s) == choices.end()) {
    std::string hint = closest(s, choices);
    throw ConfigError(path_of(key), expected,
                      describe_json(v) + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
  }
  return s;
}

std::string Config::string_or(const std::string& key, const std::string& fallback,
                              const std::vector<std::string>& choices) const {
  return has(key) ? string(key, choices) : fallback;
}

bool Config::boolean(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const json& v = value_->at(key);
  if (!v.is_boolean()) throw ConfigError(path_of(key), "true or false", describe_json(v));
  return v.get<bool>();
}

double Config::duration(const std::string& key, Bounds bounds) const {
  const char* units = " (seconds, or a string such as \"90s\", \"5min\", \"2h\", \"1d\")";
  const json& v = require(key, bounds.describe("a duration") + units);
  std::optional<double> seconds;
  if (v.is_number()) seconds = v.get<double>();
  else if (v.is_string()) seconds = parse_duration(v.get<std::string>());
  if (!seconds || !bounds.admits(*seconds))
    throw ConfigError(path_of(key), bounds.describe("a duration") + units, describe_json(v));
  return *seconds;
}

double Config::duration(const std::string& key, double fallback, Bounds bounds) const {
  return has(key) ? duration(key, bounds) : fallback;
}

Config Config::object(const std::string& key) const { return Config(require(key, "an object"), path_of(key)); }

std::optional<Config> Config::optional_object(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return object(key);
}

std::vector<Config> Config::objects(const std::string& key) const {
  const json& a = require(key, "a non-empty array of objects");
  if (!a.is_array() || a.empty()) throw ConfigError(path_of(key), "a non-empty array of objects", describe_json(a));
  std::vector<Config> out;
  for (std::size_t i = 0; i < a.size(); ++i) out.emplace_back(a[i], path_of(key) + "." + std::to_string(i));
  return out;
}

std::vector<double> Config::numbers(const std::string& key, Bounds bounds, std::size_t size) const {
  std::string expected = size ? "an array of " + std::to_string(size) + " numbers" : "a non-empty array of numbers";
  const json& a = require(key, expected);
  if (!a.is_array() || a.empty() || (size && a.size() != size)) throw ConfigError(path_of(key), expected, describe_json(a));
  std::vector<double> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::string p = path_of(key) + "." + std::to_string(i);
    if (!a[i].is_number()) throw ConfigError(p, bounds.describe(), describe_json(a[i]));
    double v = a[i].get<double>();
    if (!bounds.admits(v)) throw ConfigError(p, bounds.describe(), describe_json(a[i]));
    out.push_back(v);
  }
  return out;
}

void Config::finish() const {
  for (const auto& item : value_->items()) {
    const std::string& k = item.key();
    if (std::find(asked_->begin(), asked_->end(), k) != asked_->end()) continue;
    std::vector<std::string> known;
    for (const auto& a : *asked_)
      if (std::find(known.begin(), known.end(), a) == known.end()) known.push_back(a);
    std::sort(known.begin(), known.end());
    std::string list;
    for (const auto& a : known) list += (list.empty() ? "" : ", ") + a;
    std::string hint = closest(k, known);
    throw ConfigError(path_of(k), "one of the known keys (" + list + ")",
                      "an unknown key \"" + k + "\"" + (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
  }
}

}  // namespace crowdsim::sim
