#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/incentive/policy.hpp"
#include "models/registry.hpp"

using namespace crowdsim::models;

namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
std::unique_ptr<IncentivePolicy> make(const nlohmann::json& j) {
  return incentive_policies().create(j, "incentive");
}
// k = 2, T = 100 s.
Submission sub(double t, double r, double deadline_left = kInfinity) { return Submission{2.0, 100.0, t, r, r, deadline_left}; }
std::vector<Submission> reviews(const std::vector<double>& r) {
  std::vector<Submission> out;
  for (double x : r) out.push_back(sub(50, x));
  return out;
}
// The policy's bounds hold over a grid of submissions.
void check_bounds(const IncentivePolicy& p) {
  for (double t : {0.0, 1.0, 50.0, 100.0, 1e4})
    for (double r : {0.0, 0.3, 0.5, 0.99, 1.0})
      for (double left : {-10.0, 0.0, 10.0, kInfinity}) {
        double c = p.reward(sub(t, r, left));
        CHECK(c >= 0);
        CHECK(c <= p.max_reward(2.0, 100.0) + 1e-12);
      }
}
}  // namespace

TEST_CASE("models::incentive: linear_quality c = k (floor + (1 - floor) r)", "[models]") {
  auto plain = make({{"policy", "linear_quality"}});
  auto floored = make({{"policy", "linear_quality"}, {"floor", 0.25}});
  CHECK(plain->reward(sub(10, 0)) == 0.0);
  CHECK(plain->reward(sub(10, 1)) == 2.0);
  CHECK(plain->reward(sub(10, 0.4)) == Approx(0.8));
  CHECK(floored->reward(sub(10, 0)) == Approx(0.5));
  CHECK(floored->reward(sub(10, 1)) == Approx(2.0));
  CHECK(floored->reward(sub(1e6, 0.5)) == Approx(2 * (0.25 + 0.75 * 0.5)));  // time does not matter
  check_bounds(*plain);
  check_bounds(*floored);
  CHECK_THROWS_WITH(make({{"policy", "linear_quality"}, {"floor", 1.5}}),
                    Catch::StartsWith("incentive.floor: expected a number in [0, 1], found 1.5"));
}

TEST_CASE("models::incentive: quality_threshold pays k at or above the threshold", "[models]") {
  auto p = make({{"policy", "quality_threshold"}, {"threshold", 0.7}});
  auto partial = make({{"policy", "quality_threshold"}, {"threshold", 0.7}, {"below", 0.2}});
  CHECK(p->reward(sub(10, 0.7)) == 2.0);  // exactly at the threshold
  CHECK(p->reward(sub(10, std::nextafter(0.7, 0.0))) == 0.0);
  CHECK(p->reward(sub(10, 1)) == 2.0);
  CHECK(p->reward(sub(10, 0)) == 0.0);
  CHECK(partial->reward(sub(10, 0.5)) == Approx(0.4));
  CHECK(make({{"policy", "quality_threshold"}})->reward(sub(10, 0.5)) == 2.0);  // default threshold 0.5
  check_bounds(*p);
  check_bounds(*partial);
  CHECK_THROWS_WITH(make({{"policy", "quality_threshold"}, {"threshold", 2}}),
                    Catch::StartsWith("incentive.threshold: expected a number in [0, 1], found 2"));
  CHECK_THROWS_WITH(make({{"policy", "quality_threshold"}, {"treshold", 0.5}}),
                    Catch::StartsWith("incentive.treshold") && Catch::Contains("did you mean \"threshold\""));
}

TEST_CASE("models::incentive: deadline_bonus pays the bonus on time only", "[models]") {
  auto p = make({{"policy", "deadline_bonus"}, {"bonus", 0.5}});
  CHECK(p->reward(sub(10, 0, 100)) == 2.5);        // early
  CHECK(p->reward(sub(10, 0, 0)) == 2.5);          // exactly at the deadline
  CHECK(p->reward(sub(10, 1, -1)) == 2.0);         // late
  CHECK(p->reward(sub(10, 1, kInfinity)) == 2.5);  // no deadline: always on time
  auto within = make({{"policy", "deadline_bonus"}, {"bonus", 1}, {"within", "1min"}});
  CHECK(within->reward(sub(60, 0, 5)) == 3.0);  // within 60 s of taking it, and by the deadline
  CHECK(within->reward(sub(60, 0, kInfinity)) == 3.0);  // no deadline: within alone
  CHECK(within->reward(sub(61, 0, 1e9)) == 2.0);
  CHECK(within->reward(sub(60, 0, -5)) == 2.0);  // late: no bonus, however fast (docs/hdf5-layout.md)
  check_bounds(*p);
  check_bounds(*within);
  CHECK_THROWS_WITH(make({{"policy", "deadline_bonus"}}), Catch::StartsWith("incentive.bonus:"));
  CHECK_THROWS_WITH(make({{"policy", "deadline_bonus"}, {"bonus", -1}}),
                    Catch::StartsWith("incentive.bonus: expected a number >= 0, found -1"));
  CHECK_THROWS_WITH(make({{"policy", "deadline_bonus"}, {"bonus", 1}, {"within", "soon"}}),
                    Catch::StartsWith("incentive.within:"));
}

TEST_CASE("models::incentive: tournament ranks by review and splits ties", "[models]") {
  auto one = make({{"policy", "tournament"}});
  auto two = make({{"policy", "tournament"}, {"winners", 2}, {"prizes", {1.0, 0.5}}});
  CHECK(one->pays_at_close());
  using V = std::vector<double>;
  // A clear winner takes k.
  CHECK(one->rewards_at_close(reviews({0.2, 0.9, 0.5})) == V{0, 2, 0});
  // Two tied at the top share first place.
  CHECK(one->rewards_at_close(reviews({0.9, 0.1, 0.9})) == V{1, 0, 1});
  // Three tied at the top share places 1-3: (1 + 0.5 + 0) / 3 of k each.
  auto three = two->rewards_at_close(reviews({0.8, 0.8, 0.8, 0.1}));
  for (int i = 0; i < 3; ++i) CHECK(three[static_cast<std::size_t>(i)] == Approx(2 * 1.5 / 3));
  CHECK(three[3] == 0);
  // A tie straddling the last paid place: second prize split between the two.
  auto straddle = two->rewards_at_close(reviews({0.9, 0.5, 0.5, 0.1}));
  CHECK(straddle == V{2, 0.5, 0.5, 0});
  // All equal: the whole purse shared.
  auto equal = two->rewards_at_close(reviews({0.5, 0.5, 0.5, 0.5}));
  for (double c : equal) CHECK(c == Approx(2 * 1.5 / 4));
  // Fewer submissions than winners: unused prizes are not paid.
  auto three_winners = make({{"policy", "tournament"}, {"winners", 3}});
  CHECK(three_winners->rewards_at_close(reviews({0.3, 0.6})) == V{2, 2});
  // Reward is a function of the set, not of the order.
  V r{0.3, 0.9, 0.3, 0.6, 0.9, 0.1};
  std::sort(r.begin(), r.end());
  V first;
  do {
    V paid = two->rewards_at_close(reviews(r));
    V by_review;  // payment of each review value, in the sorted order of reviews
    std::vector<std::pair<double, double>> pairs;
    for (std::size_t i = 0; i < r.size(); ++i) pairs.emplace_back(r[i], paid[i]);
    std::sort(pairs.begin(), pairs.end());
    for (auto& pr : pairs) by_review.push_back(pr.second);
    if (first.empty()) first = by_review;
    CHECK(by_review == first);
  } while (std::next_permutation(r.begin(), r.end()));
  // Totals never exceed max_task_cost, which is the purse of the places that can be filled.
  CHECK(two->max_task_cost(2.0, 100, 8) == Approx(3.0));
  CHECK(two->max_task_cost(2.0, 100, 1) == Approx(2.0));
  CHECK(three_winners->max_task_cost(2.0, 100, 2) == Approx(4.0));
  for (const V& rv : {V{0.1, 0.2, 0.3}, V{0.5, 0.5, 0.5}, V{1, 0, 1, 0}}) {
    V paid = two->rewards_at_close(reviews(rv));
    double total = 0;
    for (double c : paid) total += c;
    CHECK(total <= two->max_task_cost(2.0, 100, static_cast<int>(rv.size())) + 1e-12);
  }
  CHECK(two->reward(sub(10, 0.5)) == 2.0);  // alone, it wins first place
}

TEST_CASE("models::incentive: tournament parameters are validated", "[models]") {
  CHECK_THROWS_WITH(make({{"policy", "tournament"}, {"winners", 0}}),
                    Catch::StartsWith("incentive.winners: expected an integer"));
  CHECK_THROWS_WITH(make({{"policy", "tournament"}, {"winners", 2}, {"prizes", {0.5, 1.0}}}),
                    Catch::StartsWith("incentive.prizes.1: expected prizes that do not increase"));
  CHECK_THROWS_WITH(make({{"policy", "tournament"}, {"winners", 2}, {"prizes", {1.0}}}),
                    Catch::StartsWith("incentive.prizes: expected an array of 2 numbers"));
  CHECK_THROWS_WITH(make({{"policy", "tournament"}, {"prizes", {-1.0}}}),
                    Catch::StartsWith("incentive.prizes.0: expected a number >= 0, found -1"));
}

TEST_CASE("models::incentive: exponential_progress and fixed bound their rewards", "[models]") {
  check_bounds(*make({{"policy", "fixed"}}));
  check_bounds(*make({{"policy", "exponential_progress"}, {"beta", 2.0}, {"p_max", 1.5}}));
  check_bounds(*make({{"policy", "exponential_progress"}, {"beta", -2.0}}));
}

TEST_CASE("models::incentive: a tournament's expected prize equals the count over every rival outcome", "[models]") {
  // contest_reward (what strategic workers plan with) against rewards_at_close (what the platform
  // pays), averaged over every outcome of three rivals whose reviews take the values 0, 0.5 and
  // 1 with probabilities 0.2, 0.5 and 0.3: ties included.
  auto p = make({{"policy", "tournament"}, {"winners", 3}, {"prizes", {1.0, 0.5, 0.25}}});
  const double values[3] = {0.0, 0.5, 1.0}, probs[3] = {0.2, 0.5, 0.3};
  for (double own : {0.0, 0.5, 1.0, 0.75}) {
    double expected = 0.0;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b)
        for (int c = 0; c < 3; ++c)
          expected += probs[a] * probs[b] * probs[c] *
                      p->rewards_at_close(reviews({own, values[a], values[b], values[c]}))[0];
    double below = 0.0, equal = 0.0;
    for (int i = 0; i < 3; ++i) {
      if (values[i] < own) below += probs[i];
      if (values[i] == own) equal += probs[i];
    }
    INFO("own review " << own);
    CHECK(p->contest_reward(2.0, 3, below, equal) == Approx(expected).epsilon(1e-12));
  }
}
