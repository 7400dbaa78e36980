#include <sstream>

#include "models/incentive/policy.hpp"

namespace crowdsim::models {
namespace {

/// The bounty, plus a bonus for work in on time: by the task's deadline and, when `within` is
/// set, within that time of taking the slot. A late answer (past its task's deadline) never
/// earns the bonus.
class DeadlineBonus final : public IncentivePolicy {
 public:
  DeadlineBonus(double bonus, double within) : bonus_(bonus), within_(within) {}
  double reward(const Submission& s) const override {
    bool on_time = s.deadline_left >= 0 && (within_ <= 0 || s.duration <= within_);
    return s.bounty + (on_time ? bonus_ : 0.0);
  }
  RewardShape shape() const override { return {true, RewardShape::Review::kNone, 0.0}; }
  double max_reward(double bounty, double) const override { return bounty + bonus_; }
  std::string describe() const override {
    std::ostringstream os;
    os << "c = k + " << bonus_ << " if ";
    os << "submitted by the deadline";
    if (within_ > 0) os << " and t <= " << within_ << " s";
    os << ", else k";
    return os.str();
  }

 private:
  double bonus_, within_;  // within_ = 0: use the task's deadline
};

}  // namespace

CROWDSIM_REGISTER {
  incentive_policies().add(
      {"deadline_bonus", "c = k + bonus when on time (by the task's deadline, and t <= within when set), else k",
       {sim::required_number("bonus", sim::Bounds::non_negative(), "paid on top of k when on time", "currency"),
        sim::optional_duration("within", sim::Bounds::positive(),
                               "on time only if the work also took at most this; absent: the task's deadline alone")},
       [](const sim::Params& p) {
         return std::make_unique<DeadlineBonus>(p.number("bonus"), p.has("within") ? p.duration("within") : 0.0);
       }});
}

}  // namespace crowdsim::models
