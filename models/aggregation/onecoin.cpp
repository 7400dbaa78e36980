#include "models/aggregation/aggregator.hpp"
#include "models/registry.hpp"
#include "models/aggregation/posterior.hpp"

namespace crowdsim::models {

/// One-coin Dawid–Skene: each worker has one accuracy p_w and spreads its errors uniformly over
/// the other K − 1 classes; EM over p_w, the class priors and the items' posteriors, started
/// from the majority vote's shares; 100 iterations at most, stopping when the posteriors move by
/// less than 1e-7.
class OneCoin final : public Aggregator {
 public:
  static constexpr int kMaxIterations = 100;
  static constexpr double kTolerance = 1e-7;
  OneCoin() { convergence_ = Convergence{kMaxIterations, kTolerance}; }
  std::vector<Estimate> aggregate(const AnswerSet& a) const override {
    const auto n = static_cast<std::size_t>(a.items), m = static_cast<std::size_t>(a.workers),
               k = static_cast<std::size_t>(a.classes);
    std::vector<double> t = detail::vote_shares(a), log_t(n * k), right(m), total(m);
    warnings_.clear();
    double moved = 0;
    for (int iter = 0; iter < kMaxIterations; ++iter) {
      // M step: priors and each worker's expected share of right answers.
      std::vector<double> prior = detail::class_priors(t, k);
      std::fill(right.begin(), right.end(), 0.0);
      std::fill(total.begin(), total.end(), 0.0);
      for (const auto& x : a.answers) {
        auto w = static_cast<std::size_t>(x.worker);
        right[w] += t[static_cast<std::size_t>(x.item) * k + static_cast<std::size_t>(x.label)];
        total[w] += 1;
      }
      // E step, in logs (accuracies kept inside [1e-6, 1 − 1e-6] so logs stay finite).
      detail::start_from_priors(log_t, prior);
      for (const auto& x : a.answers) {
        auto w = static_cast<std::size_t>(x.worker);
        double p = std::clamp(right[w] / total[w], 1e-6, 1 - 1e-6);
        double yes = std::log(p), no = std::log((1 - p) / std::max(static_cast<double>(k) - 1, 1.0));
        for (std::size_t c = 0; c < k; ++c)
          log_t[static_cast<std::size_t>(x.item) * k + c] += static_cast<std::int32_t>(c) == x.label ? yes : no;
      }
      if ((moved = detail::softmax_rows(log_t, t, k)) < kTolerance) break;
    }
    detail::note_cap(warnings_, convergence_, "onecoin", moved);
    return detail::estimates(a, t);
  }
};

CROWDSIM_REGISTER {
  aggregators().add("onecoin", "one-coin Dawid-Skene EM: one accuracy per worker, errors uniform", [] { return std::make_unique<OneCoin>(); });
}

}  // namespace crowdsim::models
