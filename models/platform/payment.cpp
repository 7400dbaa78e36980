// Payment and budget: submissions held until a task's close paid as the incentive ranks them,
// budget reservations checked and released, publishing stopped when the budget refuses.
#include "models/platform.hpp"

#include <vector>

#include "models/incentive/policy.hpp"

namespace crowdsim::models {

// True when the money paid so far, the reservations of the open tasks and this type's worst
// case fit in the budget.
bool Platform::fits_budget(std::int32_t type) const {
  return !budgeted_ || summary_.total_cost() + reserved_ + task_cost_[static_cast<std::size_t>(type)] <= params_.budget;
}

// Releases what task `t` has reserved beyond `keep` (its remaining worst case).
void Platform::release(TaskState& t, double keep) {
  if (t.reserved <= keep) return;
  reserved_ -= t.reserved - keep;
  t.reserved = keep;
  released_ = true;
}

// The budget cannot cover the next task even with nothing open: the backlog and every later
// arrival are refused.
void Platform::stop_publishing() {
  if (publishing_stopped_) return;
  publishing_stopped_ = true;
  backlog_.clear();
  budget_.exhausted_at = now();
  if (arrival_pending_) sim_.clear_timer(arrival_timer_);
  arrival_pending_ = false;
  alert(AlertKind::kBudgetExhausted, -1, -1, params_.budget - summary_.total_cost());
}

// Pays and records one submission, its reward in the record.
void Platform::pay_one(const AssignmentRecord& rec, std::int32_t type) {
  WorkerState& w = workers_[static_cast<std::size_t>(rec.worker_id)];
  w.earnings += rec.reward;
  credit(static_cast<std::uint32_t>(rec.worker_id), type, rec.utility);
  summary_.on_payment(rec.reward);
  if (keeps_.assignments) recorder_.assignment(rec);
}

// Pays the submissions a task held until its close, as the incentive ranks them; returns the total.
double Platform::pay(const std::vector<AssignmentRecord>& held, const std::vector<Submission>& subs, std::int32_t type) {
  std::vector<double> rewards = incentive_->rewards_at_close(subs);
  double total = 0.0;
  for (std::size_t i = 0; i < held.size(); ++i) {
    AssignmentRecord rec = held[i];
    rec.reward = rewards[i];
    rec.utility = utility_of_assignment(static_cast<std::uint32_t>(rec.worker_id), rec.reward, rec.duration, rec.effort);
    total += rec.reward;
    pay_one(rec, type);
    // A worker gone before the contest closed: its row waited for this prize.
    WorkerState& w = workers_[static_cast<std::size_t>(rec.worker_id)];
    if (--w.held == 0 && !w.online) recorder_.worker(worker_record(static_cast<std::uint32_t>(rec.worker_id)));
  }
  return total;
}

}  // namespace crowdsim::models
