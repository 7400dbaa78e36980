#include "models/review.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>

namespace crowdsim::models {

double detail::review_other(const ReviewParams& p, const ReviewInput& in, WorkerState& w, bool* assessed) {
  using M = ReviewParams::Model;
  // The exact review of this answer: right or wrong for a label, the quality of continuous work.
  const double exact = in.truth < 0 ? in.quality : (in.answer == in.truth ? 1.0 : 0.0);
  double r = exact;
  bool counts = true;  // does this review update the reputation?
  switch (p.model) {
    case M::kExact:  // inline in the header; here for completeness
      break;
    case M::kOracleAccuracy:  // the worker's probability of being right, not its answer
      r = in.quality;
      break;
    case M::kNoisy:
      r = std::clamp(exact + boost::random::normal_distribution<double>(0.0, p.sd)(*in.noise), 0.0, 1.0);
      break;
    case M::kGold:
      // Known answers are checked; other work is paid on the worker's record so far.
      counts = in.gold;
      if (!in.gold) r = w.reputation();
      break;
    case M::kAgreement: {
      const std::vector<std::uint32_t>& v = *in.votes;
      std::uint32_t best = v.empty() ? 0 : *std::max_element(v.begin(), v.end());
      if (best == 0) {  // the first answer: nothing to agree with yet
        r = w.reputation();
        counts = false;
      } else {
        r = v[static_cast<std::size_t>(in.answer)] == best ? 1.0 : 0.0;
      }
      break;
    }
  }
  if (assessed) *assessed = counts;
  if (counts) {
    w.rep_alpha += r;
    w.rep_beta += 1.0 - r;
  }
  return r;
}

}  // namespace crowdsim::models
