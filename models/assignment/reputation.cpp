#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"

namespace crowdsim::models {
namespace {

/// By reputation, the platform's Beta posterior of each worker's accuracy (review.prior_alpha,
/// prior_beta): a slot goes to the idle worker with the highest posterior mean. Workers below
/// `min_reputation` get no work at all (they stay idle until their reputation is restored, which
/// without work it is not: a ban).
class Reputation final : public AssignmentPolicy {
 public:
  Reputation(double min, std::size_t candidates) : min_(min), limit_(candidates) {}
  std::uint32_t choose_worker(const PlatformView& p, std::uint32_t task, sim::Stream&) override {
    return best_worker(p, task, [&](std::uint32_t w) { return score(p, w); }, limit_);
  }
  std::uint32_t choose_task(const PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    return p.worker(worker).reputation() < min_ ? kNone : oldest_task(p, worker);
  }

 private:
  double score(const PlatformView& p, std::uint32_t w) const {
    double r = p.worker(w).reputation();
    return r < min_ ? -std::numeric_limits<double>::infinity() : r;
  }
  double min_;
  std::size_t limit_;
};

}  // namespace

CROWDSIM_REGISTER {
  assignment_policies().add(
      {"reputation", "push: the idle worker with the highest reputation (Beta posterior); below min_reputation, no work",
       {sim::number("min_reputation", 0.0, sim::Bounds::probability(),
                    "workers whose posterior mean review is below this get no work"),
        candidates_param()},
       [](const sim::Params& p) {
         return std::make_unique<Reputation>(p.number("min_reputation"), read_candidates(p));
       }});
}

}  // namespace crowdsim::models
