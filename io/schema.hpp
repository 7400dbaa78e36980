#pragma once
/// \file What the code declares, as documents: the scenario's JSON Schema (scenarios/schema.json)
/// and the parameter tables (docs/parameters.md). Both are generated (`crowdsim schema`,
/// `crowdsim list --params --markdown`, `make schema`) and a test fails when the committed
/// copies differ from what the code declares.

#include <string>

#include <nlohmann/json.hpp>

namespace crowdsim::io {

/// The scenario format as a JSON Schema (draft 2020-12): the platform's sections from
/// io/schema_skeleton.json, every registered kind from its declarations.
nlohmann::ordered_json scenario_schema();
/// Every registered kind, entry and parameter, as Markdown tables (docs/parameters.md).
std::string parameters_markdown();
/// The same, as plain text for a terminal; `kind` and `name` narrow it ("" for all).
std::string parameters_text(const std::string& kind, const std::string& name, bool with_params);

}  // namespace crowdsim::io
