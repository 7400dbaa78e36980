#pragma once
/// \file What the code declares, as documents: the scenario's JSON Schema (scenarios/schema.json)
/// and the parameter tables (docs/parameters.md). Both are generated (`crowdsim schema`,
/// `crowdsim list --params --markdown`, `make schema`) and a test fails when the committed
/// copies differ from what the code declares.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/params.hpp"

namespace crowdsim::io {

/// The scenario format as a JSON Schema (draft 2020-12): io/schema_skeleton.json arranges the
/// pieces, which come from the declarations of the platform's sections and of every registered
/// kind and of the distributions; only what has no declaration (a value of several forms, a
/// rule across keys) is written by hand there.
nlohmann::ordered_json scenario_schema();
/// Every declared section of the scenario: the top level, then the platform's (tasks, workers,
/// ...), in the order docs/parameters.md shows them.
std::vector<const sim::Section*> scenario_sections();
/// Every section, registered kind, entry and parameter, as Markdown tables (docs/parameters.md).
std::string parameters_markdown();
/// The same, as plain text for a terminal; `kind` and `name` narrow it ("" for all; kind
/// "scenario" is the platform's sections, `name` one of their paths).
std::string parameters_text(const std::string& kind, const std::string& name, bool with_params);

}  // namespace crowdsim::io
