#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "models/incentive/policy.hpp"

namespace crowdsim::models {
namespace {

// P(X = j) for X ~ Binomial(n, p), j = 0 .. n, into `out`.
void binomial_pmf(int n, double p, std::vector<double>& out) {
  out.assign(static_cast<std::size_t>(n) + 1, 0.0);
  if (p <= 0.0 || p >= 1.0) {
    out[p <= 0.0 ? 0 : static_cast<std::size_t>(n)] = 1.0;
    return;
  }
  // By the recurrence P(j) = P(j - 1) (n - j + 1) / j · p / (1 - p), from (1 - p)^n; in logs
  // when (1 - p)^n underflows.
  double first = std::pow(1.0 - p, n);
  if (first > 1e-280) {
    out[0] = first;
    double ratio = p / (1.0 - p);
    for (int j = 1; j <= n; ++j) out[static_cast<std::size_t>(j)] = out[static_cast<std::size_t>(j - 1)] * (n - j + 1) / j * ratio;
    return;
  }
  double lp = std::log(p), lq = std::log1p(-p), lgn = std::lgamma(n + 1.0);
  for (int j = 0; j <= n; ++j)
    out[static_cast<std::size_t>(j)] = std::exp(lgn - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0) + j * lp + (n - j) * lq);
}

/// A contest: when the task closes its submissions are ranked by review, and the i-th best earns
/// prizes[i] · k. Submissions with equal reviews share equally the prizes of the places they
/// occupy together, so the outcome never depends on the order they came in.
class Tournament final : public IncentivePolicy {
 public:
  explicit Tournament(std::vector<double> prizes) : prizes_(std::move(prizes)) {}
  bool pays_at_close() const override { return true; }
  double reward(const Submission& s) const override { return s.bounty * prizes_[0]; }  // alone: first place
  std::vector<double> rewards_at_close(const std::vector<Submission>& subs) const override {
    std::vector<std::size_t> order(subs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return subs[a].review > subs[b].review; });
    std::vector<double> out(subs.size(), 0.0);
    for (std::size_t i = 0; i < order.size();) {
      std::size_t j = i;  // [i, j): one group of equal reviews
      while (j < order.size() && subs[order[j]].review == subs[order[i]].review) ++j;
      double pool = 0.0;
      for (std::size_t place = i; place < j && place < prizes_.size(); ++place) pool += prizes_[place];
      for (std::size_t m = i; m < j; ++m)
        out[order[m]] = subs[order[m]].bounty * pool / static_cast<double>(j - i);
      i = j;
    }
    return out;
  }
  // Of the n rivals, a number `above` is reviewed higher and, of the others, `tied` equal: the
  // submission then shares the prizes of places above .. above + tied with the tied ones. Only
  // placings with a prize count, so the cost is (prizes) x (rivals).
  double contest_reward(double bounty, int rivals, double below, double equal) const override {
    const int n = std::max(rivals, 0);
    const double above = std::clamp(1.0 - below - equal, 0.0, 1.0);
    std::vector<double> cum(prizes_.size() + 1, 0.0);  // cum[i]: prizes of places 0 .. i - 1
    for (std::size_t i = 0; i < prizes_.size(); ++i) cum[i + 1] = cum[i] + prizes_[i];
    auto pool = [&](int from, int to) {  // prizes of places from .. to, inclusive
      auto clip = [&](int i) { return cum[static_cast<std::size_t>(std::min<std::size_t>(static_cast<std::size_t>(i), prizes_.size()))]; };
      return clip(to + 1) - clip(from);
    };
    thread_local std::vector<double> p_above, p_tied;
    binomial_pmf(n, above, p_above);
    double not_above = below + equal, tie_share = not_above > 0 ? equal / not_above : 0.0;
    double expected = 0.0;
    for (int a = 0; a <= n && a < static_cast<int>(prizes_.size()); ++a) {
      double pa = p_above[static_cast<std::size_t>(a)];
      if (pa == 0.0) continue;
      if (tie_share == 0.0) {
        expected += pa * prizes_[static_cast<std::size_t>(a)];
        continue;
      }
      binomial_pmf(n - a, tie_share, p_tied);
      for (int t = 0; t <= n - a; ++t) expected += pa * p_tied[static_cast<std::size_t>(t)] * pool(a, a + t) / (t + 1);
    }
    return bounty * expected;
  }
  RewardShape shape() const override { return {false, RewardShape::Review::kGeneral, 0.0}; }
  double max_reward(double bounty, double) const override { return bounty * prizes_[0]; }
  double max_task_cost(double bounty, double, int redundancy) const override {
    auto n = std::min(prizes_.size(), static_cast<std::size_t>(std::max(redundancy, 0)));
    return bounty * std::accumulate(prizes_.begin(), prizes_.begin() + static_cast<std::ptrdiff_t>(n), 0.0);
  }
  std::string describe() const override {
    std::ostringstream os;
    os << "top " << prizes_.size() << " by r earn k * [";
    for (std::size_t i = 0; i < prizes_.size(); ++i) os << (i ? ", " : "") << prizes_[i];
    os << "]; ties share their places' prizes";
    return os.str();
  }

 private:
  std::vector<double> prizes_;
};

}  // namespace

CROWDSIM_REGISTER {
  incentive_policies().add(
      {"tournament",
       "at close, the i-th best submission by r earns prizes[i] * k; ties share their places' prizes",
       {sim::integer("winners", 1, 1, 10'000, "places that win a prize"),
        sim::optional_numbers("prizes", sim::Bounds::non_negative(),
                             "multiples of k for places 1..winners, not increasing; absent: all 1")},
       [](const sim::Params& p) {
         auto winners = static_cast<std::size_t>(p.integer("winners"));
         std::vector<double> prizes(winners, 1.0);
         if (p.has("prizes")) {
           prizes = p.numbers("prizes", winners);
           for (std::size_t i = 1; i < prizes.size(); ++i)
             if (prizes[i] > prizes[i - 1])
               throw sim::ConfigError(p.config().path_of("prizes") + "." + std::to_string(i),
                                      "prizes that do not increase with the place (at most " +
                                          std::to_string(prizes[i - 1]) + ")",
                                      std::to_string(prizes[i]));
         }
         return std::make_unique<Tournament>(std::move(prizes));
       }});
}

}  // namespace crowdsim::models
