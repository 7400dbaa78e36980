#pragma once
/// \file Loading a scenario: the JSON file, `--set path=value` overrides, and validation of
/// every field into the model's parameters. Every error is a sim::ConfigError naming the path.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/hdf5_recorder.hpp"
#include "models/params.hpp"
#include "sim/params.hpp"

namespace crowdsim::io {

/// One point of a sweep: its overrides and the model they give.
struct SweepPoint {
  nlohmann::json overrides = nlohmann::json::object();  ///< path -> value ({} without a sweep)
  models::ModelParams model;
  std::vector<std::pair<std::string, double>> numeric;  ///< the numeric overrides, for /summary columns
};

/// A validated scenario, ready to run: one point, or every point of its sweep.
struct Scenario {
  std::string name;              ///< "name", or the file's stem
  std::string description;
  std::string base_dir;          ///< where relative data paths are resolved
  nlohmann::json resolved;       ///< the JSON after overrides, as run (written to the output)
  models::ModelParams model;     ///< the model of the first point
  std::vector<SweepPoint> points;  ///< at least one; every point validated
  std::vector<std::string> swept;  ///< the paths a sweep varies, in column order
  std::uint32_t replications = 1;  ///< per point
  std::uint32_t point_offset = 0;  ///< index of points[0] in a larger experiment (optimize rounds)
  Detail detail = Detail::kFull;
};

/// The keys of the scenario's top level, declared once: the reader below, the schema and
/// docs/parameters.md all come from it.
const sim::Section& top_level_section();

/// Reads and parses a JSON file; a missing file or a syntax error is a ConfigError.
nlohmann::json read_json_file(const std::string& path);
/// Applies one override "a.b.c=value" (value parsed as JSON, else taken as a string).
void apply_override(nlohmann::json& doc, const std::string& assignment);
/// Validates a scenario document; relative data paths are resolved against `base_dir`.
Scenario parse_scenario(const nlohmann::json& doc, const std::string& base_dir);
/// Reads, overrides and validates the scenario file at `path`.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

}  // namespace crowdsim::io
