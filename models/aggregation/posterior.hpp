#pragma once
/// \file Shared by the EM aggregators: a soft majority vote to start from, normalising log
/// scores into posteriors, and reading estimates off posteriors.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "models/aggregation/aggregator.hpp"

namespace crowdsim::models::detail {

/// Each item's share of answers per class (items × classes, row-major); unanswered items uniform.
inline std::vector<double> vote_shares(const AnswerSet& a) {
  const auto n = static_cast<std::size_t>(a.items), k = static_cast<std::size_t>(a.classes);
  std::vector<double> t(n * k, 0.0);
  for (const auto& x : a.answers) t[static_cast<std::size_t>(x.item) * k + static_cast<std::size_t>(x.label)] += 1;
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t c = 0; c < k; ++c) s += t[i * k + c];
    for (std::size_t c = 0; c < k; ++c) t[i * k + c] = s > 0 ? t[i * k + c] / s : 1.0 / static_cast<double>(k);
  }
  return t;
}

/// Class priors: the posteriors' mean per class (floored at 1e-12 so logs stay finite).
inline std::vector<double> class_priors(const std::vector<double>& t, std::size_t k) {
  std::vector<double> prior(k, 0.0);
  for (std::size_t i = 0; i < t.size() / k; ++i)
    for (std::size_t c = 0; c < k; ++c) prior[c] += t[i * k + c];
  double total = 0;
  for (double p : prior) total += p;
  for (double& p : prior) p = std::max(p / total, 1e-12);
  return prior;
}

/// Log scores starting from the log class priors, one row per item.
inline void start_from_priors(std::vector<double>& log_t, const std::vector<double>& prior) {
  const std::size_t k = prior.size();
  for (std::size_t i = 0; i < log_t.size() / k; ++i)
    for (std::size_t c = 0; c < k; ++c) log_t[i * k + c] = std::log(prior[c]);
}

/// Turns log scores (items × k) into posteriors in `t`; returns the largest change.
inline double softmax_rows(const std::vector<double>& log_t, std::vector<double>& t, std::size_t k) {
  double moved = 0;
  for (std::size_t i = 0; i < t.size() / k; ++i) {
    auto row = log_t.begin() + static_cast<std::ptrdiff_t>(i * k);
    double top = *std::max_element(row, row + static_cast<std::ptrdiff_t>(k)), z = 0;
    for (std::size_t c = 0; c < k; ++c) z += std::exp(log_t[i * k + c] - top);
    for (std::size_t c = 0; c < k; ++c) {
      double p = std::exp(log_t[i * k + c] - top) / z;
      moved = std::max(moved, std::abs(p - t[i * k + c]));
      t[i * k + c] = p;
    }
  }
  return moved;
}

/// Posteriors within this of an item's top one count as tied with it: exact ties computed by
/// different sums of the same terms may differ in the last bits.
inline constexpr double kTieTolerance = 1e-12;

/// The most probable class of each answered item (ties broken by a.ties: pick_top) and its posterior.
inline std::vector<Estimate> estimates(const AnswerSet& a, const std::vector<double>& t) {
  const auto n = static_cast<std::size_t>(a.items), k = static_cast<std::size_t>(a.classes);
  std::vector<bool> answered(n, false);
  for (const auto& x : a.answers) answered[static_cast<std::size_t>(x.item)] = true;
  std::vector<Estimate> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!answered[i]) continue;
    std::int32_t best = pick_top(a, static_cast<std::int32_t>(i), &t[i * k], k, kTieTolerance);
    out[i] = Estimate{best, t[i * k + static_cast<std::size_t>(best)]};
  }
  return out;
}

/// Ends an EM method's aggregate() call: records in `c` how much the posteriors `moved` at the
/// last iteration, and, when that is still `c.tolerance` or more (the cap came first), a warning
/// in `warnings` naming `method`.
inline void note_cap(std::vector<std::string>& warnings, Convergence& c, const char* method, double moved) {
  c.moved = moved;
  if (!c.capped()) return;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s stopped at its cap of %d EM iterations before converging: the posteriors still moved by %.3g "
                "at the last one (tolerance %.0e)",
                method, c.cap, moved, c.tolerance);
  warnings.emplace_back(buf);
}

}  // namespace crowdsim::models::detail
