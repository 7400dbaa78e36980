#pragma once
/// \file Shared by the EM aggregators: a soft majority vote to start from, normalising log
/// scores into posteriors, and reading estimates off posteriors.

#include <algorithm>
#include <cmath>
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

/// The most probable class of each answered item (ties to the smaller label) and its posterior.
inline std::vector<Estimate> estimates(const AnswerSet& a, const std::vector<double>& t) {
  const auto n = static_cast<std::size_t>(a.items), k = static_cast<std::size_t>(a.classes);
  std::vector<bool> answered(n, false);
  for (const auto& x : a.answers) answered[static_cast<std::size_t>(x.item)] = true;
  std::vector<Estimate> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!answered[i]) continue;
    auto begin = t.begin() + static_cast<std::ptrdiff_t>(i * k);
    auto best = std::max_element(begin, begin + static_cast<std::ptrdiff_t>(k));
    out[i] = Estimate{static_cast<std::int32_t>(best - begin), *best};
  }
  return out;
}

}  // namespace crowdsim::models::detail
