#include <catch2/catch.hpp>

#include <cmath>

#include "models/incentive/policy.hpp"
#include "models/registry.hpp"

using namespace crowdsim::models;

namespace {
std::unique_ptr<IncentivePolicy> make(const nlohmann::json& j) {
  return incentive_policies().create(j, "incentive");
}
Submission sub(double t, double r) { return Submission{2.0, 100.0, t, r, r}; }  // k = 2, T = 100 s
}  // namespace

TEST_CASE("models::incentive: fixed pays the bounty whatever happens", "[models]") {
  auto p = make({{"policy", "fixed"}});
  CHECK(p->reward(sub(0, 0)) == 2.0);
  CHECK(p->reward(sub(500, 1)) == 2.0);
}

TEST_CASE("models::incentive: exponential_progress c = k r exp(beta p) at the edges", "[models]") {
  auto neg = make({{"policy", "exponential_progress"}, {"beta", -1.0}, {"p_max", 1.5}});
  auto pos = make({{"policy", "exponential_progress"}, {"beta", 0.5}, {"p_max", 1.5}});
  auto zero = make({{"policy", "exponential_progress"}, {"beta", 0.0}});
  // p = 0: c = k r.
  CHECK(neg->reward(sub(0, 0.8)) == Approx(1.6));
  CHECK(pos->reward(sub(0, 0.8)) == Approx(1.6));
  // p = 0.5.
  CHECK(neg->reward(sub(50, 1)) == Approx(2 * std::exp(-0.5)));
  CHECK(pos->reward(sub(50, 1)) == Approx(2 * std::exp(0.25)));
  // At and beyond the clamp p_max = 1.5 the reward stops changing.
  CHECK(pos->reward(sub(150, 1)) == Approx(2 * std::exp(0.75)));
  CHECK(pos->reward(sub(1e6, 1)) == Approx(2 * std::exp(0.75)));
  CHECK(neg->reward(sub(1e6, 1)) == Approx(2 * std::exp(-1.5)));
  // r = 0 pays nothing.
  CHECK(neg->reward(sub(10, 0)) == 0.0);
  // beta = 0 is linear quality pay c = k r.
  CHECK(zero->reward(sub(80, 0.5)) == Approx(1.0));
  // The default clamp is p_max = 1.
  auto def = make({{"policy", "exponential_progress"}, {"beta", 1.0}});
  CHECK(def->reward(sub(300, 1)) == Approx(2 * std::exp(1.0)));
  // Monotone in time with the sign of beta.
  CHECK(neg->reward(sub(20, 1)) > neg->reward(sub(40, 1)));
  CHECK(pos->reward(sub(20, 1)) < pos->reward(sub(40, 1)));
}

TEST_CASE("models::incentive: parameters are validated with their path", "[models]") {
  using crowdsim::sim::ConfigError;
  CHECK_THROWS_WITH(make({{"policy", "exponential_progress"}, {"p_max", 0}}),
                    Catch::Contains("incentive.p_max: expected a number > 0, found 0"));
  CHECK_THROWS_WITH(make({{"policy", "exponential_progress"}, {"betta", 1}}),
                    Catch::Contains("incentive.betta") && Catch::Contains("did you mean \"beta\""));
  CHECK_THROWS_WITH(make({{"policy", "exponentail_progress"}}),
                    Catch::Contains("incentive.policy") && Catch::Contains("did you mean \"exponential_progress\""));
}
