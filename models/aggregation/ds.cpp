#include <algorithm>
#include <cmath>

#include "models/aggregation/aggregator.hpp"
#include "models/registry.hpp"
#include "models/aggregation/posterior.hpp"

namespace crowdsim::models {

/// Dawid & Skene (1979): each worker has a full confusion matrix; EM alternates the items'
/// posterior over true labels (E) and the class priors and confusion matrices (M), starting
/// from the majority vote's soft counts. 100 iterations at most, stopping when the posteriors
/// move by less than 1e-7.
class DawidSkene final : public Aggregator {
 public:
  static constexpr int kMaxIterations = 100;
  static constexpr double kTolerance = 1e-7;
  DawidSkene() { convergence_ = Convergence{kMaxIterations, kTolerance}; }
  std::vector<Estimate> aggregate(const AnswerSet& a) const override {
    const auto n = static_cast<std::size_t>(a.items), m = static_cast<std::size_t>(a.workers),
               k = static_cast<std::size_t>(a.classes);
    std::vector<double> t = detail::vote_shares(a), log_t(n * k), conf(m * k * k);  // conf[w][true][given]
    warnings_.clear();
    double moved = 0;
    for (int iter = 0; iter < kMaxIterations; ++iter) {
      // M step.
      std::vector<double> prior = detail::class_priors(t, k);
      std::fill(conf.begin(), conf.end(), 1e-9);  // a trace of smoothing keeps logs finite
      for (const auto& x : a.answers)
        for (std::size_t c = 0; c < k; ++c)
          conf[(static_cast<std::size_t>(x.worker) * k + c) * k + static_cast<std::size_t>(x.label)] +=
              t[static_cast<std::size_t>(x.item) * k + c];
      for (std::size_t w = 0; w < m; ++w)
        for (std::size_t c = 0; c < k; ++c) {
          double row = 0;
          for (std::size_t l = 0; l < k; ++l) row += conf[(w * k + c) * k + l];
          for (std::size_t l = 0; l < k; ++l) conf[(w * k + c) * k + l] /= row;
        }
      // E step, in logs.
      detail::start_from_priors(log_t, prior);
      for (const auto& x : a.answers)
        for (std::size_t c = 0; c < k; ++c)
          log_t[static_cast<std::size_t>(x.item) * k + c] +=
              std::log(conf[(static_cast<std::size_t>(x.worker) * k + c) * k + static_cast<std::size_t>(x.label)]);
      if ((moved = detail::softmax_rows(log_t, t, k)) < kTolerance) break;
    }
    detail::note_cap(warnings_, convergence_, "ds", moved);
    return detail::estimates(a, t);
  }
};

CROWDSIM_REGISTER {
  aggregators().add("ds", "Dawid-Skene EM: a full confusion matrix per worker, class priors; started from majority vote", [] { return std::make_unique<DawidSkene>(); });
}

}  // namespace crowdsim::models
