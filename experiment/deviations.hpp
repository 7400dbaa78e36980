#pragma once
/// \file `crowdsim deviations`: is the workers' strategy profile an equilibrium? The scenario is
/// run, then run again with one group (or, in games, one worker) deviating from its strategy
/// on a grid around it, everything else equal (common random numbers, the same tasks taken);
/// a deviation whose realized utility per assignment is significantly higher would be a
/// profitable one, and so a bug in the best response or in the model (docs/incentives.md).
/// Taking part is tested too: staying out (the outside option) against the utility realized,
/// and taking the task types stayed out of against that outside option.

#include <atomic>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "experiment/summarize.hpp"
#include "io/scenario.hpp"

namespace crowdsim::experiment {

/// What to deviate and how.
struct DeviationOptions {
  std::string group;                   ///< the deviating group's name; empty: the first strategic group
  bool whole_group = false;            ///< in games too, the whole group deviates (else one worker)
  std::vector<double> effort_factors;  ///< e = e* · factor; empty: 0.8, 0.9, 1, 1.1, 1.25
  std::vector<double> delay_shifts;    ///< d = max(0, d* + shift · T); empty: ±0.25, ±0.1, 0 when pay depends on time, else 0, 0.1
  unsigned threads = 1;
};

/// A deviation in taking part rather than in effort or delay.
enum class Participation {
  kKeep,     ///< the deviators take the task types they take under their strategies
  kStayOut,  ///< they take no task: utility 0, the outside option (from the strategy's runs)
  kEnter,    ///< they also take the types they would stay out of, each at its strategy
};

/// One deviation and what it did.
struct DeviationRow {
  Participation participation = Participation::kKeep;
  double effort_factor = 1.0;
  double delay_shift = 0.0;          ///< seconds
  double utility = 0.0;              ///< realized utility per assignment of the deviators (mean over replications)
  KpiStat gain;                      ///< realized gain per assignment over the strategy, paired by replication
  double expected_gain = 0.0;        ///< the model's expected gain per assignment (kEnter: per assignment entered)
  bool significant = false;          ///< the gain's interval lies above 0
  /// No deviation at all: the same utility as the strategy in every replication (an effort the
  /// group's range clamps back to the strategy's). Listed, but not tested nor counted in the
  /// Bonferroni correction.
  bool null = false;
  /// A null row whose deviation is in effort alone: the group's range clamped it back (else the
  /// deviation had no effect, e.g. a delay that nobody's pay or cost depends on).
  bool clamped = false;
};

/// The whole check.
struct DeviationReport {
  std::string group;
  bool one_worker = false;           ///< the group's first worker deviates (games), not the whole group
  bool game = false;                 ///< pay depends on the others' answers (contests, agreement review)
  std::uint32_t replications = 0;
  double baseline_utility = 0.0;     ///< realized utility per assignment of the deviators, following the strategy
  double assignments = 0.0;          ///< the deviators' assignments per run, on average
  double confidence = 0.95;          ///< of each interval: 1 − 0.05 / deviations tested (Bonferroni)
  std::vector<DeviationRow> rows;
  /// Which deviation in taking part is not among the rows, and why (empty when both are).
  std::string participation_untested;
  int significant = 0;               ///< deviations with a significant gain
  int tested = 0;                    ///< deviations with a gain in at least 2 replications (an interval)
};

/// Runs the check on `s` (its sweep, if any, is ignored: the first point is checked). Errors in
/// the options are sim::ConfigError.
DeviationReport check_deviations(const io::Scenario& s, const DeviationOptions& options,
                                 const std::atomic<bool>* interrupt = nullptr);

/// The report as a table, with a closing verdict.
void print_deviations(const DeviationReport& r, std::ostream& out);

}  // namespace crowdsim::experiment
