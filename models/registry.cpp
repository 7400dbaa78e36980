#include "models/registry.hpp"

#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"

namespace crowdsim::models {

// Built-ins are registered explicitly rather than by static initialisers in their own files:
// a static library drops object files nothing refers to, and their registrations with them.
AssignmentRegistry& assignment_policies() {
  static AssignmentRegistry r = [] {
    AssignmentRegistry reg;
    register_fifo(reg);
    register_random(reg);
    register_round_robin(reg);
    register_least_loaded(reg);
    register_greedy_skill(reg);
    register_reputation(reg);
    register_bandit_policies(reg);
    register_linucb(reg);
    register_learned(reg);
    register_batch_policies(reg);
    register_pull_policies(reg);
    return reg;
  }();
  return r;
}

IncentiveRegistry& incentive_policies() {
  static IncentiveRegistry r = [] {
    IncentiveRegistry reg;
    register_fixed(reg);
    register_exponential_progress(reg);
    register_linear_quality(reg);
    register_quality_threshold(reg);
    register_deadline_bonus(reg);
    register_tournament(reg);
    return reg;
  }();
  return r;
}

}  // namespace crowdsim::models
