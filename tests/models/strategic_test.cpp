#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>

#include <boost/random/normal_distribution.hpp>

#include "models/behavior/equilibrium.hpp"
#include "models/behavior/maximize.hpp"
#include "models/behavior/strategic.hpp"
#include "models/behavior/strategy_book.hpp"
#include "models/incentive/policy.hpp"
#include "models/registry.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using namespace crowdsim::models;
using crowdsim::testing::run_in_memory;
using crowdsim::testing::small_scenario;
using nlohmann::json;

namespace {

std::unique_ptr<IncentivePolicy> make(const json& j) {
  return incentive_policies().create(j, "incentive");
}

// ---- Brute force: the worker's realized utility simulated draw by draw -------------------------

// One incentive setting of the brute-force test: the task type, its work and review, the policy,
// and (in games) one type of rival.
struct Setting {
  std::string name;
  json incentive;
  TaskType type;
  WorkParams work;
  ReviewParams review;
  BehaviorParams behavior;
  bool rivals = false;
  double rival_effort = 1.0, rival_accuracy = 0.75;
};

// Common random numbers: every (effort, delay) is judged on the same draws.
struct Draws {
  static constexpr int kMaxRivals = 7;
  std::vector<double> difficulty, noise, answer, review;
  std::vector<std::array<double, kMaxRivals>> rival_u, rival_z, rival_noise;
  Draws(const Setting& s, std::size_t n, std::uint32_t seed) {
    sim::Stream st(sim::StreamKey{seed, 0, 1, 0});
    boost::random::normal_distribution<double> normal;
    for (std::size_t i = 0; i < n; ++i) {
      difficulty.push_back(s.type.difficulty.sample(st));
      noise.push_back(s.work.time_noise.sample(st));
      answer.push_back(st.uniform01());
      review.push_back(normal(st));
      std::array<double, kMaxRivals> u{}, z{}, noise{};
      for (std::size_t k = 0; k < kMaxRivals; ++k)
        u[k] = st.uniform01(), z[k] = normal(st), noise[k] = s.work.time_noise.sample(st);
      rival_u.push_back(u);
      rival_z.push_back(z);
      rival_noise.push_back(noise);
    }
  }
};

// E[u(c − w t / 3600 − C(e))] by simulation: the answer drawn right or wrong, the review drawn by
// its model (agreement: earlier answers drawn one by one; contests: rivals' reviews drawn and
// the submissions ranked by the policy itself).
double simulated_utility(const Setting& s, const IncentivePolicy& policy, const Traits& w, const Draws& dr,
                         double e, double d, double* standard_error = nullptr) {
  const BehaviorParams& b = s.behavior;
  const TaskType& tt = s.type;
  const double chance = tt.labelled ? 1.0 / tt.classes : 0.0, cost = b.effort_cost * (e - 1) * (e - 1);
  const std::size_t n = dr.difficulty.size();
  const int m = tt.redundancy;
  using RM = ReviewParams::Model;
  auto answer_right = [&](std::size_t i, double q) { return dr.answer[i] < q; };
  // Agreement: the task's m workers start together; the rivals who finish before this answer
  // (rivals of speed 1, no delay) are the earlier answers; it is assessed against their
  // plurality, or paid on reputation when it is first (returns -1 then).
  auto agreement = [&](std::size_t i, double q, double t) {
    double p = quality_at(b, s.rival_accuracy, chance, s.rival_effort, dr.difficulty[i]);
    int votes[2] = {0, 0}, earlier = 0;  // two classes: truth is 0
    for (std::size_t k = 0; k + 1 < static_cast<std::size_t>(m); ++k) {
      double tr = tt.expected_duration * dr.difficulty[i] * dr.rival_noise[i][k] * s.rival_effort;
      if (tr < t) ++earlier, votes[dr.rival_u[i][k] < p ? 0 : 1] += 1;
    }
    if (earlier == 0) return -1.0;
    int own = answer_right(i, q) ? 0 : 1;
    return votes[own] == std::max(votes[0], votes[1]) ? 1.0 : 0.0;
  };
  auto time_of = [&](std::size_t i) { return tt.expected_duration * dr.difficulty[i] * w.speed * dr.noise[i] * e + d; };
  double rep = 0.0;
  if (s.review.model == RM::kAgreement) {  // the long-run reputation: mean review when assessed
    double sum = 0, count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double r = agreement(i, quality_at(b, w.accuracy, chance, e, dr.difficulty[i]), time_of(i));
      if (r >= 0) sum += r, count += 1;
    }
    rep = sum / count;
  }
  double total = 0.0, squares = 0.0;
  std::vector<Submission> subs;
  for (std::size_t i = 0; i < n; ++i) {
    double t = time_of(i);
    double q = quality_at(b, w.accuracy, chance, e, dr.difficulty[i]);
    double exact = tt.labelled ? (answer_right(i, q) ? 1.0 : 0.0) : q;
    double r = exact;
    if (s.review.model == RM::kNoisy) r = std::clamp(exact + s.review.sd * dr.review[i], 0.0, 1.0);
    if (s.review.model == RM::kAgreement) {
      r = agreement(i, q, t);
      if (r < 0) r = rep;
    }
    double c;
    if (s.rivals && policy.pays_at_close()) {
      subs.assign(1, Submission{tt.bounty, tt.expected_duration, t, q, r});
      for (int k = 0; k + 1 < m; ++k) {
        double qr = quality_at(b, s.rival_accuracy, chance, s.rival_effort, dr.difficulty[i]);
        double rr = std::clamp(qr + s.review.sd * dr.rival_z[i][static_cast<std::size_t>(k)], 0.0, 1.0);
        subs.push_back(Submission{tt.bounty, tt.expected_duration, t, qr, rr});
      }
      c = policy.rewards_at_close(subs)[0];
    } else {
      c = policy.reward(Submission{tt.bounty, tt.expected_duration, t, q, r, tt.deadline - t});
    }
    double u = utility_of(b, c - w.wage * t / 3600.0 - cost);
    total += u, squares += u * u;
  }
  double mean = total / static_cast<double>(n);
  if (standard_error) *standard_error = std::sqrt((squares / static_cast<double>(n) - mean * mean) / static_cast<double>(n));
  return mean;
}

// The brute-force optimum over a grid: coarse over the whole box with fewer draws, then fine
// around the coarse optimum with all of them.
struct Grid {
  double effort, delay, utility;
};
Grid brute_force(const Setting& s, const IncentivePolicy& policy, const Traits& w, const Draws& coarse,
                 const Draws& fine, double horizon) {
  const BehaviorParams& b = s.behavior;
  auto search = [&](const Draws& dr, double e0, double e1, double d0, double d1, int ne, int nd) {
    Grid best{0, 0, -INFINITY};
    for (int i = 0; i < ne; ++i)
      for (int j = 0; j < nd; ++j) {
        double e = e0 + (e1 - e0) * i / (ne - 1), d = nd > 1 ? d0 + (d1 - d0) * j / (nd - 1) : d0;
        double u = simulated_utility(s, policy, w, dr, e, d);
        if (u > best.utility) best = Grid{e, d, u};
      }
    return best;
  };
  bool time = horizon > 0;
  int ne = 25, nd = time ? 17 : 1;
  Grid c = search(coarse, b.effort_min, b.effort_max, 0.0, horizon, ne, nd);
  double se = (b.effort_max - b.effort_min) / (ne - 1), sd = time ? horizon / (nd - 1) : 0.0;
  return search(fine, std::max(b.effort_min, c.effort - 1.5 * se), std::min(b.effort_max, c.effort + 1.5 * se),
                std::max(0.0, c.delay - 1.5 * sd), std::min(horizon, c.delay + 1.5 * sd), 21, time ? 15 : 1);
}

Setting base_setting(std::string name, json incentive) {
  Setting s;
  s.name = std::move(name);
  s.incentive = std::move(incentive);
  s.type.expected_duration = 120;
  s.type.bounty = 0.5;
  s.type.redundancy = 3;
  s.type.classes = 2;
  s.type.difficulty = sim::Distribution::gamma(25.0, 0.04);             // mean 1, sd 0.2
  s.work.time_noise = sim::Distribution::lognormal(-0.0741079721, 0.3852532);  // mean 1, sd 0.4
  s.behavior.model = BehaviorParams::Model::kStrategic;
  s.behavior.effort_cost = 0.02;
  return s;
}

}  // namespace

TEST_CASE("models::strategic: best responses are within 0.5% of the brute-force optimum", "[models][validation]") {
  // Five incentive settings (time noise lognormal sd 0.4, difficulty gamma sd 0.2, T = 120 s,
  // k = 0.5) × three kinds of worker. The brute force simulates the worker's utility draw by
  // draw (10^5 draws per point on the fine grid, common random numbers) without the quadrature,
  // review laws or agreement odds the solver uses.
  std::vector<Setting> settings;
  settings.push_back(base_setting("exponential_progress beta 1", {{"policy", "exponential_progress"}, {"beta", 1.0}, {"p_max", 2.0}}));
  settings.push_back(base_setting("exponential_progress beta -1", {{"policy", "exponential_progress"}, {"beta", -1.0}, {"p_max", 2.0}}));
  {
    // A threshold above any reputation: a first answer is not paid, so workers wait to be later.
    Setting s = base_setting("quality_threshold under agreement review", {{"policy", "quality_threshold"}, {"threshold", 0.9}});
    s.review.model = ReviewParams::Model::kAgreement;
    s.rivals = true;
    settings.push_back(s);
  }
  {
    Setting s = base_setting("linear_quality, noisy review, risk averse", {{"policy", "linear_quality"}, {"floor", 0.2}});
    s.review.model = ReviewParams::Model::kNoisy;
    s.review.sd = 0.2;
    s.behavior.risk_aversion = 2.0;
    settings.push_back(s);
  }
  {
    Setting s = base_setting("tournament of 4, continuous work, noisy review", {{"policy", "tournament"}, {"winners", 2}, {"prizes", {1.0, 0.5}}});
    s.type.labelled = false;
    s.type.redundancy = 4;
    s.review.model = ReviewParams::Model::kNoisy;
    s.review.sd = 0.1;
    s.rivals = true;
    s.rival_effort = 1.2;
    s.rival_accuracy = 0.6;
    settings.push_back(s);
  }
  const std::vector<Traits> workers{{1.0, 0.8, 6.0}, {0.7, 0.9, 12.0}, {1.4, 0.65, 3.0}};
  for (const Setting& s : settings) {
    auto policy = make(s.incentive);
    Environment env = make_environment(s.type, s.work, s.review, *policy);
    if (s.rivals) set_rivals(env, {Rival{1.0, s.rival_effort, s.rival_accuracy, &s.behavior}});
    // 10^5 draws per point of the fine grid (2 x 10^4 under the sanitizers, see tests/CMakeLists.txt).
    Draws coarse(s, CROWDSIM_SANITIZED ? 4'000 : 10'000, 11), fine(s, CROWDSIM_SANITIZED ? 20'000 : 100'000, 12);
    for (const Traits& w : workers) {
      INFO(s.name << ": speed " << w.speed << ", accuracy " << w.accuracy << ", wage " << w.wage);
      Decision br = best_response(s.behavior, env, w);
      Grid bf = brute_force(s, *policy, w, coarse, fine, env.horizon);
      double se = 0;
      double at_br = simulated_utility(s, *policy, w, fine, br.effort, br.delay, &se);
      INFO("best response e " << br.effort << " d " << br.delay << ": E[U] " << br.utility << ", simulated " << at_br
                              << "; brute force e " << bf.effort << " d " << bf.delay << ": " << bf.utility);
      // The chosen strategy, judged by the simulation, is as good as the simulation's own best
      // (with the sanitizers' fewer draws the grid's best overfits their noise: allow 3 standard
      // errors more there).
      CHECK(at_br >= bf.utility - 0.005 * std::abs(bf.utility) - (CROWDSIM_SANITIZED ? 3 * se : 0.0));
      // And the solver's expected utility is the simulation's, up to four of the simulation's
      // standard errors and 0.2% for the quadrature.
      CHECK(br.utility == Approx(at_br).margin(4 * se + 0.002 * std::abs(at_br)));
    }
  }
}

TEST_CASE("models::strategic: planning at the mean outcome is not the expected-utility optimum", "[models]") {
  // The beta sweep's task at beta = 1 (p_max = 2, time noise sd 0.4, difficulty sd 0.2) and its
  // typical worker (speed 1, accuracy 8/11, wage 6, no effort cost): the reward at the mean time
  // peaks exactly at the cap t = p_max T, but with noise half the submissions come in before it.
  // docs/incentives.md quotes these figures.
  Setting s = base_setting("beta 1", {{"policy", "exponential_progress"}, {"beta", 1.0}, {"p_max", 2.0}});
  s.behavior.effort_cost = 0.0;
  auto policy = make(s.incentive);
  Environment env = make_environment(s.type, s.work, s.review, *policy);
  Traits w{1.0, 8.0 / 11.0, 6.0};
  Decision br = best_response(s.behavior, env, w);
  // The reward evaluated at the mean time and quality, as the old model did.
  auto at_mean = [&](double e, double d) {
    double t = s.type.expected_duration * w.speed * e + d, q = quality_at(s.behavior, w.accuracy, 0.5, e, 1.0);
    return policy->reward(Submission{s.type.bounty, s.type.expected_duration, t, q, q}) - w.wage * t / 3600;
  };
  Maximum naive = maximize_2d(at_mean, s.behavior.effort_min, s.behavior.effort_max, 0.0, env.horizon);
  Decision naive_eu = evaluate(s.behavior, env, w, naive.x, naive.y);
  INFO("naive e " << naive.x << " d " << naive.y << " promises " << naive.value << ", yields " << naive_eu.utility
                  << "; best response e " << br.effort << " d " << br.delay << " E[t] " << br.time << " yields "
                  << br.utility);
  CHECK(naive.x == Approx(2.0).epsilon(0.01));  // effort 2, no delay: the mean time on the kink
  CHECK(naive.y == Approx(0.0).margin(1.0));
  CHECK(naive.value == Approx(2.47).epsilon(0.01));      // what it promised
  CHECK(naive_eu.utility == Approx(1.80).epsilon(0.01));  // what it yields
  CHECK(br.effort == Approx(1.77).epsilon(0.01));
  CHECK(br.delay == Approx(137).epsilon(0.01));
  CHECK(br.time == Approx(349).epsilon(0.01));
  CHECK(br.utility == Approx(2.28).epsilon(0.01));
}

TEST_CASE("models::strategic: agreement odds equal a direct count", "[models]") {
  // Two classes: a right answer agrees when the truth has at least half of the earlier votes.
  for (int j : {1, 2, 3, 4}) {
    double p = 0.7, right = 0, wrong = 0;
    for (int k = 0; k <= j; ++k) {
      double pk = std::tgamma(j + 1.0) / (std::tgamma(k + 1.0) * std::tgamma(j - k + 1.0)) * std::pow(p, k) * std::pow(1 - p, j - k);
      if (k >= j - k) right += pk;
      if (j - k >= k) wrong += pk;
    }
    auto [r, w] = agreement_odds(j, 2, p);
    CHECK(r == Approx(right).epsilon(1e-12));
    CHECK(w == Approx(wrong).epsilon(1e-12));
  }
  // Three classes, two earlier votes (truth 0, own wrong label 1): enumerate the nine outcomes.
  double p = 0.6, q1 = 0.2, right = 0, wrong = 0;
  double prob[3] = {p, q1, q1};
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      int v[3] = {0, 0, 0};
      ++v[a], ++v[b];
      int top = std::max({v[0], v[1], v[2]});
      if (v[0] == top) right += prob[a] * prob[b];
      if (v[1] == top) wrong += prob[a] * prob[b];
    }
  auto [r, w] = agreement_odds(2, 3, p);
  CHECK(r == Approx(right).epsilon(1e-12));
  CHECK(w == Approx(wrong).epsilon(1e-12));
}

// ---- Contests: closed forms from the literature ------------------------------------------------

TEST_CASE("models::strategic: two-player tournament equilibrium equals Lazear-Rosen", "[models][validation]") {
  // Lazear & Rosen (1981): outputs q_i + eps_i, eps ~ N(0, s^2) i.i.d.; the better wins W1, the
  // other W2. The symmetric equilibrium solves (W1 - W2) g(0) q'(e) = C'(e), g(0) = 1 / (2 s sqrt(pi))
  // the density of eps_j - eps_i at 0. crowdsim: continuous tasks (q = a h(e)), noisy review
  // (r = q + N(0, s^2), clipping negligible at q in [0.2, 0.6] and s = 0.05), tournament
  // prizes [1, p2] · k, effort cost c (e - 1)^2 and the wage's cost of time w T E[N] e / 3600.
  for (double p2 : {0.0, 0.5}) {
    for (double wage : {0.0, 2.0}) {
      json doc = small_scenario();
      doc["tasks"] = {{"count", 10}, {"kind", "continuous"}, {"expected_duration", 60}, {"bounty", 1.0}, {"redundancy", 2}};
      doc["workers"] = {{"count", 2}, {"accuracy", 0.5}, {"reservation_wage", wage},
                        {"behavior", {{"model", "strategic"}, {"effort_cost", 0.2}, {"kappa", 1.5}}}};
      doc["review"] = {{"model", "noisy"}, {"sd", 0.05}};
      doc["incentive"] = {{"policy", "tournament"}, {"winners", 2}, {"prizes", {1.0, p2}}};
      io::Scenario sc = io::parse_scenario(doc, ".");
      auto policy = incentive_policies().create(sc.model.incentive.params, sc.model.incentive.path);
      StrategyBook book(sc.model, *policy);
      REQUIRE(book.game(0).game);
      CHECK(book.game(0).converged);
      const BehaviorParams& b = sc.model.workers.groups[0].behavior;
      const double s = 0.05, a = 0.5, dw = 1.0 - p2, g0 = 1.0 / (2 * s * std::sqrt(M_PI));
      auto marginal = [&](double e) {  // d/de of (W1 - W2) P(win) - C(e) - wage cost, at the symmetric point
        double dq = a * b.kappa * std::exp(-b.kappa * e) / (1 - std::exp(-b.kappa));
        return dw * g0 * dq - 2 * b.effort_cost * (e - 1) - wage * 60.0 / 3600.0;
      };
      double lo = 1.0, hi = 3.0;  // marginal(1) > 0 > marginal(3)
      REQUIRE(marginal(lo) > 0);
      REQUIRE(marginal(hi) < 0);
      for (int i = 0; i < 100; ++i) (marginal(0.5 * (lo + hi)) > 0 ? lo : hi) = 0.5 * (lo + hi);
      double closed_form = 0.5 * (lo + hi);
      const Decision& d = book.entries()[book.assign(0, 0, Traits{1.0, a, wage})].decision;
      INFO("p2 " << p2 << ", wage " << wage << ": e* " << d.effort << ", Lazear-Rosen " << closed_form);
      CHECK(d.effort == Approx(closed_form).epsilon(0.02));
      CHECK(d.delay == 0.0);
    }
  }
}

TEST_CASE("models::strategic: a contest nobody enters at the start still finds the equilibrium where all enter", "[models][validation]") {
  // Two contestants, winner takes k = 1, noisy review sd 0.2, q = 0.7 h(e), no effort cost but
  // the time: w T E[N] e / 3600 = e at w = 6/h and T = 600 s. At the start (both at effort 1)
  // the best response, against a rival at 1, loses money: nobody takes part. Clamping each
  // type's gain at its outside option then stopped the iteration there ("converged", nobody
  // enters), though the Lazear-Rosen equilibrium, k g(0) q'(e*) = 1, pays U = k/2 - e* > 0.
  json doc = small_scenario();
  doc["tasks"] = {{"count", 20}, {"kind", "continuous"}, {"expected_duration", 600}, {"bounty", 1.0}, {"redundancy", 2}};
  doc["workers"] = {{"count", 2}, {"accuracy", 0.7}, {"reservation_wage", 6.0},
                    {"behavior", {{"model", "strategic"}, {"effort_cost", 0.0}, {"kappa", 1.5}}}};
  doc["review"] = {{"model", "noisy"}, {"sd", 0.2}};
  doc["incentive"] = {{"policy", "tournament"}, {"winners", 1}, {"prizes", {1.0}}};
  io::Scenario sc = io::parse_scenario(doc, ".");
  auto policy = incentive_policies().create(sc.model.incentive.params, sc.model.incentive.path);
  StrategyBook book(sc.model, *policy);
  REQUIRE(book.game(0).game);
  CHECK(book.game(0).converged);
  const double s = 0.2, a = 0.7, kappa = sc.model.workers.groups[0].behavior.kappa, g0 = 1.0 / (2 * s * std::sqrt(M_PI));
  auto marginal = [&](double e) { return g0 * a * kappa * std::exp(-kappa * e) / (1 - std::exp(-kappa)) - 1.0; };
  double lo = 0.1, hi = 1.0;
  REQUIRE(marginal(lo) > 0);
  REQUIRE(marginal(hi) < 0);
  for (int i = 0; i < 100; ++i) (marginal(0.5 * (lo + hi)) > 0 ? lo : hi) = 0.5 * (lo + hi);
  const double closed_form = 0.5 * (lo + hi);  // 0.4301 (an independent quadrature with the clipping: 0.4301)
  const Decision& d = book.entries()[book.assign(0, 0, Traits{1.0, a, 6.0})].decision;
  INFO("e* " << d.effort << ", Lazear-Rosen " << closed_form << ", E[U] " << d.utility);
  CHECK(d.effort == Approx(closed_form).epsilon(0.02));
  CHECK(d.utility == Approx(0.5 - closed_form).margin(0.005));  // k/2 - e*: 0.07 > 0, so both enter
  auto rec = run_in_memory(doc);
  CHECK(rec.kpi("participation") == 1.0);
  CHECK(rec.kpi("tasks_closed") == 20);
}

// The converse: four identical contestants, k = 4 to the best (k / n = 1 each at the symmetric
// equilibrium, e* = 1.603 by its first-order condition), at a wage where that equilibrium pays
// U = 1 - c (e* - 1)^2 - w T e* / 3600 = -0.52 < 0: nobody should enter, at any higher wage
// either. The iteration ended with nobody taking part, but the real workers then planned against
// every type at its strategy as if it entered; in the audit's run all 24 workers entered at
// E[c] = 1.74 (more than the pool's share) and lost 0.66 per assignment, at w = 5 and 5.5 though
// not at 5.25. A contest no rival enters never fills: it pays nothing.
TEST_CASE("models::strategic: a contest nobody enters at the equilibrium is entered by no one", "[models][validation]") {
  json doc = small_scenario();
  doc["replications"] = 1;
  doc["tasks"] = {{"count", 40}, {"kind", "continuous"}, {"expected_duration", 600}, {"bounty", 4.0}, {"redundancy", 4},
                  {"difficulty", 1}};
  doc["workers"] = {{"count", 24}, {"accuracy", 0.4}, {"speed", 1}, {"reservation_wage", 5.0},
                    {"behavior", {{"model", "strategic"}, {"effort_cost", 0.5}, {"effort_max", 5}}}};
  doc["work"] = {{"time_noise", 1}};
  doc["review"] = {{"model", "noisy"}, {"sd", 0.05}};
  doc["assignment"] = {{"policy", "random"}};
  doc["incentive"] = {{"policy", "tournament"}, {"winners", 1}, {"prizes", {1.0}}};
  for (double wage : {4.75, 5.0, 5.25, 5.5, 6.0}) {
    doc["workers"]["reservation_wage"] = wage;
    auto rec = run_in_memory(doc);
    INFO("wage " << wage);
    CHECK(rec.kpi("participation") == 0.0);
    CHECK(rec.assignments.empty());
    for (const auto& st : rec.strategies) {
      CHECK(st.expected_pay == 0.0);
      CHECK(st.expected_utility < 0.0);
    }
  }
}

TEST_CASE("models::strategic: identical contestants each expect the pool's share", "[models][validation]") {
  // n identical contestants have the same odds, so at the symmetric equilibrium each expects
  // exactly pool / n (k times the prizes of places 1 .. min(n, winners)), whatever the noise. The
  // strategies table's expected_pay is a worker's best response to the equilibrium's rivals; it
  // was biased by 0.05-0.3% by two errors: the iteration stopped at the first profile where no one
  // could gain more than 1e-5 k, which can be ~sqrt(2e-5 k / |U''|) ~ 3e-3 in effort from the
  // equilibrium (a best response to it differs from it by about as much, and its pay by the
  // marginal cost C'(e*) times that), and the midpoint rule over the own review's 32 cells
  // under-integrates the rivals' P(R' < r)^(n-1) by O(n / 32^2) (-0.2% at n = 8). Now the
  // quadrature is exact here up to the rivals' tabulated distribution function (~1e-6), and the
  // iteration goes on until the last move is 1e-5 in effort: C'(e*) = w T / 3600 + 2 c (e* - 1)
  // ~ 1.1 per unit of effort here, so a pay error ~1e-5 against pools / n >= 1; 1e-4 leaves room
  // (the errors are 1e-5 to 3e-5; before, 1e-3 and more).
  struct Case {
    int n;
    std::vector<double> prizes;
    double bounty, sd;
    bool labelled;
  };
  const std::vector<Case> cases{
      {2, {1.0}, 2.0, 0.2, false},           {2, {1.0, 0.5}, 4.0, 0.2, false}, {2, {0.5, 0.3, 0.2}, 8.0, 0.3, false},
      {2, {1.0}, 8.0, 0.1, false},           {4, {1.0}, 8.0, 0.2, false},      {4, {1.0, 0.5}, 4.0, 0.2, false},
      {4, {1.0, 0.5}, 8.0, 0.1, false},      {4, {0.5, 0.3, 0.2}, 8.0, 0.2, false}, {4, {1.0, 0.5}, 8.0, 0.2, true},
      {8, {1.0}, 16.0, 0.2, false},          {8, {1.0, 0.5}, 12.0, 0.25, false}, {8, {0.5, 0.3, 0.2}, 24.0, 0.3, false},
  };
  for (const Case& c : cases) {
    json doc = small_scenario();
    doc["tasks"] = {{"count", 10}, {"kind", c.labelled ? "label" : "continuous"}, {"expected_duration", 600},
                    {"bounty", c.bounty}, {"redundancy", c.n}};
    if (c.labelled) doc["tasks"]["classes"] = 2;
    doc["workers"] = {{"count", c.n}, {"accuracy", 0.7}, {"reservation_wage", 6.0},
                      {"behavior", {{"model", "strategic"}, {"effort_cost", 0.1}, {"kappa", 1.5}}}};
    doc["review"] = {{"model", "noisy"}, {"sd", c.sd}};
    doc["incentive"] = {{"policy", "tournament"}, {"winners", c.prizes.size()}, {"prizes", c.prizes}};
    io::Scenario sc = io::parse_scenario(doc, ".");
    auto policy = incentive_policies().create(sc.model.incentive.params, sc.model.incentive.path);
    StrategyBook book(sc.model, *policy);
    double pool = 0.0;
    for (std::size_t i = 0; i < c.prizes.size() && i < static_cast<std::size_t>(c.n); ++i) pool += c.prizes[i] * c.bounty;
    const Decision& d = book.entries()[book.assign(0, 0, Traits{1.0, 0.7, 6.0})].decision;
    INFO(c.n << " contestants, prizes " << json(c.prizes).dump() << ", k " << c.bounty << ", sd " << c.sd
             << (c.labelled ? ", labelled" : "") << ": e* " << d.effort << ", E[c] " << d.pay << ", pool / n " << pool / c.n
             << ", E[U] " << d.utility);
    REQUIRE(book.game(0).game);
    CHECK(book.game(0).converged);
    CHECK(d.effort > 0.25);  // interior, and they take part
    CHECK(d.effort < 3.0);
    CHECK(d.utility > 0.0);
    CHECK(d.pay == Approx(pool / c.n).epsilon(1e-4));
  }
}

namespace {
// A review r = ln x + G with G standard Gumbel: with n such contestants the best is i with
// probability x_i / sum x_j (McFadden), the Tullock contest success function.
struct GumbelLaw {
  double location;
  double below(double r) const { return std::exp(-std::exp(-(r - location))); }
  double equal(double) const { return 0.0; }
  void nodes(std::vector<Node>& out) const {
    constexpr int n = 2000;
    for (int i = 0; i < n; ++i) out.push_back(Node{location - std::log(-std::log((i + 0.5) / n)), 1.0 / n});
  }
};
}  // namespace

TEST_CASE("models::strategic: n-player contest equilibrium equals Tullock", "[models][validation]") {
  // Tullock (1980): n risk-neutral players, prize V, cost x, P(win) = x_i / sum x_j: the
  // symmetric equilibrium is x* = (n - 1) V / n^2. The same best-response dynamics and contest
  // rewards (a winner-takes-all tournament) that solve crowdsim's contests find it.
  auto policy = make({{"policy", "tournament"}, {"winners", 1}});
  for (int n : {2, 4, 8}) {
    const double v = 1.0;
    std::vector<double> profile{0.5};
    GumbelLaw rival{std::log(0.5)};
    std::vector<Node> scratch;
    auto prepare = [&](const std::vector<double>& p) { rival.location = std::log(p[0]); };
    auto payoff = [&](std::size_t, double x) {
      return expected_contest_reward(*policy, v, n - 1, GumbelLaw{std::log(x)}, rival, scratch) - x;
    };
    auto respond = [&](std::size_t i) { return maximize_1d([&](double x) { return payoff(i, x); }, 1e-4, v).x; };
    auto mix = [](double a, double b, double l) { return a + l * (b - a); };
    auto toward = [](double a, double b) { return b - a; };
    EquilibriumResult r = best_response_dynamics(profile, {true}, prepare, respond, payoff, mix, toward, 1e-9, 200);
    INFO(n << " players: x* " << profile[0] << " after " << r.iterations << " iterations");
    CHECK(r.converged);
    CHECK(profile[0] == Approx((n - 1) * v / (n * n)).epsilon(0.02));
    // Total expenditure (n - 1) V / n.
    CHECK(n * profile[0] == Approx((n - 1) * v / n).epsilon(0.02));
  }
}

// ---- Comparative statics in simulation -------------------------------------------------------

TEST_CASE("models::strategic: raising k raises participation and throughput", "[models][validation]") {
  json doc = small_scenario();
  doc["tasks"] = {{"count", 600}, {"arrival", {{"process", "poisson"}, {"rate_per_hour", 120}}}, {"expected_duration", 60},
                  {"redundancy", 1}};
  doc["workers"] = {{"count", 40}, {"accuracy", 0.8},
                    {"reservation_wage", {{"dist", "lognormal"}, {"median", 6}, {"sigma", 0.8}}},
                    {"behavior", {{"model", "strategic"}}}};
  doc["incentive"] = {{"policy", "fixed"}};
  doc["horizon"] = "4h";
  double last_participation = -1, last_closed = -1;
  for (double k : {0.02, 0.05, 0.1, 0.3}) {
    doc["tasks"]["bounty"] = k;
    auto rec = run_in_memory(doc);
    INFO("k = " << k);
    // The same workers decide at every k (common random numbers): more of them take part,
    // strictly so until all do.
    double participation = rec.kpi("participation");
    CHECK(participation >= last_participation);
    if (last_participation < 1.0) CHECK(participation > last_participation);
    CHECK(rec.kpi("tasks_closed") >= last_closed);
    last_participation = participation;
    last_closed = rec.kpi("tasks_closed");
  }
  CHECK(last_participation > 0.9);
}

TEST_CASE("models::strategic: beta > 0 slows submissions and beta < 0 speeds them", "[models][validation]") {
  json doc = small_scenario();
  doc["tasks"] = {{"count", 300}, {"expected_duration", 60}, {"redundancy", 1}, {"bounty", 1.0}};
  doc["workers"] = {{"count", 10}, {"accuracy", 0.8}, {"reservation_wage", 6}, {"behavior", {{"model", "strategic"}}}};
  auto mean_time = [&](double beta) {
    doc["incentive"] = {{"policy", "exponential_progress"}, {"beta", beta}, {"p_max", 2}};
    return run_in_memory(doc).kpi("duration_mean");
  };
  double slow = mean_time(1.0), neutral = mean_time(0.0), fast = mean_time(-1.0);
  CHECK(slow > neutral);
  CHECK(fast < neutral);
}

TEST_CASE("models::strategic: a quality threshold raises effort and quality over fixed pay", "[models][validation]") {
  json doc = small_scenario();
  doc["tasks"] = {{"count", 300}, {"expected_duration", 60}, {"redundancy", 1}, {"bounty", 0.5}, {"classes", 2}};
  doc["workers"] = {{"count", 10}, {"accuracy", 0.8}, {"reservation_wage", 6}, {"behavior", {{"model", "strategic"}}}};
  doc["incentive"] = {{"policy", "fixed"}};
  auto fixed = run_in_memory(doc);
  doc["incentive"] = {{"policy", "quality_threshold"}, {"threshold", 0.5}};
  auto threshold = run_in_memory(doc);
  // Under exact review only right answers clear the threshold: effort now pays.
  CHECK(threshold.kpi("effort_mean") > fixed.kpi("effort_mean"));
  CHECK(threshold.kpi("mean_quality") > fixed.kpi("mean_quality"));
  CHECK(threshold.kpi("total_cost") < fixed.kpi("total_cost"));  // wrong answers are not paid
}

TEST_CASE("models::strategic: strategies are the same whatever the thread count and the cache", "[models]") {
  // Games are solved once per parameters and remembered by the process: a run that solves and a
  // run that finds the solution remembered, and runs on one or two threads, write the same rows.
  io::Scenario s = io::load_scenario(std::string(CROWDSIM_SOURCE_DIR) + "/scenarios/equilibrium_contest.json",
                                     {"tasks.count=120", "replications=3", "seed=4242"});
  auto record = [&](unsigned threads) {
    testing::MemoryRecorder rec;
    experiment::run_experiment(s, rec, {}, threads);
    return rec;
  };
  auto first = record(2), again = record(1);  // the first solves (on a worker thread), the second remembers
  REQUIRE(first.strategies.size() == again.strategies.size());
  REQUIRE_FALSE(first.strategies.empty());
  CHECK(first.same_kpis(again));
  for (std::size_t i = 0; i < first.strategies.size(); ++i) {
    const auto &a = first.strategies[i], &b = again.strategies[i];
    CHECK(a.effort == b.effort);
    CHECK(a.delay == b.delay);
    CHECK(a.expected_utility == b.expected_utility);
    CHECK(a.converged == b.converged);
  }
  REQUIRE(first.assignments.size() == again.assignments.size());
  for (std::size_t i = 0; i < first.assignments.size(); ++i) CHECK(first.assignments[i].utility == again.assignments[i].utility);
}
