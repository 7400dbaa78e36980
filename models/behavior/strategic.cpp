#include "models/behavior/strategic.hpp"

#include <algorithm>
#include <cmath>

#include "models/behavior/maximize.hpp"
#include "models/population.hpp"

namespace crowdsim::models {

namespace {

// Quadrature sizes: difficulty and time noise by equally likely cells (docs/incentives.md).
constexpr int kDifficultyNodes = 16;
constexpr int kNoiseNodes = 48;

double prior_mean(const ReviewParams& r) { return r.prior_alpha / (r.prior_alpha + r.prior_beta); }
double chance_of(const Environment& env) { return env.labelled ? 1.0 / env.classes : 0.0; }

// Agreement review is "a race" on labelled tasks with several answers: the first answer is paid on
// reputation, the later ones on agreement with the answers before them.
bool race(const Environment& env) {
  return env.review.model == ReviewParams::Model::kAgreement && env.labelled && env.redundancy > 1;
}

// Where an answer falls among a task's M answers: P(first), and P(agree) = P(not first and
// agreeing with the plurality of the earlier ones), for an answer right with probability q
// completed at time t. With rivals known, the number before it is Binomial(M − 1, P(a rival is
// before t)); without, every position is equally likely and the rivals answer like this worker.
struct Place {
  double first, agree;
};
Place place_of(const Environment& env, std::size_t m, double q, double t) {
  const int n = env.redundancy - 1;
  Place out{0.0, 0.0};
  if (!race(env)) return out;
  if (env.rival_time.empty() || env.agree_right.empty()) {
    out.first = 1.0 / (n + 1);
    for (int j = 1; j <= n; ++j) {
      auto [r1, w1] = agreement_odds(j, env.classes, q);
      out.agree += (q * r1 + (1.0 - q) * w1) / (n + 1);
    }
    return out;
  }
  double pb = std::clamp(env.rival_before(m, t), 0.0, 1.0), pa = 1.0 - pb;
  // P(j before) for j = 0 .. n, by the recurrence of the binomial probabilities.
  double pj = std::pow(pa, n);
  out.first = pj;
  for (int j = 1; j <= n; ++j) {
    pj = pa > 0 ? pj * (n - j + 1) / j * pb / pa : (j == n ? 1.0 : 0.0);
    const double ar = env.agree_right[m][static_cast<std::size_t>(j - 1)], aw = env.agree_wrong[m][static_cast<std::size_t>(j - 1)];
    out.agree += pj * (q * ar + (1.0 - q) * aw);
  }
  return out;
}

// The law of the review at one difficulty node, for a submission right with probability q (or of
// quality q) by a worker whose long-run reputation is `rep`; `at` is where it falls among the
// task's answers (agreement review).
void review_law_at(const Environment& env, double q, double rep, const Place& at, ReviewLaw& law) {
  using M = ReviewParams::Model;
  law.clear();
  const ReviewParams& r = env.review;
  switch (r.model) {
    case M::kExact:
      if (env.labelled) law.point(q, 1.0), law.point(1.0 - q, 0.0);
      else law.point(1.0, q);
      break;
    case M::kOracleAccuracy: law.point(1.0, q); break;
    case M::kNoisy:
      if (env.labelled) law.clipped_normal(q, 1.0, r.sd), law.clipped_normal(1.0 - q, 0.0, r.sd);
      else law.clipped_normal(1.0, q, r.sd);
      break;
    case M::kGold: {
      double g = r.gold_fraction;
      if (env.labelled) law.point(g * q, 1.0), law.point(g * (1.0 - q), 0.0);
      else law.point(g, q);
      law.point(1.0 - g, rep);
      break;
    }
    case M::kAgreement:
      if (!race(env)) {
        law.point(1.0, rep);
        break;
      }
      law.point(at.first, rep);
      law.point(at.agree, 1.0);
      law.point(std::max(0.0, 1.0 - at.first - at.agree), 0.0);
      break;
  }
}

// The worker's long-run reputation, the mean review of the answers the platform assesses (gold:
// the gold ones; agreement: all but first answers), under a strategy with qualities q at the
// difficulty nodes and completion times base · D · N + delay; `places`, if given, are where the
// answers fall at each (difficulty, noise) node, already computed. Other models do not pay on it.
double long_run_reputation(const Environment& env, const std::vector<double>& q, double base, double delay,
                           const std::vector<Place>* places = nullptr) {
  using M = ReviewParams::Model;
  if (env.review.model == M::kGold) {
    double rep = 0.0;
    for (std::size_t m = 0; m < q.size(); ++m) rep += env.difficulty[m].w * q[m];
    return rep;
  }
  if (env.review.model != M::kAgreement) return 0.0;
  if (!race(env)) return prior_mean(env.review);
  double agree = 0.0, assessed = 0.0;
  const std::size_t nn = env.noise.size();
  for (std::size_t m = 0; m < q.size(); ++m)
    for (std::size_t j = 0; j < nn; ++j) {
      const Node& nj = env.noise[j];
      Place at = places ? (*places)[m * nn + j] : place_of(env, m, q[m], base * env.difficulty[m].x * nj.x + delay);
      double w = env.difficulty[m].w * nj.w;
      agree += w * at.agree, assessed += w * (1.0 - at.first);
      if (env.rival_time.empty()) break;  // positions do not depend on time
    }
  return assessed > 0 ? agree / assessed : prior_mean(env.review);
}

// The reward's nodes under review law `law` at difficulty node m: rewards already (contests:
// returns true), or reviews r to be paid at a time (returns false).
bool reward_nodes(const Environment& env, const ReviewLaw& law, std::size_t m, bool neutral, std::vector<Node>& out,
                  std::vector<Node>& scratch) {
  out.clear();
  if (env.contest && env.deserted) {
    out.push_back(Node{0.0, 1.0});
    return true;
  }
  if (env.contest) {
    const ReviewLaw& rival = env.rival_review.empty() || env.rival_review[m].empty() ? law : env.rival_review[m];
    scratch.clear();
    law.nodes(scratch, ReviewLaw::Interior::kGauss);  // smooth in the rivals' distribution function
    for (const Node& n : scratch)
      out.push_back(Node{env.policy->contest_reward(env.bounty, env.redundancy - 1, rival.below(n.x), rival.equal(n.x)), n.w});
    return true;
  }
  switch (env.shape.review) {
    case RewardShape::Review::kNone: out.push_back(Node{law.mean(), 1.0}); break;
    case RewardShape::Review::kLinear:
      if (neutral) out.push_back(Node{law.mean(), 1.0});
      else law.nodes(out);
      break;
    case RewardShape::Review::kStep: {
      double above = 1.0 - law.below(env.shape.step);
      if (above > 0) out.push_back(Node{env.shape.step, above});
      if (above < 1) out.push_back(Node{std::nextafter(env.shape.step, -INFINITY), 1.0 - above});
      break;
    }
    case RewardShape::Review::kGeneral: law.nodes(out); break;
  }
  return false;
}

}  // namespace

double Environment::rival_before(std::size_t m, double t) const {
  double p = 0.0, total = 0.0;
  for (const RivalTime& r : rival_time[m]) {
    total += r.weight;
    if (t > r.delay) p += r.weight * noise_law.cdf((t - r.delay) / r.scale);
  }
  return total > 0 ? p / total : 0.0;
}

Environment make_environment(const TaskType& type, const WorkParams& work, const ReviewParams& review,
                             const IncentivePolicy& policy) {
  Environment env;
  env.policy = &policy;
  env.shape = policy.shape();
  env.review = review;
  env.bounty = type.bounty;
  env.expected_duration = type.expected_duration;
  env.deadline = type.deadline;
  env.cancel_late = type.expire && type.cancel_in_progress;
  env.labelled = type.labelled;
  env.classes = type.classes;
  env.redundancy = type.redundancy;
  env.contest = policy.pays_at_close();
  // A delay can pay when the reward depends on time, or when it decides who answers first.
  env.horizon = env.shape.time || race(env) ? std::max(0.0, policy.time_horizon(type.expected_duration)) : 0.0;
  env.difficulty = quantile_nodes(type.difficulty, kDifficultyNodes);
  env.noise = quantile_nodes(work.time_noise, kNoiseNodes);
  env.noise_law = work.time_noise;
  env.mean_difficulty = type.difficulty.mean();
  env.mean_noise = work.time_noise.mean();
  return env;
}

void set_rivals(Environment& env, const std::vector<Rival>& rivals) {
  const std::size_t nd = env.difficulty.size();
  double total = 0.0;
  for (const Rival& r : rivals) total += r.weight;
  env.rival_review.assign(nd, ReviewLaw{});
  env.rival_time.assign(nd, {});
  env.agree_right.clear();
  env.agree_wrong.clear();
  if (total <= 0.0) return;
  const double chance = chance_of(env);
  std::vector<double> right(nd, 0.0), q(nd);
  ReviewLaw law;
  Environment plain;  // contests: env without rivals, copied once
  if (env.contest) {
    plain = env;
    plain.rival_review.clear();
    plain.rival_time.clear();
  }
  for (const Rival& r : rivals) {
    if (r.weight <= 0) continue;
    for (std::size_t m = 0; m < nd; ++m) {
      q[m] = quality_at(*r.behavior, r.accuracy, chance, r.effort, env.difficulty[m].x);
      right[m] += r.weight / total * q[m];
      env.rival_time[m].push_back(
          Environment::RivalTime{r.weight, env.expected_duration * env.difficulty[m].x * r.speed * r.effort, r.delay});
    }
    if (!env.contest) continue;
    // A rival's review law in a contest (agreement contests: positions taken as equally likely,
    // which `plain`, without rival times, gives).
    double base = env.expected_duration * r.speed * r.effort;
    double rep = long_run_reputation(plain, q, base, r.delay);
    for (std::size_t m = 0; m < nd; ++m) {
      review_law_at(env, q[m], rep, place_of(plain, m, q[m], 0.0), law);
      env.rival_review[m].add(law, r.weight / total);
    }
  }
  if (env.contest)
    for (ReviewLaw& l : env.rival_review) l.tabulate();
  if (race(env)) {
    const auto n = static_cast<std::size_t>(env.redundancy - 1);
    env.agree_right.assign(nd, std::vector<double>(n, 0.0));
    env.agree_wrong.assign(nd, std::vector<double>(n, 0.0));
    for (std::size_t m = 0; m < nd; ++m)
      for (std::size_t j = 1; j <= n; ++j) {
        auto [r1, w1] = agreement_odds(static_cast<int>(j), env.classes, right[m]);
        env.agree_right[m][j - 1] = r1;
        env.agree_wrong[m][j - 1] = w1;
      }
  }
}

double effort_gain(const BehaviorParams& b, double effort) {
  return (1.0 - std::exp(-b.kappa * effort)) / (1.0 - std::exp(-b.kappa));
}

double quality_at(const BehaviorParams& b, double accuracy, double chance, double effort, double difficulty) {
  return answer_quality(accuracy, chance, effort_gain(b, effort), difficulty);
}

Decision evaluate(const BehaviorParams& b, const Environment& env, const Traits& traits, double effort, double delay) {
  const std::size_t nd = env.difficulty.size();
  const double chance = chance_of(env), k = env.bounty, T = env.expected_duration;
  const double effort_cost = b.plans() ? b.effort_cost * (effort - 1.0) * (effort - 1.0) : 0.0;
  const double base = T * traits.speed * effort;  // t = base · D · N + delay
  const bool neutral = b.risk_aversion == 0.0;
  const bool cancel = env.cancel_late && std::isfinite(env.deadline);
  // Agreement with known rivals: the review's law depends on when the answer comes in.
  const bool timed_law = race(env) && !env.rival_time.empty() && !env.agree_right.empty();
  const bool time_nodes = env.shape.time || cancel || !neutral || timed_law;
  const IncentivePolicy& policy = *env.policy;

  thread_local std::vector<double> q;
  thread_local std::vector<Node> rewards, scratch;
  thread_local std::vector<Place> places;  // timed_law: where the answer falls, per (difficulty, noise) node
  thread_local ReviewLaw law;
  q.resize(nd);
  double mean_q = 0.0;
  for (std::size_t m = 0; m < nd; ++m) {
    q[m] = quality_at(b, traits.accuracy, chance, effort, env.difficulty[m].x);
    mean_q += env.difficulty[m].w * q[m];
  }
  const std::size_t nn = env.noise.size();
  if (timed_law) {  // needed twice: for the reputation, then for each node's review law
    places.resize(nd * nn);
    for (std::size_t m = 0; m < nd; ++m)
      for (std::size_t j = 0; j < nn; ++j)
        places[m * nn + j] = place_of(env, m, q[m], base * env.difficulty[m].x * env.noise[j].x + delay);
  }
  const double rep = long_run_reputation(env, q, base, delay, timed_law ? &places : nullptr);
  auto pay_at = [&](std::vector<Node>& nodes, double t, double qm) {
    for (Node& n : nodes) n.x = policy.reward(Submission{k, T, t, qm, n.x, env.deadline - t});
  };

  double pay = 0.0, time_sum = 0.0, eu = 0.0;
  for (std::size_t m = 0; m < nd; ++m) {
    const double pm = env.difficulty[m].w, dm = env.difficulty[m].x;
    bool known = false;
    if (!timed_law) {  // one law for every time: its reward nodes once
      review_law_at(env, q[m], rep, place_of(env, m, q[m], 0.0), law);
      known = reward_nodes(env, law, m, neutral, rewards, scratch);
      if (!known && !env.shape.time) pay_at(rewards, base * dm * env.mean_noise + delay, q[m]), known = true;
    }
    if (!time_nodes) {
      for (const Node& n : rewards) pay += pm * n.w * n.x;
      continue;
    }
    if (!known && !timed_law && !cancel && neutral && rewards.size() == 1) {
      // The usual time-dependent pay: a risk-neutral worker, one review law for every time and a
      // reward linear in the review (its mean, one node), no deadline cutting the work short. The
      // loop below without the cases it cannot meet (a third fewer instructions per best
      // response, docs/performance.md); the same sums, in the same order.
      const double qm = q[m], rx = rewards[0].x, rw = rewards[0].w;
      for (std::size_t j = 0; j < nn; ++j) {
        const Node& nj = env.noise[j];
        const double t = base * dm * nj.x + delay, wt = pm * nj.w;
        time_sum += wt * t;
        pay += wt * rw * policy.reward(Submission{k, T, t, qm, rx, env.deadline - t});
      }
      continue;
    }
    for (std::size_t j = 0; j < nn; ++j) {
      const Node& nj = env.noise[j];
      double t = base * dm * nj.x + delay;
      bool cancelled = cancel && t > env.deadline;
      double spent = cancelled ? env.deadline : t, wt = pm * nj.w;
      time_sum += wt * spent;
      bool known_here = known;
      if (timed_law) {
        review_law_at(env, q[m], rep, places[m * nn + j], law);
        known_here = reward_nodes(env, law, m, neutral, rewards, scratch);
        if (!known_here) pay_at(rewards, t, q[m]), known_here = true;
      }
      for (const Node& n : rewards) {
        double c = cancelled ? 0.0
                   : known_here ? n.x
                                : policy.reward(Submission{k, T, t, q[m], n.x, env.deadline - t});
        pay += wt * n.w * c;
        if (!neutral) eu += wt * n.w * utility_of(b, c - traits.wage * spent / 3600.0 - effort_cost);
      }
    }
  }
  Decision d;
  d.effort = effort;
  d.delay = delay;
  d.quality = mean_q;
  d.pay = pay;
  d.time = cancel ? time_sum : base * env.mean_difficulty * env.mean_noise + delay;
  d.utility = neutral ? pay - traits.wage * d.time / 3600.0 - effort_cost : eu;
  return d;
}

Decision best_response(const BehaviorParams& b, const Environment& env, const Traits& traits) {
  using M = BehaviorParams::Model;
  if (b.model == M::kSampled) return evaluate(b, env, traits, 1.0, 0.0);
  if (b.model == M::kFixed) return evaluate(b, env, traits, b.effort, b.delay);
  Maximum best = maximize_2d([&](double e, double d) { return evaluate(b, env, traits, e, d).utility; }, b.effort_min,
                             b.effort_max, 0.0, env.horizon);
  return evaluate(b, env, traits, best.x, best.y);
}

std::pair<double, double> agreement_odds(int earlier, int classes, double p) {
  if (earlier <= 0) return {1.0, 1.0};
  const int n = earlier, others = classes - 2;  // wrong labels besides the one in question
  const double q1 = classes > 1 ? (1.0 - p) / (classes - 1) : 0.0;
  // fits[m][cap]: P(m answers spread uniformly over `others` labels leave none above cap), from
  // m! [x^m] (Σ_{i <= cap} x^i / i!)^others / others^m.
  std::vector<std::vector<double>> fits(static_cast<std::size_t>(n) + 1, std::vector<double>(static_cast<std::size_t>(n) + 1, 0.0));
  std::vector<double> fact(static_cast<std::size_t>(n) + 1, 1.0);
  for (int i = 1; i <= n; ++i) fact[static_cast<std::size_t>(i)] = fact[static_cast<std::size_t>(i - 1)] * i;
  for (int cap = 0; cap <= n; ++cap) {
    std::vector<double> poly(static_cast<std::size_t>(n) + 1, 0.0), term(static_cast<std::size_t>(n) + 1, 0.0);
    poly[0] = 1.0;
    for (int i = 0; i <= std::min(cap, n); ++i) term[static_cast<std::size_t>(i)] = 1.0 / fact[static_cast<std::size_t>(i)];
    for (int b = 0; b < others; ++b) {
      std::vector<double> next(static_cast<std::size_t>(n) + 1, 0.0);
      for (int i = 0; i <= n; ++i)
        for (int j = 0; i + j <= n; ++j) next[static_cast<std::size_t>(i + j)] += poly[static_cast<std::size_t>(i)] * term[static_cast<std::size_t>(j)];
      poly.swap(next);
    }
    for (int m = 0; m <= n; ++m)
      fits[static_cast<std::size_t>(m)][static_cast<std::size_t>(cap)] =
          others > 0 ? fact[static_cast<std::size_t>(m)] * poly[static_cast<std::size_t>(m)] / std::pow(others, m) : (m == 0 ? 1.0 : 0.0);
  }
  double right = 0.0, wrong = 0.0;
  for (int t = 0; t <= n; ++t)
    for (int c = 0; t + c <= n; ++c) {
      int rest = n - t - c;
      double prob = fact[static_cast<std::size_t>(n)] / (fact[static_cast<std::size_t>(t)] * fact[static_cast<std::size_t>(c)] * fact[static_cast<std::size_t>(rest)]) *
                    std::pow(p, t) * std::pow(q1, c) * std::pow(q1 * others, rest);
      if (prob == 0.0) continue;
      if (t >= c) right += prob * fits[static_cast<std::size_t>(rest)][static_cast<std::size_t>(t)];
      if (c >= t) wrong += prob * fits[static_cast<std::size_t>(rest)][static_cast<std::size_t>(c)];
    }
  return {right, wrong};
}

}  // namespace crowdsim::models
