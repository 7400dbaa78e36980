#include "models/assignment/bandit.hpp"

#include <cmath>
#include <Eigen/Dense>
#include <limits>

#include "sim/gamma.hpp"

namespace crowdsim::models {

void Bandit::update(std::uint32_t arm, double reward) {
  if (arm >= n_.size()) n_.resize(arm + 1, 0.0), sum_.resize(arm + 1, 0.0);
  n_[arm] += 1.0;
  sum_[arm] += reward;
  total_ += 1.0;
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The first arm with the highest score.
template <class Score>
std::uint32_t argmax(const std::vector<std::uint32_t>& arms, Score score) {
  std::uint32_t best = arms.front();
  double top = -kInf;
  for (std::uint32_t a : arms) {
    double s = score(a);
    if (s > top) best = a, top = s;
  }
  return best;
}

class EpsilonGreedy final : public Bandit {
 public:
  explicit EpsilonGreedy(double e) : epsilon_(e) {}
  std::uint32_t choose(const std::vector<std::uint32_t>& arms, sim::Stream& rng) override {
    if (rng.uniform01() < epsilon_) return arms[static_cast<std::size_t>(rng.uniform01() * arms.size())];
    return argmax(arms, [&](std::uint32_t a) { return pulls(a) > 0 ? mean(a) : kInf; });
  }

 private:
  double epsilon_;
};

class Ucb final : public Bandit {
 public:
  explicit Ucb(double c) : c_(c) {}
  std::uint32_t choose(const std::vector<std::uint32_t>& arms, sim::Stream&) override {
    double log_n = std::log(std::max(total(), 1.0));
    return argmax(arms, [&](std::uint32_t a) {
      return pulls(a) > 0 ? mean(a) + c_ * std::sqrt(2.0 * log_n / pulls(a)) : kInf;
    });
  }

 private:
  double c_;
};

class Thompson final : public Bandit {
 public:
  std::uint32_t choose(const std::vector<std::uint32_t>& arms, sim::Stream& rng) override {
    return argmax(arms, [&](std::uint32_t a) {
      double s = mean(a) * pulls(a);
      return sim::beta_draw(rng, 1.0 + s, 1.0 + pulls(a) - s);
    });
  }
};

}  // namespace

std::unique_ptr<Bandit> make_epsilon_greedy(double epsilon) { return std::make_unique<EpsilonGreedy>(epsilon); }
std::unique_ptr<Bandit> make_ucb(double c) { return std::make_unique<Ucb>(c); }
std::unique_ptr<Bandit> make_thompson() { return std::make_unique<Thompson>(); }

// ---- LinUCB ------------------------------------------------------------------------------

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void LinUcb::grow(std::uint32_t arm) {
  if (arm < seen_.size()) return;
  std::size_t old = seen_.size(), d = dim_;
  seen_.resize(arm + 1, 1);
  a_inv_.resize((arm + 1) * d * d, 0.0);
  b_.resize((arm + 1) * d, 0.0);
  for (std::size_t a = old; a <= arm; ++a)
    for (std::size_t i = 0; i < d; ++i) a_inv_[a * d * d + i * d + i] = 1.0;  // A = I
}

double LinUcb::bound(std::uint32_t arm, const double* xp) const {
  const auto d = static_cast<Eigen::Index>(dim_);
  Eigen::Map<const Eigen::VectorXd> x(xp, d);
  if (arm >= seen_.size()) return alpha_ * x.norm();  // A = I, θ̂ = 0
  Eigen::Map<const RowMatrix> a_inv(&a_inv_[arm * dim_ * dim_], d, d);
  Eigen::Map<const Eigen::VectorXd> b(&b_[arm * dim_], d);
  Eigen::VectorXd ax = a_inv * x;
  return (a_inv * b).dot(x) + alpha_ * std::sqrt(std::max(x.dot(ax), 0.0));
}

std::uint32_t LinUcb::choose(const std::vector<std::uint32_t>& arms, const std::vector<double>& contexts) {
  std::uint32_t best = arms.front();
  double top = -kInf;
  for (std::size_t i = 0; i < arms.size(); ++i) {
    double s = bound(arms[i], &contexts[i * dim_]);
    if (s > top) best = arms[i], top = s;
  }
  return best;
}

// A ← A + x x' kept as its inverse by Sherman–Morrison: A⁻¹ − (A⁻¹x)(A⁻¹x)' / (1 + x'A⁻¹x).
void LinUcb::update(std::uint32_t arm, const double* xp, double reward) {
  grow(arm);
  const auto d = static_cast<Eigen::Index>(dim_);
  Eigen::Map<const Eigen::VectorXd> x(xp, d);
  Eigen::Map<RowMatrix> a_inv(&a_inv_[arm * dim_ * dim_], d, d);
  Eigen::Map<Eigen::VectorXd> b(&b_[arm * dim_], d);
  Eigen::VectorXd ax = a_inv * x;
  a_inv -= ax * ax.transpose() / (1.0 + x.dot(ax));
  b += reward * x;
}

}  // namespace crowdsim::models
