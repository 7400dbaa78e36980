#pragma once
/// \file Confidence intervals of a mean over replications that respect the KPI's range, tests
/// of a difference from a baseline, and Holm's correction (docs/statistics.md).
///
/// - unbounded KPIs: Student t, mean ± t(n−1) · s/√n;
/// - proportions (values in [0, 1]): the t interval built on the logit scale by the delta
///   method, logit(m) ± t · se/(m(1−m)), mapped back: inside (0, 1) whatever n and the spread;
/// - positive quantities and counts: the same on the log scale, m · exp(± t · se/m): above 0.
/// Both transformed intervals are centred (on their scale) on the mean of the replications,
/// so they are intervals of the mean, not of a geometric mean; for small se they equal the
/// Student t interval. Deterministic: no resampling, so the same file gives the same table.

#include <cstddef>
#include <vector>

#include "experiment/kpi_meta.hpp"

namespace crowdsim::experiment {

/// A mean over replications with its interval. low/high are NaN with fewer than 2 finite values.
struct KpiStat {
  double mean = 0, low = 0, high = 0;
  std::size_t n = 0;      ///< runs with a finite value (NaN values, e.g. the accuracy of a run
                          ///< that closed no task, are left out)
  std::size_t total = 0;  ///< runs given, finite or not
};

/// Mean and `confidence` interval of the finite `values`, by the method of `kind`.
KpiStat kpi_stat(const std::vector<double>& values, double confidence = 0.95,
                 KpiKind kind = KpiKind::kUnbounded);
/// The interval's method in words, for footnotes: "Student t", "logit-scale t", "log-scale t".
const char* interval_method(KpiKind kind);

/// Two-sided p-value of the paired t test of mean(d) = 0 (scipy.stats.ttest_rel); 1 when every
/// difference is 0, 0 when they are all equal and not 0; NaN with fewer than 2 differences.
double paired_t_p(const std::vector<double>& d);
/// Two-sided p-value of Welch's unequal-variance t test of equal means of the finite values of
/// `a` and `b` (scipy.stats.ttest_ind(a, b, equal_var=False)); NaN with fewer than 2 in either.
double welch_t_p(const std::vector<double>& a, const std::vector<double>& b);
/// Holm's step-down adjustment of `p` (NaN entries stay NaN and do not count among the tests):
/// the i-th smallest becomes max over j <= i of min(1, (m − j + 1) p_(j)).
std::vector<double> holm(const std::vector<double>& p);

}  // namespace crowdsim::experiment
