#pragma once
/// \file `crowdsim optimize`: search incentive (or any numeric) parameters for the best value of
/// an objective under constraints, by grid refinement under common random numbers. The
/// scenario's `optimize` block says what (docs/scenarios.md; read by io/optimize_block.hpp).

#include <atomic>
#include <string>
#include <vector>

#include "experiment/summarize.hpp"
#include "io/scenario.hpp"
#include "models/recorder.hpp"

namespace crowdsim::experiment {

/// One evaluated point: its parameters, objective and constraint KPIs over the replications.
struct Evaluated {
  std::uint32_t point = 0;
  nlohmann::json params;
  KpiStat objective;
  std::vector<KpiStat> constraints;  ///< in the order of the block's constraints
  std::vector<std::size_t> met;      ///< per constraint, the runs whose value meets it
  std::size_t runs = 0;              ///< replications run at this point
  std::vector<KpiStat> kpis;         ///< every KPI, as OptimizeResult::kpi_names (intervals by kind)
  bool feasible = false;             ///< every constraint met by its mean, every run with a value
};

/// The search's result: every point in evaluation order, and the best feasible one.
struct OptimizeResult {
  std::vector<Evaluated> points;
  std::ptrdiff_t best = -1;  ///< index into points; -1 when no point is feasible
  std::string objective_text;
  std::vector<std::string> constraint_texts;
  std::vector<std::string> constraint_kpis;     ///< the KPI each constraint bounds
  std::vector<std::string> kpi_names;
  std::vector<std::string> param_names;         ///< the searched parameters, as the block lists them
  std::vector<std::pair<double, double>> range;  ///< each one's [min, max]
  /// What a reader must know: the optimum on a bound of the range, points where every run
  /// failed a constraint. One sentence each, without "warning: ".
  std::vector<std::string> warnings;
  /// The optimum run again on fresh draws (the scenario's seed + 1, as many replications): its
  /// estimates are unbiased, where the search's are optimistic (they chose the point). Its runs
  /// are the output's last point (`fresh.point`, not in `points`); runs == 0 when there was no
  /// choice to make (no feasible point, or a single point evaluated).
  Evaluated fresh;
  std::uint64_t fresh_seed = 0;
};

/// Runs the search of `doc`'s optimize block (the scenario `base` without it), emitting every run
/// into `recorder`. Errors in the block are sim::ConfigError naming its path.
OptimizeResult optimize(const nlohmann::json& doc, const std::string& base_dir, models::Recorder& recorder,
                        unsigned threads = 1, const std::atomic<bool>* interrupt = nullptr);

/// The root attribute "optimum" of an optimize output (docs/hdf5-layout.md), as JSON text:
/// {"point": P, "params": {...}, "objective": mean, "objective_text": "...", "constraints": [...],
/// "fresh": {"point": F, "seed": S, "objective": mean, "low": l, "high": h}} with "point": null
/// when no point is feasible and "fresh" only when the optimum was run again.
std::string optimum_json(const OptimizeResult& r);
/// A readable report: the best point, every KPI there with 95% intervals (by each KPI's kind,
/// docs/statistics.md), and each constraint as the share of replications that meet it.
void print_optimum(const OptimizeResult& r, std::ostream& out);
/// The parameters of a point with the fewest digits that tell the evaluated values apart:
/// "tasks.bounty=0.05, incentive.beta=-0.5".
std::string point_text(const OptimizeResult& r, const nlohmann::json& params);

}  // namespace crowdsim::experiment
