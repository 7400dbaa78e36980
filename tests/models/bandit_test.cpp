// The learning cores of the assignment policies on textbook problems: bandit regret against
// random play, LinUCB on a linear contextual problem, the online logistic model's AUC.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <numeric>

#include "models/assignment/bandit.hpp"
#include "models/assignment/logistic.hpp"

using namespace crowdsim;

namespace {

// Pseudo-regret Σ (μ* − μ_chosen) of `bandit` over `rounds` plays of Bernoulli arms `mu`.
double regret(models::Bandit& bandit, const std::vector<double>& mu, int rounds, std::uint32_t seed) {
  sim::Stream rng(sim::StreamKey{seed, 0, 2, 0});
  std::vector<std::uint32_t> arms(mu.size());
  std::iota(arms.begin(), arms.end(), 0u);
  double best = *std::max_element(mu.begin(), mu.end()), total = 0;
  for (int t = 0; t < rounds; ++t) {
    std::uint32_t a = bandit.choose(arms, rng);
    total += best - mu[a];
    bandit.update(a, rng.uniform01() < mu[a] ? 1.0 : 0.0);
  }
  return total;
}

// Rank AUC (Mann–Whitney): the chance a random positive scores above a random negative.
double auc(const std::vector<double>& score, const std::vector<int>& label) {
  std::vector<std::size_t> idx(score.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  double rank_sum = 0, pos = 0;
  for (std::size_t r = 0; r < idx.size(); ++r)
    if (label[idx[r]]) rank_sum += static_cast<double>(r + 1), pos += 1;
  double neg = static_cast<double>(score.size()) - pos;
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

}  // namespace

// Ten arms, means 0.05 … 0.9. Random play loses (0.9 − mean) per round, about 4,400 over 10^4
// rounds; each learner, averaged over 5 seeds, must lose under a fifth of that.
TEST_CASE("models::Bandit: regret after 10^4 rounds is below 0.2 x random's", "[models][bandit]") {
  const std::vector<double> mu{0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05};
  const int rounds = 10000;
  double mean_mu = std::accumulate(mu.begin(), mu.end(), 0.0) / static_cast<double>(mu.size());
  double random_regret = rounds * (0.9 - mean_mu);
  auto random_play = models::make_epsilon_greedy(1.0);  // always explores: uniform play
  double measured_random = 0;
  for (std::uint32_t s = 0; s < 5; ++s) measured_random += regret(*random_play, mu, rounds, s) / 5;
  CHECK(measured_random == Approx(random_regret).epsilon(0.03));  // the yardstick itself
  struct Case {
    const char* name;
    std::function<std::unique_ptr<models::Bandit>()> make;
  };
  for (const Case& c : {Case{"epsilon_greedy", [] { return models::make_epsilon_greedy(0.1); }},
                        Case{"ucb", [] { return models::make_ucb(1.0); }},
                        Case{"thompson", [] { return models::make_thompson(); }}}) {
    double r = 0;
    for (std::uint32_t s = 0; s < 5; ++s) r += regret(*c.make(), mu, rounds, s) / 5;
    INFO(c.name << ": regret " << r << " against random's " << random_regret);
    CHECK(r < 0.2 * random_regret);
  }
}

// Five arms with linear expected rewards θ_k·x over contexts x = (1, u1, u2), u uniform; the
// best arm changes with the context, so no single arm is good. Regret against the per-context
// best arm must be below a fifth of random play's.
TEST_CASE("models::LinUcb: regret on a linear contextual problem is below 0.2 x random's", "[models][bandit]") {
  const std::vector<std::array<double, 3>> theta{
      {0.1, 0.8, 0.0}, {0.1, 0.0, 0.8}, {0.5, 0.0, 0.0}, {0.9, -0.4, -0.4}, {0.2, 0.3, 0.3}};
  double lin = 0, rnd = 0;
  for (std::uint32_t seed = 0; seed < 3; ++seed) {
    models::LinUcb model(3, 1.0);
    sim::Stream rng(sim::StreamKey{seed, 0, 3, 0});
    std::vector<std::uint32_t> arms{0, 1, 2, 3, 4};
    std::vector<double> ctx(15);
    for (int t = 0; t < 10000; ++t) {
      double x[3] = {1.0, rng.uniform01(), rng.uniform01()};
      std::vector<double> mean(5);
      for (std::size_t k = 0; k < 5; ++k) {
        std::copy(x, x + 3, ctx.begin() + static_cast<std::ptrdiff_t>(3 * k));
        mean[k] = theta[k][0] * x[0] + theta[k][1] * x[1] + theta[k][2] * x[2];
      }
      double best = *std::max_element(mean.begin(), mean.end());
      std::uint32_t a = model.choose(arms, ctx);
      lin += best - mean[a];
      rnd += best - std::accumulate(mean.begin(), mean.end(), 0.0) / 5;
      model.update(a, x, rng.uniform01() < mean[a] ? 1.0 : 0.0);
    }
  }
  INFO("LinUCB regret " << lin << ", random " << rnd);
  CHECK(lin < 0.2 * rnd);
}

// Success depends on four features through a logistic model (Bayes AUC about 0.87); trained
// online on 10^4 examples, the model must reach AUC ≥ 0.8 on 5,000 fresh ones. On a stream
// where success ignores the features it must not (AUC near 0.5): the test can fail.
TEST_CASE("models::OnlineLogistic: AUC >= 0.8 on a stream where success depends on the features", "[models][learned]") {
  auto run = [](bool informative) {
    const double truth[5] = {-0.5, 1.5, -1.2, 0.8, 0.0};
    sim::Stream rng(sim::StreamKey{21, 0, 4, 0});
    boost::random::normal_distribution<double> normal;
    models::OnlineLogistic model(5, 0.05, 1e-4);
    std::vector<double> score;
    std::vector<int> label;
    for (int t = 0; t < 15000; ++t) {
      double x[5] = {1.0, normal(rng), normal(rng), normal(rng), normal(rng)};
      double z = 0;
      for (int i = 0; i < 5; ++i) z += truth[i] * x[i];
      double p = informative ? 1.0 / (1.0 + std::exp(-z)) : 0.4;
      int y = rng.uniform01() < p ? 1 : 0;
      if (t < 10000) {
        model.update(x, y);
      } else {
        score.push_back(model.predict(x));
        label.push_back(y);
      }
    }
    return auc(score, label);
  };
  double a = run(true), noise = run(false);
  INFO("AUC " << a << " (features informative), " << noise << " (uninformative)");
  CHECK(a >= 0.8);
  CHECK(std::abs(noise - 0.5) < 0.05);
}
