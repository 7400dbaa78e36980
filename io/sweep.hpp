#pragma once
/// \file Sweeps: a scenario's `sweep` block expanded into points, each a set of overrides
/// {"path.to.field": value}. Forms: `grid` (every combination), `list` (the points as given),
/// `random` (uniform samples of numeric ranges, drawn from the seed). docs/sweeps.md.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace crowdsim::sim {
struct Section;
}

namespace crowdsim::io {

/// The keys of a sweep block, declared once beside its reader (crowdsim list --params scenario).
const std::vector<const sim::Section*>& sweep_sections();

/// The points of a sweep block (found at JSON path "sweep"); each is an object path -> value.
/// Errors are sim::ConfigError naming the path inside the block.
std::vector<nlohmann::json> expand_sweep(const nlohmann::json& sweep, std::uint64_t seed);

/// Sets `value` at the dotted `path` of `doc`, creating objects on the way; array elements are
/// addressed by index. Errors name the part of the path that does not fit.
void set_path(nlohmann::json& doc, const std::string& path, const nlohmann::json& value);

}  // namespace crowdsim::io
