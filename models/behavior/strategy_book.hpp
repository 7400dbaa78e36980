#pragma once
/// \file The strategies of one run's planning workers (strategic or fixed groups), by group, task
/// type and bucket of traits. Games (contests, agreement review) are first solved for an
/// equilibrium among representative workers of every group; each bucket then best-responds to
/// the rivals it found. Results depend on the parameters alone, so they are shared by every run
/// of the process that has the same ones (a cache keyed by those parameters).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/behavior/strategic.hpp"

namespace crowdsim::models {

/// One strategy of the run and what it was chosen for.
struct StrategyEntry {
  std::int32_t group = 0, type = 0;
  Traits traits;              ///< the bucket's traits (exact where the group's are constant)
  Decision decision;          ///< the strategy and its expected consequences at those traits
  double gain = 1.0;          ///< effort_gain at the strategy's effort (asked at every assignment)
  bool converged = true;      ///< games: the equilibrium iteration converged
  std::int64_t workers = 0;   ///< workers of the run who use it
};

/// How a game's equilibrium iteration ended, per task type.
struct GameInfo {
  bool game = false, converged = true;
};

class StrategyBook {
 public:
  /// Prepares the environments of the leaf task types (and solves their games).
  StrategyBook(const ModelParams& params, const IncentivePolicy& policy);
  ~StrategyBook();
  StrategyBook(const StrategyBook&) = delete;
  StrategyBook& operator=(const StrategyBook&) = delete;

  /// The index (into entries()) of the strategy of a worker of `group` with `traits` for task
  /// type `type`; the worker is counted among its users.
  std::uint32_t assign(std::int32_t group, std::int32_t type, const Traits& traits);
  /// Every strategy handed out so far.
  const std::vector<StrategyEntry>& entries() const { return entries_; }
  /// The expected consequences of (effort, delay) for a worker of `group` with `traits`.
  Decision evaluate(std::int32_t group, std::int32_t type, const Traits& traits, double effort, double delay) const;
  /// How the game of type `type` was solved.
  const GameInfo& game(std::int32_t type) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<StrategyEntry> entries_;
};

}  // namespace crowdsim::models
