#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "experiment/deviations.hpp"
#include "io/scenario.hpp"

using namespace crowdsim;

namespace {

experiment::DeviationReport check(const std::string& scenario, const std::vector<std::string>& overrides = {},
                          experiment::DeviationOptions o = {}) {
  io::Scenario s = io::load_scenario(std::string(CROWDSIM_SOURCE_DIR) + "/scenarios/" + scenario, overrides);
  o.threads = 2;
  return experiment::check_deviations(s, o);
}

std::string table(const experiment::DeviationReport& r) {
  std::ostringstream out;
  experiment::print_deviations(r, out);
  return out.str();
}

}  // namespace

TEST_CASE("validation::deviations: no deviation from the strategies gains, in three kinds of incentive",
          "[validation]") {
  // Realized utility per assignment of the deviators, paired by replication (common random
  // numbers), against their strategy; Bonferroni 95% intervals over each grid of deviations.
  struct Case {
    const char* scenario;
    std::vector<std::string> overrides;
    bool game;
  };
  auto c = GENERATE(Case{"equilibrium_progress.json", {}, false},                         // exponential progress, beta 1
                    Case{"equilibrium_progress.json", {"incentive.beta=-1"}, false},      // beta -1
                    Case{"equilibrium_agreement.json", {}, true},                         // threshold, agreement review
                    Case{"equilibrium_contest.json", {}, true});                          // tournament
  std::vector<std::string> overrides = c.overrides;
  if (CROWDSIM_SANITIZED) overrides.push_back("replications=4");  // see tests/CMakeLists.txt
  experiment::DeviationReport r = check(c.scenario, overrides);
  INFO(c.scenario << "\n" << table(r));
  CHECK(r.one_worker == c.game);  // in games one worker deviates, its rivals do not
  CHECK(r.rows.size() >= 9);
  CHECK(r.significant == 0);
  for (const auto& row : r.rows) {
    REQUIRE(std::isfinite(row.gain.mean));
    // The model itself expects no deviation to gain (beyond the strategy buckets' rounding).
    CHECK(row.expected_gain <= 1e-3 * std::abs(r.baseline_utility) + 1e-6);
  }
}

TEST_CASE("validation::deviations: strategies that are not best responses are caught", "[validation]") {
  // The same checks have the power to see a wrong strategy: workers fixed at the strategy the
  // old model chose by planning at the mean (beta 1: effort 2, no delay), and contestants fixed
  // at effort 1 while their best response to each other is higher.
  experiment::DeviationOptions o;
  o.group = "workers";
  experiment::DeviationReport progress =
      check("equilibrium_progress.json", {"workers.behavior={\"model\": \"fixed\", \"effort\": 2, \"effort_cost\": 0.02}"}, o);
  INFO(table(progress));
  CHECK(progress.significant > 0);
  experiment::DeviationReport contest =
      check("equilibrium_contest.json", {"workers.behavior={\"model\": \"fixed\", \"effort\": 1, \"effort_cost\": 0.1}"}, o);
  INFO(table(contest));
  CHECK(contest.significant > 0);
  // The realized gains follow the model's expected gains (the same sign where either is large).
  for (const auto& row : contest.rows)
    if (std::abs(row.expected_gain) > 0.2) CHECK(row.gain.mean * row.expected_gain > 0);
}

TEST_CASE("validation::deviations: bad options are refused with what was expected", "[validation]") {
  experiment::DeviationOptions o;
  o.group = "nobody";
  CHECK_THROWS_WITH(check("equilibrium_progress.json", {}, o), Catch::Contains("--group") && Catch::Contains("nobody"));
  CHECK_THROWS_WITH(check("demo.json"), Catch::Contains("strategic group"));
  CHECK_THROWS_WITH(check("equilibrium_progress.json", {"replications=1"}), Catch::Contains("at least 2 replications"));
}

TEST_CASE("validation::deviations: a group that takes no task tests nothing, and says so", "[validation]") {
  // At a wage no pay covers, nobody takes part: every gain is NaN. That is no evidence for the
  // strategies, and the verdict must not read as a pass.
  experiment::DeviationReport r =
      check("equilibrium_progress.json", {"workers.reservation_wage=100000", "replications=2", "tasks.count=50"});
  INFO(table(r));
  CHECK(r.assignments == 0);
  CHECK(r.tested == 0);
  CHECK(r.significant == 0);
  CHECK_THAT(table(r), Catch::Contains("nothing was tested") && !Catch::Contains("no deviation gains significantly"));
}

TEST_CASE("validation::deviations: a deviation the effort range clamps back to the strategy is no test", "[validation]") {
  // In equilibrium_agreement everyone works at the minimum effort: 0.8 and 0.9 times it, with no
  // delay, are the strategy itself. They are listed as such and left out of the Bonferroni count.
  std::vector<std::string> overrides;
  if (CROWDSIM_SANITIZED) overrides.push_back("replications=4");
  experiment::DeviationReport r = check("equilibrium_agreement.json", overrides);
  INFO(table(r));
  std::size_t null = 0;
  for (const auto& row : r.rows) {
    if (!row.null) continue;
    ++null;
    CHECK(row.delay_shift == 0.0);
    CHECK(row.effort_factor < 1.0);
    CHECK(row.utility == r.baseline_utility);
    CHECK_FALSE(row.significant);
  }
  CHECK(null == 2);
  CHECK(r.confidence == Approx(1.0 - 0.05 / static_cast<double>(r.rows.size() - null)));
  CHECK_THAT(table(r), Catch::Contains("= the strategy (clamped)") && Catch::Contains("clamped back to the strategy"));
}
