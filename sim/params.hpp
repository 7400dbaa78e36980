#pragma once
/// \file Parameters declared once. A model lists its parameters as `Param`s (name, type,
/// default, bounds, unit, one-line help), and everything else is derived from that list: the
/// reader the model's factory uses (`Params`, which takes defaults and bounds from the
/// declaration), the validation errors, the JSON Schema (`schema_of`), and the tables of
/// `crowdsim list --params` and docs/parameters.md.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/config.hpp"
#include "sim/distribution.hpp"

namespace crowdsim::sim {

/// What a parameter holds.
enum class ParamType {
  kNumber,    ///< a number within bounds
  kInteger,   ///< a whole number within bounds
  kBoolean,   ///< true or false
  kChoice,    ///< one of a list of strings
  kDuration,  ///< seconds: a number or a string with a unit ("90s", "5min", "2h", "1d")
  kNumbers,   ///< a non-empty array of numbers within bounds (of exactly `size` when > 0)
  kText,      ///< any string (a file name, a column)
  kDistribution,  ///< a number (a constant) or a distribution object, every value within bounds
  kCustom,    ///< read by its section's own code; its schema is hand-written (io/schema_skeleton.json)
};

/// One declared parameter. Build them with the functions below, not field by field.
struct Param {
  std::string name;
  ParamType type = ParamType::kNumber;
  nlohmann::json fallback;  ///< the default; null when the parameter is required or has none
  bool required = false;
  Bounds bounds;                     ///< numbers, integers, durations and array elements
  std::vector<std::string> choices;  ///< kChoice
  std::size_t size = 0;              ///< kNumbers: the exact length, 0 for any
  std::string unit;                  ///< "s", "currency", "1/h", ... ("" when unitless)
  std::string help;                  ///< one line: what it means, and what "absent" means
  /// "tasks": a key that, absent, keeps the value of the enclosing section (a task type's
  /// fields, a worker group's); it has no default of its own.
  std::string inherits;
  std::string shape;                 ///< kCustom: what it holds, for tables ("an object", ...)

  /// "a number in [0, 1]", "one of a, b", ... (for errors and tables).
  std::string expected() const;
  /// The default as a user would write it ("0.1", "60 s", "true"); "required" or "(none)".
  std::string default_text() const;
};

/// The parameters of one model, in the order they are documented.
using ParamList = std::vector<Param>;

// Declarations. `help` is one line; a parameter without default is optional and "not set"
// when absent (the factory asks `Params::has`), unless made `required`.
Param number(std::string name, double fallback, Bounds bounds, std::string help, std::string unit = "");
Param optional_number(std::string name, Bounds bounds, std::string help, std::string unit = "");
Param required_number(std::string name, Bounds bounds, std::string help, std::string unit = "");
Param integer(std::string name, std::int64_t fallback, std::int64_t min, std::int64_t max, std::string help);
Param optional_integer(std::string name, std::int64_t min, std::int64_t max, std::string help);
Param boolean(std::string name, bool fallback, std::string help);
Param choice(std::string name, std::string fallback, std::vector<std::string> choices, std::string help);
Param duration(std::string name, double fallback_seconds, Bounds bounds, std::string help);
Param optional_duration(std::string name, Bounds bounds, std::string help);
Param optional_numbers(std::string name, Bounds bounds, std::string help, std::string unit = "");
Param required_numbers(std::string name, Bounds bounds, std::size_t size, std::string help, std::string unit = "");
Param text(std::string name, std::string fallback, std::string help);
Param required_text(std::string name, std::string help);
Param required_duration(std::string name, Bounds bounds, std::string help);
Param required_integer(std::string name, std::int64_t min, std::int64_t max, std::string help);
Param optional_choice(std::string name, std::vector<std::string> choices, std::string help);
Param optional_text(std::string name, std::string help);
/// A number or a distribution object whose every value lies within `bounds`. The default must
/// be a constant or an exponential (the kinds that have a JSON form here).
Param distribution(std::string name, const Distribution& fallback, Bounds bounds, std::string help, std::string unit = "");
Param optional_distribution(std::string name, Bounds bounds, std::string help, std::string unit = "");
/// A key whose value the section's code reads itself (a nested object, a list, a value of
/// several forms); `shape` says what it holds. Its schema is hand-written in the skeleton.
Param custom(std::string name, std::string shape, std::string help, bool required = false);
/// `list` with every parameter inheriting from `from` (no default of its own).
ParamList inherited(ParamList list, const std::string& from);

/// The declared keys of one object of the scenario that no registry picks: a platform section
/// such as "monitor" or "monitor.alerts" ("" for the top level; "tasks.types" for each element
/// of that array). The section's reader, its schema and its table in docs/parameters.md all
/// come from this one declaration.
struct Section {
  std::string path;
  std::string help;  ///< one line
  ParamList params;
};

/// A model's parameters read from its JSON object through their declarations: every declared
/// key present is checked (type, bounds) when the reader is made, defaults come from the
/// declarations, and asking for an undeclared name is a programming error (std::logic_error).
class Params {
 public:
  /// Reads `config`'s keys declared in `list`; `finish()` (by the caller) rejects the rest.
  /// `base_dir` resolves the data files of distributions; `form`: which of its entry's
  /// parameterisations `list` is (Registry::form_of).
  Params(const Config& config, const ParamList& list, std::string base_dir = ".", std::size_t form = 0);

  bool has(const std::string& name) const;
  double number(const std::string& name) const;
  std::int64_t integer(const std::string& name) const;
  bool boolean(const std::string& name) const;
  std::string string(const std::string& name) const;
  double duration(const std::string& name) const;
  std::vector<double> numbers(const std::string& name, std::size_t size = 0) const;
  /// A distribution given in the object (ask `has` first: the default stays with the caller).
  const Distribution& distribution(const std::string& name) const;
  /// The JSON object read, for paths in the model's own errors.
  const Config& config() const { return config_; }
  /// The parameterisation read: 0, or the index of the entry's alternative form plus 1.
  std::size_t form() const { return form_; }
  /// The folder relative data files are resolved against.
  const std::string& base_dir() const { return base_dir_; }

 private:
  const Param& declared(const std::string& name, ParamType type) const;
  const Config& config_;
  const ParamList& list_;
  std::string base_dir_;
  std::size_t form_;
  std::vector<std::pair<std::string, Distribution>> distributions_;  // read when made
};

/// A distribution at `key` of `c` whose every value lies within `b` (checked on its support).
Distribution read_distribution_within(const Config& c, const std::string& key, Bounds b, const std::string& base_dir);

/// The JSON Schema (draft 2020-12) of one parameter; durations refer to
/// `#/$defs/duration_string`, which `duration_string_schema()` defines.
nlohmann::json schema_of(const Param& p);
/// The schema of an object holding `list` (plus `extra` properties, e.g. the discriminator).
nlohmann::json object_schema(const ParamList& list, nlohmann::json extra_properties = nlohmann::json::object(),
                             std::vector<std::string> extra_required = {});
/// The pattern of a duration string, the same grammar `parse_duration` accepts.
nlohmann::json duration_string_schema();

}  // namespace crowdsim::sim
