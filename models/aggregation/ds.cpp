#include <algorithm>
#include <cmath>

#include "models/aggregation/aggregator.hpp"

namespace crowdsim::models {

/// Dawid & Skene (1979): each worker has a full confusion matrix; EM alternates the items'
/// posterior over true labels (E) and the class priors and confusion matrices (M), starting
/// from the majority vote's soft counts. 100 iterations at most, stopping when the posteriors
/// move by less than 1e-7.
class DawidSkene final : public Aggregator {
 public:
  std::vector<Estimate> aggregate(const AnswerSet& a) const override {
    const auto n = static_cast<std::size_t>(a.items), m = static_cast<std::size_t>(a.workers),
               k = static_cast<std::size_t>(a.classes);
    std::vector<double> T(n * k, 0.0);  // posterior T[i][c]
    for (const auto& x : a.answers) T[static_cast<std::size_t>(x.item) * k + static_cast<std::size_t>(x.label)] += 1;
    normalise(T, n, k);
    std::vector<double> prior(k), conf(m * k * k);  // conf[w][true][given]
    for (int iter = 0; iter < 100; ++iter) {
      // M step.
      std::fill(prior.begin(), prior.end(), 0.0);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < k; ++c) prior[c] += T[i * k + c];
      double total = 0;
      for (double p : prior) total += p;
      for (double& p : prior) p = std::max(p / total, 1e-12);
      std::fill(conf.begin(), conf.end(), 1e-9);  // a trace of smoothing keeps logs finite
      for (const auto& x : a.answers)
        for (std::size_t c = 0; c < k; ++c)
          conf[(static_cast<std::size_t>(x.worker) * k + c) * k + static_cast<std::size_t>(x.label)] +=
              T[static_cast<std::size_t>(x.item) * k + c];
      for (std::size_t w = 0; w < m; ++w)
        for (std::size_t c = 0; c < k; ++c) {
          double row = 0;
          for (std::size_t l = 0; l < k; ++l) row += conf[(w * k + c) * k + l];
          for (std::size_t l = 0; l < k; ++l) conf[(w * k + c) * k + l] /= row;
        }
      // E step, in logs.
      std::vector<double> logT(n * k);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < k; ++c) logT[i * k + c] = std::log(prior[c]);
      for (const auto& x : a.answers)
        for (std::size_t c = 0; c < k; ++c)
          logT[static_cast<std::size_t>(x.item) * k + c] +=
              std::log(conf[(static_cast<std::size_t>(x.worker) * k + c) * k + static_cast<std::size_t>(x.label)]);
      double moved = 0;
      for (std::size_t i = 0; i < n; ++i) {
        double top = *std::max_element(logT.begin() + static_cast<std::ptrdiff_t>(i * k),
                                       logT.begin() + static_cast<std::ptrdiff_t>((i + 1) * k));
        double z = 0;
        for (std::size_t c = 0; c < k; ++c) z += std::exp(logT[i * k + c] - top);
        for (std::size_t c = 0; c < k; ++c) {
          double p = std::exp(logT[i * k + c] - top) / z;
          moved = std::max(moved, std::abs(p - T[i * k + c]));
          T[i * k + c] = p;
        }
      }
      if (moved < 1e-7) break;
    }
    std::vector<bool> answered(n, false);
    for (const auto& x : a.answers) answered[static_cast<std::size_t>(x.item)] = true;
    std::vector<Estimate> out(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!answered[i]) continue;
      auto begin = T.begin() + static_cast<std::ptrdiff_t>(i * k);
      auto best = std::max_element(begin, begin + static_cast<std::ptrdiff_t>(k));
      out[i] = Estimate{static_cast<std::int32_t>(best - begin), *best};
    }
    return out;
  }

 private:
  static void normalise(std::vector<double>& T, std::size_t n, std::size_t k) {
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0;
      for (std::size_t c = 0; c < k; ++c) s += T[i * k + c];
      for (std::size_t c = 0; c < k; ++c) T[i * k + c] = s > 0 ? T[i * k + c] / s : 1.0 / static_cast<double>(k);
    }
  }
};

std::unique_ptr<Aggregator> make_dawid_skene() { return std::make_unique<DawidSkene>(); }

}  // namespace crowdsim::models
