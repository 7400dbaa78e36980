#pragma once
/// \file Reading parameters from JSON with errors that name the path, the expectation and what
/// was found, and with unknown keys rejected ("did you mean ...").

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace crowdsim::sim {

/// A bad input value: `path: expected X, found Y`. Command-line tools turn it into exit status 2.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string path, std::string expected, std::string found);
  /// JSON path of the offending value, e.g. "workers.accuracy.alpha".
  const std::string& path() const { return path_; }
  /// What was expected, and what was found.
  const std::string& expected() const { return expected_; }
  const std::string& found() const { return found_; }

 private:
  std::string path_, expected_, found_;
};

/// Bounds on a number; the default admits every finite value.
struct Bounds {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;  ///< true: value must be > min
  bool max_open = false;  ///< true: value must be < max
  static Bounds any() { return {}; }
  static Bounds positive() { return {0.0, std::numeric_limits<double>::infinity(), true, false}; }
  static Bounds non_negative() { return {0.0, std::numeric_limits<double>::infinity(), false, false}; }
  static Bounds probability() { return {0.0, 1.0, false, false}; }
  static Bounds at_least(double m) { return {m, std::numeric_limits<double>::infinity(), false, false}; }
  static Bounds between(double lo, double hi) { return {lo, hi, false, false}; }
  /// "a number > 0", "a number in [0, 1]", ...
  std::string describe(const char* what = "a number") const;
  bool admits(double v) const;
};

/// A read-only view of one JSON object with its path. Each accessor marks its key as known;
/// `finish()` then rejects any key that no accessor asked for.
class Config {
 public:
  /// Views `value` (which must be an object) found at `path` ("" for the root).
  Config(const nlohmann::json& value, std::string path);
  ~Config();
  Config(const Config&);
  Config& operator=(const Config&) = delete;

  /// Path of this object ("" at the root).
  const std::string& path() const { return path_; }
  /// The JSON object viewed.
  const nlohmann::json& value() const { return *value_; }
  /// Path of `key` inside this object.
  std::string path_of(const std::string& key) const;
  /// True when `key` is present (and marks it known).
  bool has(const std::string& key) const;
  /// The raw JSON value of `key`; throws when missing.
  const nlohmann::json& raw(const std::string& key) const;

  /// A required number within `bounds`.
  double number(const std::string& key, Bounds bounds = {}) const;
  /// An optional number within `bounds`, `fallback` when absent.
  double number(const std::string& key, double fallback, Bounds bounds) const;
  /// A required integer in [min, max].
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max) const;
  /// An optional integer in [min, max], `fallback` when absent.
  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                       std::int64_t max) const;
  /// A required string; when `choices` is not empty it must be one of them.
  std::string string(const std::string& key, const std::vector<std::string>& choices = {}) const;
  /// An optional string, `fallback` when absent.
  std::string string_or(const std::string& key, const std::string& fallback,
                        const std::vector<std::string>& choices = {}) const;
  /// An optional boolean.
  bool boolean(const std::string& key, bool fallback) const;
  /// A required duration in seconds: a number, or a string with a unit ("90s", "5min", "2h", "1d").
  double duration(const std::string& key, Bounds bounds = Bounds::non_negative()) const;
  /// An optional duration, `fallback` seconds when absent.
  double duration(const std::string& key, double fallback, Bounds bounds) const;
  /// A required nested object.
  Config object(const std::string& key) const;
  /// A nested object if present.
  std::optional<Config> optional_object(const std::string& key) const;
  /// A required non-empty array of objects, one view per element (paths "key.0", "key.1", ...).
  std::vector<Config> objects(const std::string& key) const;
  /// A required array of numbers within `bounds`; `size` > 0 demands exactly that many.
  std::vector<double> numbers(const std::string& key, Bounds bounds, std::size_t size = 0) const;
  /// Rejects keys no accessor asked for, suggesting the closest known one.
  void finish() const;

 private:
  const nlohmann::json& require(const std::string& key, const std::string& expected) const;

  const nlohmann::json* value_;
  std::string path_;
  std::shared_ptr<std::vector<std::string>> asked_;  // shared by copies of the same view
};

/// Describes a JSON value for an error message: `"abc"`, `-3`, `an array`, ...
std::string describe_json(const nlohmann::json& v);
/// Parses a duration string ("90s", "5min", "2.5h", "1d", "120") into seconds; nullopt if bad.
std::optional<double> parse_duration(const std::string& text);
/// A number as messages show it: up to 12 significant digits, no trailing zeros.
std::string format_number(double v);
/// "a, b, c": names joined for messages.
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");
/// Edit distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);
/// The closest of `options` to `word` if it is close enough to suggest, else "".
std::string closest(const std::string& word, const std::vector<std::string>& options);
/// `"word"`, followed by ` (did you mean "option"?)` when one of `options` is close: the
/// "found" part of an error about an unknown name.
std::string quoted_with_hint(const std::string& word, const std::vector<std::string>& options);

}  // namespace crowdsim::sim
