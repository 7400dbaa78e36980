#pragma once
/// \file The kinds of distribution, entries of the one registry mechanism (sim/registry.hpp):
/// each kind is {name, description, its parameterisations, factory}. read_distribution reads a
/// distribution object through it; `crowdsim list`, the schema's distribution_object and the
/// tables of docs/parameters.md walk it like every other registry.
///
/// The sampler itself stays a closed set of families (Distribution::Kind, drawn by an inline
/// switch at each call site: no virtual call on the hot path). An entry may build any of those
/// families from its own parameters (a new parameterisation is one `add`); a new family also
/// needs its case in sim/distribution.cpp.

#include <nlohmann/json.hpp>

#include "sim/distribution.hpp"
#include "sim/registry.hpp"

namespace crowdsim::sim {

/// The registry of distribution kinds, picked by the "dist" key.
Registry<Distribution>& distributions();
/// The JSON Schema of a distribution object (`#/$defs/distribution_object`).
nlohmann::json distribution_object_schema();

}  // namespace crowdsim::sim
