#pragma once
/// \file The kinds of distribution and their parameters, declared once: read_distribution reads
/// a distribution object through these declarations, and the schema's distribution_object and
/// the tables of docs/parameters.md are generated from them.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/params.hpp"

namespace crowdsim::sim {

/// One kind ("lognormal") and its parameterisations: a distribution object gives the keys of
/// exactly one form (beside "dist").
struct DistributionKind {
  std::string name;
  std::string description;
  std::vector<ParamList> forms;
};

/// Every kind, in the order `crowdsim list` shows them.
const std::vector<DistributionKind>& distribution_kinds();
/// The kind called `name`; std::logic_error when there is none (read_distribution checks first).
const DistributionKind& distribution_kind(const std::string& name);
/// The keys that tell the forms of `kind` apart: those of each form that no other form has.
std::vector<std::vector<std::string>> distinguishing_keys(const DistributionKind& kind);
/// The JSON Schema of a distribution object (`#/$defs/distribution_object`).
nlohmann::json distribution_object_schema();

}  // namespace crowdsim::sim
