#pragma once
/// \file A scenario's `optimize` block, read: the parameters searched and their ranges, the
/// objective, the constraints, the grid and the rounds (docs/scenarios.md). It is read here,
/// beside the rest of the scenario, so that the schema and docs/parameters.md come from its
/// declaration; the search itself is crowdsim optimize's (experiment/optimize.hpp).

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace crowdsim::sim {
struct Section;
}

namespace crowdsim::io {

/// One parameter searched: a dotted path of the scenario and its range.
struct OptimizeRange {
  std::string path;
  double min, max;
  bool integer;
};

/// A KPI's mean within [min, max] (an infinite end bounds nothing).
struct OptimizeConstraint {
  std::string kpi;
  double min = -std::numeric_limits<double>::infinity(), max = std::numeric_limits<double>::infinity();
};

/// objective = kpi − sign · Σ weight_j · kpi_j, maximised (sign +1) or minimised (sign −1): a
/// penalty always counts against the point
struct OptimizeObjective {
  std::string kpi;
  double sign = 1;  ///< +1 maximise, −1 minimise
  std::vector<std::pair<std::string, double>> penalties;
};

/// The whole block.
struct OptimizeBlock {
  std::vector<OptimizeRange> ranges;  ///< in the block's order
  OptimizeObjective objective;
  std::vector<OptimizeConstraint> constraints;
  int grid = 5;    ///< points per parameter in each round
  int rounds = 3;  ///< rounds of refinement around the best point
};

/// The keys of an optimize block, declared once beside its reader (crowdsim list --params scenario).
const std::vector<const sim::Section*>& optimize_sections();

/// Reads the optimize block of the scenario `doc`. Errors are sim::ConfigError naming the path
/// inside the block (and one when `doc` has no optimize block, or a sweep beside it).
OptimizeBlock read_optimize_block(const nlohmann::json& doc);

}  // namespace crowdsim::io
