#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <sstream>

#include "experiment/deviations.hpp"
#include "experiment/experiment.hpp"
#include "models/recorder.hpp"
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
  int stay_out = 0;
  for (const auto& row : r.rows) {
    REQUIRE(std::isfinite(row.gain.mean));
    // The model itself expects no deviation to gain (beyond the strategy buckets' rounding).
    CHECK(row.expected_gain <= 1e-3 * std::abs(r.baseline_utility) + 1e-6);
    stay_out += row.participation == experiment::Participation::kStayOut;
  }
  CHECK(stay_out == 1);  // taking part is among the deviations
  CHECK_THAT(table(r), Catch::Contains("Its resolution: a gain in effort or delay under about"));
}

namespace {

const experiment::DeviationRow* find(const experiment::DeviationReport& r, experiment::Participation p) {
  for (const auto& row : r.rows)
    if (row.participation == p) return &row;
  return nullptr;
}

}  // namespace

TEST_CASE("validation::deviations: taking part is tested both ways, and agrees with the model", "[validation]") {
  using experiment::Participation;
  std::vector<std::string> sanitized;
  if (CROWDSIM_SANITIZED) sanitized.push_back("replications=4");
  experiment::DeviationOptions o;
  o.effort_factors = {0.9, 1.1};
  o.delay_shifts = {0.0};
  auto with = [&](std::vector<std::string> v) {
    v.insert(v.end(), sanitized.begin(), sanitized.end());
    return v;
  };
  // Each participation row's realized gain, a mean over replications, has the model's expected
  // gain within its (Bonferroni) interval: the realized utility of staying out (0) and of the
  // assignments entered is the one the workers planned with.
  auto agrees = [](const experiment::DeviationRow& row) {
    INFO("expected " << row.expected_gain << ", realized " << row.gain.mean << " (" << row.gain.low << " .. "
                     << row.gain.high << ")");
    CHECK(row.gain.n >= 2);
    CHECK(row.gain.low <= row.expected_gain);
    CHECK(row.expected_gain <= row.gain.high);
  };

  SECTION("wages spread wide: some workers stay out, and would lose by taking part") {
    auto r = check("equilibrium_progress.json",
                   with({"tasks.bounty=0.2", "workers.reservation_wage={\"dist\": \"lognormal\", \"median\": 6, \"sigma\": 0.8}"}), o);
    INFO(table(r));
    const auto* out = find(r, Participation::kStayOut);
    const auto* in = find(r, Participation::kEnter);
    REQUIRE(out != nullptr);
    REQUIRE(in != nullptr);
    agrees(*out);
    agrees(*in);
    CHECK(in->expected_gain < 0);  // they stay out because it would not pay
    CHECK(r.significant == 0);
  }
  SECTION("pay so low that nobody takes part: entering is still tested") {
    auto r = check("equilibrium_progress.json", with({"tasks.bounty=0.02"}), o);
    INFO(table(r));
    CHECK(r.assignments == 0);
    CHECK(find(r, Participation::kStayOut) == nullptr);  // nothing to stay out of
    const auto* in = find(r, Participation::kEnter);
    REQUIRE(in != nullptr);
    agrees(*in);
    CHECK(r.tested == 1);
    CHECK(r.significant == 0);
  }
  SECTION("power: a group fixed to take every task at a loss is told to stay out") {
    o.group = "workers";
    auto r = check("equilibrium_progress.json", with({"tasks.bounty=0.05", "workers.behavior={\"model\": \"fixed\", \"effort\": 1}"}), o);
    INFO(table(r));
    CHECK(r.baseline_utility < 0);
    const auto* out = find(r, Participation::kStayOut);
    REQUIRE(out != nullptr);
    agrees(*out);
    CHECK(out->significant);
    CHECK(find(r, Participation::kEnter) == nullptr);  // a fixed group takes every type
    CHECK(r.participation_untested.empty());
  }
  SECTION("a logit choice is no best response: taking part is not tested") {
    auto r = check("equilibrium_progress.json",
                   with({"workers.behavior={\"model\": \"strategic\", \"effort_cost\": 0.02, \"choice\": \"logit\", \"temperature\": 0.1}"}), o);
    INFO(table(r));
    CHECK(find(r, Participation::kStayOut) == nullptr);
    CHECK(find(r, Participation::kEnter) == nullptr);
    CHECK_THAT(r.participation_untested, Catch::Contains("logit"));
    CHECK_THAT(table(r), Catch::Contains("logit"));
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
  // At a wage no pay covers, nobody takes part: every gain in effort or delay is NaN. Entering
  // would be tested (above), but not for a logit choice. That is no evidence for the strategies,
  // and the verdict must not read as a pass.
  experiment::DeviationReport r =
      check("equilibrium_progress.json", {"workers.reservation_wage=100000", "replications=2", "tasks.count=50",
                                          "workers.behavior={\"model\": \"strategic\", \"choice\": \"logit\", \"temperature\": 0.1}"});
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

namespace {

// Every assignment's task type, worker and utility, and each run's KPIs.
struct Everything : models::Recorder {
  std::map<std::int64_t, std::int32_t> type;  // task id -> type (of the current run)
  std::vector<models::AssignmentRecord> assignments;
  models::Kpis kpis;
  models::Keeps keeps() const override { return {true, true}; }
  void task(const models::TaskRecord& r) override { type[r.task_id] = r.type; }
  void assignment(const models::AssignmentRecord& r) override { assignments.push_back(r); }
  void end_run(const models::RunInfo&, const models::Kpis& k) override { kpis = k; }
  double kpi(const std::string& name) const {
    for (const auto& [n, v] : kpis)
      if (n == name) return v;
    return NAN;
  }
};

}  // namespace

TEST_CASE("validation::deviations: an entry run adds exactly the task types stayed out of", "[validation]") {
  // Two kinds of task, one paying well and one paying too little: the workers take the first and
  // stay out of the second. In the entry run they take both; the entries counted are exactly
  // the assignments of the second kind, and their realized utility is those assignments'.
  nlohmann::json types = nlohmann::json::parse(R"([
      {"name": "good", "weight": 1, "expected_duration": "2min", "bounty": 0.5, "classes": 2},
      {"name": "poor", "weight": 1, "expected_duration": "2min", "bounty": 0.02, "classes": 2}])");
  nlohmann::json doc = io::read_json_file(std::string(CROWDSIM_SOURCE_DIR) + "/scenarios/equilibrium_progress.json");
  for (const char* key : {"expected_duration", "bounty", "redundancy", "classes", "difficulty"}) doc["tasks"].erase(key);
  doc["tasks"]["types"] = types;
  doc["tasks"]["count"] = 300;
  doc["replications"] = 1;
  io::Scenario s = io::parse_scenario(doc, std::string(CROWDSIM_SOURCE_DIR) + "/scenarios");
  auto run = [&](bool enter) {
    io::Scenario d = s;
    d.points[0].model.deviation = models::Deviation{0, models::Deviation::kWholeGroup, 1.0, 0.0, enter};
    Everything e;
    experiment::run_experiment(d, e);
    return e;
  };
  Everything base = run(false), entry = run(true);
  auto count = [](const Everything& e, std::int32_t type, double* utility = nullptr) {
    std::size_t n = 0;
    for (const auto& a : e.assignments)
      if (e.type.at(a.task_id) == type) ++n, utility ? *utility += a.utility : 0.0;
    return n;
  };
  CHECK(count(base, 0) > 100);
  CHECK(count(base, 1) == 0);  // nobody takes the poor kind
  double poor_utility = 0;
  std::size_t poor = count(entry, 1, &poor_utility);
  CHECK(poor > 100);
  CHECK(entry.kpi("deviation_entries") == static_cast<double>(poor));
  CHECK(entry.kpi("deviation_entry_utility") == Approx(poor_utility / static_cast<double>(poor)).epsilon(1e-12));
  CHECK(entry.kpi("deviation_entry_utility") < 0);  // which is why they stay out
  CHECK(entry.kpi("deviation_entry_expected") < 0);
  CHECK(std::isnan(base.kpi("deviation_entries")));  // only entry runs count entries
}

// --whole-group in a contest: all contestants easing off together keep their ranks and save
// effort, so the collective deviation gains (the audit's +0.31 per assignment at effort x 0.8),
// though no lone worker would. That is no evidence against the equilibrium: no verdict, no
// "not best responses", no expected gain of a lone worker shown beside it.
TEST_CASE("validation::deviations: a whole group deviating in a game gets no verdict", "[validation]") {
  experiment::DeviationOptions o;
  o.whole_group = true;
  o.effort_factors = {0.8};
  o.delay_shifts = {0.0};
  experiment::DeviationReport r = check("equilibrium_contest.json", CROWDSIM_SANITIZED ? std::vector<std::string>{"replications=4"}
                                                                                       : std::vector<std::string>{}, o);
  std::string t = table(r);
  INFO(t);
  REQUIRE(r.game);
  CHECK_FALSE(r.one_worker);
  CHECK(r.rows[0].gain.mean > 0);  // the collective gain is real
  CHECK_THAT(t, Catch::Contains("No verdict") && !Catch::Contains("not best responses"));
}
