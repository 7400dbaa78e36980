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

CROWDSIM_REGISTER {
  incentive_policies().add(
      {"deadline_bonus", "c = k + bonus when on time (by the task's deadline, or t <= within when set), else k",
       {sim::required_number("bonus", sim::Bounds::non_negative(), "paid on top of k when on time", "currency"),
        sim::optional_duration("within", sim::Bounds::positive(),
                               "on time if the work took at most this; absent: by the task's deadline")},
       [](const sim::Params& p) {
         return std::make_unique<DeadlineBonus>(p.number("bonus"), p.has("within") ? p.duration("within") : 0.0);
       }});
}

}  // namespace crowdsim::models
