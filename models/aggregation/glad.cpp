#include "models/aggregation/aggregator.hpp"
#include "models/registry.hpp"
#include "models/aggregation/posterior.hpp"

namespace crowdsim::models {

/// GLAD (Whitehill et al., NIPS 2009): worker w has an ability α_w and item i an inverse
/// difficulty β_i = exp(b_i) > 0; w answers i right with probability σ(α_w β_i), and wrong
/// answers spread uniformly over the other K − 1 classes; the true class has a uniform prior
/// (as in the paper: learning class priors, as Dawid–Skene does, lets bluebirds collapse to
/// one-coin's 0.58 instead of 0.72). EM: the E step is the items' posteriors over the true
/// class; the M step climbs the expected log-likelihood plus the
/// paper's Gaussian priors (α ~ N(1, 1), b ~ N(0, 1)) by alternating diagonal Newton steps
/// (Fisher scoring) on the abilities and the difficulties. Started from the majority vote's shares; 100 iterations
/// at most, stopping when the posteriors move by less than 1e-6.
class Glad final : public Aggregator {
 public:
  static constexpr int kMaxIterations = 100;
  static constexpr double kTolerance = 1e-6;
  Glad() { convergence_ = Convergence{kMaxIterations, kTolerance}; }
  std::vector<Estimate> aggregate(const AnswerSet& a) const override {
    const auto n = static_cast<std::size_t>(a.items), m = static_cast<std::size_t>(a.workers),
               k = static_cast<std::size_t>(a.classes);
    const double wrong_share = std::log(std::max(static_cast<double>(k) - 1, 1.0));
    std::vector<double> t = detail::vote_shares(a), log_t(n * k);
    std::vector<double> alpha(m, 1.0), b(n, 0.0), ga(m), gb(n), ha(m), hb(n);
    auto sigmoid = [](double z) { return 1.0 / (1.0 + std::exp(-z)); };
    warnings_.clear();
    double moved = 0;
    for (int iter = 0; iter < kMaxIterations; ++iter) {
      // M step. Alternating diagonal Newton steps: abilities given difficulties, then difficulties.
      for (int step = 0; step < 10; ++step) {
        for (int side = 0; side < 2; ++side) {
          std::vector<double>& g = side == 0 ? ga : gb;
          std::vector<double>& h = side == 0 ? ha : hb;
          for (std::size_t w = 0; w < m && side == 0; ++w) g[w] = -(alpha[w] - 1.0), h[w] = 1.0;
          for (std::size_t i = 0; i < n && side == 1; ++i) g[i] = -b[i], h[i] = 1.0;
          for (const auto& x : a.answers) {
            auto w = static_cast<std::size_t>(x.worker), i = static_cast<std::size_t>(x.item);
            double beta = std::exp(b[i]), s = sigmoid(alpha[w] * beta);
            double d = t[i * k + static_cast<std::size_t>(x.label)] - s;  // q − σ: d/dz of the expected log-likelihood
            double dz = side == 0 ? beta : alpha[w] * beta;                // dz/dα or dz/db
            g[side == 0 ? w : i] += d * dz;
            h[side == 0 ? w : i] += s * (1 - s) * dz * dz;                 // Fisher information
          }
          if (side == 0)
            for (std::size_t w = 0; w < m; ++w) alpha[w] += ga[w] / ha[w];
          else
            for (std::size_t i = 0; i < n; ++i) b[i] = std::clamp(b[i] + gb[i] / hb[i], -5.0, 5.0);
        }
      }
      // E step, in logs.
      std::fill(log_t.begin(), log_t.end(), 0.0);  // uniform class prior
      for (const auto& x : a.answers) {
        auto w = static_cast<std::size_t>(x.worker), i = static_cast<std::size_t>(x.item);
        double p = std::clamp(sigmoid(alpha[w] * std::exp(b[i])), 1e-9, 1 - 1e-9);
        double yes = std::log(p), no = std::log(1 - p) - wrong_share;
        for (std::size_t c = 0; c < k; ++c) log_t[i * k + c] += static_cast<std::int32_t>(c) == x.label ? yes : no;
      }
      if ((moved = detail::softmax_rows(log_t, t, k)) < kTolerance) break;
    }
    detail::note_cap(warnings_, convergence_, "glad", moved);
    return detail::estimates(a, t);
  }
};

CROWDSIM_REGISTER {
  aggregators().add("glad", "GLAD (Whitehill et al. 2009): worker ability and item difficulty, EM", [] { return std::make_unique<Glad>(); });
}

}  // namespace crowdsim::models
