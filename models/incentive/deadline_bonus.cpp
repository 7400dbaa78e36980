#include <sstream>

#include "models/incentive/policy.hpp"

namespace crowdsim::models {
namespace {

/// The bounty, plus a bonus for work in on time: by the task's deadline, or within a fixed time
/// of taking the slot when `within` is set (for tasks without deadlines).
class DeadlineBonus final : public IncentivePolicy {
 public:
  DeadlineBonus(double bonus, double within) : bonus_(bonus), within_(within) {}
  double reward(const Submission& s) const override {
    bool on_time = within_ > 0 ? s.duration <= within_ : s.deadline_left >= 0;
    return s.bounty + (on_time ? bonus_ : 0.0);
  }
  RewardShape shape() const override { return {true, RewardShape::Review::kNone, 0.0}; }
  double max_reward(double bounty, double) const override { return bounty + bonus_; }
  std::string describe() const override {
    std::ostringstream os;
    os << "c = k + " << bonus_ << " if ";
    if (within_ > 0) os << "t <= " << within_ << " s";
    else os << "submitted by the deadline";
    os << ", else k";
    return os.str();
  }

 private:
  double bonus_, within_;  // within_ = 0: use the task's deadline
};

}  // namespace

void register_deadline_bonus(IncentiveRegistry& r) {
  r.add("deadline_bonus",
        "c = k + bonus when on time (by the task's deadline, or t <= within when set), else k",
        [](const sim::Config& c) {
          double bonus = c.number("bonus", sim::Bounds::non_negative());
          double within = c.has("within") ? c.duration("within", sim::Bounds::positive()) : 0.0;
          return std::make_unique<DeadlineBonus>(bonus, within);
        });
}

}  // namespace crowdsim::models
