#pragma once
/// \file `crowdsim optimize`: search incentive (or any numeric) parameters for the best value of
/// an objective under constraints, by grid refinement under common random numbers. The
/// scenario's `optimize` block says what (docs/scenarios.md).

#include <atomic>
#include <string>
#include <vector>

#include "io/scenario.hpp"
#include "io/summarize.hpp"
#include "models/recorder.hpp"

namespace crowdsim::io {

/// One evaluated point: its parameters, objective and constraint KPIs over the replications.
struct Evaluated {
  std::uint32_t point = 0;
  nlohmann::json params;
  KpiStat objective;
  std::vector<KpiStat> constraints;  ///< in the order of the block's constraints
  bool feasible = false;             ///< every constraint met by its mean
};

/// The search's result: every point in evaluation order, and the best feasible one.
struct OptimizeResult {
  std::vector<Evaluated> points;
  std::ptrdiff_t best = -1;  ///< index into points; -1 when no point is feasible
  std::string objective_text;
  std::vector<std::string> constraint_texts;
};

/// Runs the search of `doc`'s optimize block (the scenario `base` without it), emitting every run
/// into `recorder`. Errors in the block are sim::ConfigError naming its path.
OptimizeResult optimize(const nlohmann::json& doc, const std::string& base_dir, models::Recorder& recorder,
                        unsigned threads = 1, const std::atomic<bool>* interrupt = nullptr);

/// A readable report: the best point with 95% intervals, and the top of the ranking.
void print_optimum(const OptimizeResult& r, std::ostream& out);

}  // namespace crowdsim::io
