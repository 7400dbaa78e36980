#include "models/behavior/strategy_book.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "models/behavior/equilibrium.hpp"

namespace crowdsim::models {

namespace {

// Buckets of traits: strategies are computed once per bucket, at its centre. A trait the group
// draws from a constant is used exactly.
constexpr double kSpeedStep = 0.05;     // relative
constexpr double kAccuracyStep = 0.01;  // absolute
constexpr double kWageStep = 0.05;      // relative
// Games: representative workers per group (one when all its traits are constant), the
// tolerance of the equilibrium (a share of the bounty) and the iteration budget.
constexpr int kRepresentatives = 16;
constexpr double kTolerance = 1e-5;
constexpr int kMaxIterations = 60;
// Once converged, the iteration is polished (equilibrium.hpp) until no one gains more than
// 1e-10 k or the largest move is 1e-5 (in effort, or in delay over the horizon): a best response
// to the rivals found is then as close to theirs (the gain is second order in the distance, so
// 1e-5 k alone leaves them up to ~sqrt(2e-5 k / |U''|) apart, ~3e-3 in effort, and in contests of
// identical workers an expected prize 0.1-0.3% off the pool's share).
constexpr double kPolishGain = 1e-10;
constexpr double kPolishMove = 1e-5;

std::string hex(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a,", v);
  return buf;
}

std::string behavior_key(const BehaviorParams& b) {
  return std::to_string(static_cast<int>(b.model)) + (b.logit ? "L" : "T") + hex(b.temperature) + hex(b.effort_min) +
         hex(b.effort_max) + hex(b.kappa) + hex(b.effort_cost) + hex(b.risk_aversion) + hex(b.effort) + hex(b.delay);
}

// Everything a type's strategies depend on: the type, the work, the review, the incentive and
// (for games) every group of workers.
std::string model_key(const ModelParams& p, std::size_t type) {
  const TaskType& t = p.tasks.types[type];
  const ReviewParams& r = p.review;
  std::string k = p.incentive.params.dump() + "|" + std::to_string(static_cast<int>(r.model)) + hex(r.sd) +
                  hex(r.gold_fraction) + hex(r.prior_alpha) + hex(r.prior_beta) + "|" + hex(t.expected_duration) +
                  hex(t.bounty) + std::to_string(t.redundancy) + "," + std::to_string(t.classes) + (t.labelled ? "L" : "C") +
                  t.difficulty.key() + hex(t.deadline) + (t.expire ? "E" : "K") + (t.cancel_in_progress ? "C" : "A") + "|" + p.work.time_noise.key();
  for (const WorkerGroup& g : p.workers.groups)
    k += "|" + hex(g.share) + g.speed.key() + g.skill[type].key() + g.reservation_wage.key() + behavior_key(g.behavior);
  return k;
}

bool constant(const sim::Distribution& d) { return d.kind() == sim::Distribution::Kind::kConstant; }

Traits bucket_of(const WorkerGroup& g, std::size_t type, const Traits& x) {
  Traits b = x;
  if (!constant(g.speed)) b.speed = std::pow(1.0 + kSpeedStep, std::round(std::log(x.speed) / std::log1p(kSpeedStep)));
  if (!constant(g.skill[type])) b.accuracy = std::clamp(std::round(x.accuracy / kAccuracyStep) * kAccuracyStep, 0.0, 1.0);
  if (!constant(g.reservation_wage) && x.wage > 0)
    b.wage = std::pow(1.0 + kWageStep, std::round(std::log(x.wage) / std::log1p(kWageStep)));
  return b;
}

// A permutation of 0 .. n-1 from the order of frac((i + 1) · alpha): stratified draws of several
// traits, decorrelated without a random stream.
std::vector<int> spread(int n, double alpha) {
  std::vector<std::pair<double, int>> v;
  for (int i = 0; i < n; ++i) v.emplace_back(std::fmod((i + 1) * alpha, 1.0), i);
  std::sort(v.begin(), v.end());
  std::vector<int> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(v[static_cast<std::size_t>(i)].second)] = i;
  return out;
}

struct Representative {
  std::int32_t group;
  Traits traits;
  double weight;  // share of the population
};

std::vector<Representative> representatives(const ModelParams& p, std::size_t type) {
  std::vector<Representative> out;
  for (std::size_t gi = 0; gi < p.workers.groups.size(); ++gi) {
    const WorkerGroup& g = p.workers.groups[gi];
    bool fixed = constant(g.speed) && constant(g.skill[type]) && constant(g.reservation_wage);
    int n = fixed ? 1 : kRepresentatives;
    std::vector<int> pa = spread(n, 0.6180339887498949), pw = spread(n, 0.4142135623730951);
    for (int i = 0; i < n; ++i) {
      auto u = [&](int cell) { return (cell + 0.5) / n; };
      Traits t{g.speed.quantile(u(i)), g.skill[type].quantile(u(pa[static_cast<std::size_t>(i)])),
               g.reservation_wage.quantile(u(pw[static_cast<std::size_t>(i)]))};
      out.push_back(Representative{static_cast<std::int32_t>(gi), t, g.share / n});
    }
  }
  return out;
}

// Solves the game of one task type: the equilibrium strategies of the representatives, and the
// rivals they make, set into `env`.
GameInfo solve_game(const ModelParams& p, std::size_t type, Environment& env) {
  GameInfo info;
  info.game = true;
  std::vector<Representative> reps = representatives(p, type);
  const auto& groups = p.workers.groups;
  std::vector<Decision> profile;
  std::vector<bool> moves;
  for (const Representative& r : reps) {
    const BehaviorParams& b = groups[static_cast<std::size_t>(r.group)].behavior;
    moves.push_back(b.strategic());
    Decision d;
    if (b.model == BehaviorParams::Model::kFixed) d.effort = b.effort, d.delay = b.delay;
    profile.push_back(d);
  }
  auto behavior = [&](std::size_t i) -> const BehaviorParams& { return groups[static_cast<std::size_t>(reps[i].group)].behavior; };
  bool nobody = false;  // no type would take the task at the profile prepared last
  auto prepare = [&](const std::vector<Decision>& prof) {
    std::vector<Rival> rivals;
    for (std::size_t i = 0; i < reps.size(); ++i)
      rivals.push_back(Rival{reps[i].weight, prof[i].effort, reps[i].traits.accuracy, &behavior(i), reps[i].traits.speed,
                             prof[i].delay});
    set_rivals(env, rivals);
    // Who takes part at these rivals: only they are rivals.
    double kept = 0.0;
    for (std::size_t i = 0; i < reps.size(); ++i) {
      double u = evaluate(behavior(i), env, reps[i].traits, prof[i].effort, prof[i].delay).utility;
      rivals[i].weight *= take_probability(behavior(i), u);
      kept += rivals[i].weight;
    }
    nobody = !(kept > 0);
    if (!nobody) set_rivals(env, rivals);
  };
  auto respond = [&](std::size_t i) { return best_response(behavior(i), env, reps[i].traits); };
  // A worker who would not take the task keeps its outside option, 0: its payoff under the
  // threshold choice is max(U, 0), so a strategy it would not use anyway never holds up
  // convergence. But while nobody would take it, the rivals each type faces are every type at its
  // current strategy, and those strategies must first be best responses to each other: clamped,
  // every gain would be 0 at a start where nobody takes part, and the iteration would stop there
  // although, moving on, the types reach an equilibrium where all take part and gain (a contest
  // of two at k = 1, w = 6/h: effort 0.43, U = +0.07).
  auto payoff = [&](std::size_t i, const Decision& d) {
    double u = evaluate(behavior(i), env, reps[i].traits, d.effort, d.delay).utility;
    return behavior(i).logit || nobody ? u : std::max(u, 0.0);
  };
  auto mix = [](const Decision& a, const Decision& b, double l) {
    Decision d = b;
    d.effort = a.effort + l * (b.effort - a.effort);
    d.delay = a.delay + l * (b.delay - a.delay);
    return d;
  };
  // The direction of a move: effort and delay, the delay in units of the longest one considered.
  const double unit = env.horizon > 0 ? env.horizon : 1.0;
  auto toward = [unit](const Decision& a, const Decision& b) {
    double de = b.effort - a.effort, dd = (b.delay - a.delay) / unit;
    return std::abs(de) >= std::abs(dd) ? de : dd;
  };
  double tolerance = kTolerance * std::max(p.tasks.types[type].bounty, 1e-12);
  Polish polish{kPolishGain * std::max(p.tasks.types[type].bounty, 1e-12), kPolishMove};
  EquilibriumResult r =
      best_response_dynamics(profile, moves, prepare, respond, payoff, mix, toward, tolerance, kMaxIterations, polish);
  info.converged = r.converged;
  // The rivals are prepared for the profile returned. When no type takes part there, they are
  // every type at its strategy, as if it entered (what the iteration needs); but the real
  // workers must plan against rivals who stay out: a contest then never fills, and pays nothing.
  if (nobody && env.contest && env.redundancy > 1) env.deserted = true;
  return info;
}

// Process-wide memory of solved types and bucket strategies (pure functions of their keys).
struct Cache {
  std::mutex mu;
  std::unordered_map<std::string, std::pair<Environment, GameInfo>> games;
  std::unordered_map<std::string, Decision> strategies;
  static Cache& get() {
    static Cache c;
    return c;
  }
};
// Bounds on what the process remembers: a solved game holds its rivals' tabulated review laws
// (up to half a MiB), a bucket's strategy a few hundred bytes. Past a bound the memory starts over.
constexpr std::size_t kGameLimit = 64;
constexpr std::size_t kStrategyLimit = 100000;

}  // namespace

struct StrategyBook::Impl {
  const ModelParams* params;
  std::vector<Environment> envs;  // per task type (leaf types only are used)
  std::vector<GameInfo> games;
  std::vector<std::string> keys;
  std::map<std::tuple<std::int32_t, std::int32_t, double, double, double>, std::uint32_t> index;
};

StrategyBook::StrategyBook(const ModelParams& params, const IncentivePolicy& policy) : impl_(std::make_unique<Impl>()) {
  impl_->params = &params;
  Cache& cache = Cache::get();
  for (std::size_t t = 0; t < params.tasks.types.size(); ++t) {
    const TaskType& tt = params.tasks.types[t];
    Environment env = make_environment(tt, params.work, params.review, policy);
    GameInfo info;
    std::string key = model_key(params, t);
    if (env.game() && tt.decompose.into < 0 && params.workers.any_plans()) {
      bool found = false;
      {
        std::lock_guard<std::mutex> lock(cache.mu);
        auto it = cache.games.find(key);
        if (it != cache.games.end()) env = it->second.first, info = it->second.second, found = true;
      }
      if (!found) {
        info = solve_game(params, t, env);
        std::lock_guard<std::mutex> lock(cache.mu);
        if (cache.games.size() >= kGameLimit) cache.games.clear();
        cache.games.emplace(key, std::make_pair(env, info));
      }
      env.policy = &policy;  // the cached copy points at the run that solved it
    }
    impl_->envs.push_back(std::move(env));
    impl_->games.push_back(info);
    impl_->keys.push_back(std::move(key));
  }
}

StrategyBook::~StrategyBook() = default;

std::uint32_t StrategyBook::assign(std::int32_t group, std::int32_t type, const Traits& traits) {
  const ModelParams& p = *impl_->params;
  const WorkerGroup& g = p.workers.groups[static_cast<std::size_t>(group)];
  Traits b = bucket_of(g, static_cast<std::size_t>(type), traits);
  auto id = std::make_tuple(group, type, b.speed, b.accuracy, b.wage);
  auto found = impl_->index.find(id);
  if (found != impl_->index.end()) {
    ++entries_[found->second].workers;
    return found->second;
  }
  const Environment& env = impl_->envs[static_cast<std::size_t>(type)];
  std::string key = impl_->keys[static_cast<std::size_t>(type)] + "#" + std::to_string(group) + "," + hex(b.speed) +
                    hex(b.accuracy) + hex(b.wage);
  Cache& cache = Cache::get();
  Decision d;
  bool cached = false;
  {
    std::lock_guard<std::mutex> lock(cache.mu);
    auto it = cache.strategies.find(key);
    if (it != cache.strategies.end()) d = it->second, cached = true;
  }
  if (!cached) {
    d = best_response(g.behavior, env, b);
    std::lock_guard<std::mutex> lock(cache.mu);
    if (cache.strategies.size() >= kStrategyLimit) cache.strategies.clear();
    cache.strategies.emplace(key, d);
  }
  auto index = static_cast<std::uint32_t>(entries_.size());
  entries_.push_back(StrategyEntry{group, type, b, d, effort_gain(g.behavior, d.effort),
                                   impl_->games[static_cast<std::size_t>(type)].converged, 1});
  impl_->index.emplace(id, index);
  return index;
}

Decision StrategyBook::evaluate(std::int32_t group, std::int32_t type, const Traits& traits, double effort,
                                double delay) const {
  const WorkerGroup& g = impl_->params->workers.groups[static_cast<std::size_t>(group)];
  return models::evaluate(g.behavior, impl_->envs[static_cast<std::size_t>(type)], traits, effort, delay);
}

const GameInfo& StrategyBook::game(std::int32_t type) const { return impl_->games[static_cast<std::size_t>(type)]; }

}  // namespace crowdsim::models
