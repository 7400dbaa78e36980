#pragma once
/// \file Answer aggregation: from the workers' labels of many items, an estimated true label per
/// item with a confidence. One small class per method, registered by name (crowdsim list).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crowdsim::models {

/// How a tie among an item's top labels is broken.
enum class Ties : std::uint8_t {
  kRandom,  ///< uniformly at random among the tied labels, by a hash of the item's key and a seed (the default)
  kFirst,   ///< toward the smallest label index (crowd-kit's rule; biased: kept to compare with its figures)
};

/// Answers as dense indices: items 0..items-1, workers 0..workers-1, labels 0..classes-1.
struct AnswerSet {
  std::int32_t items = 0, workers = 0, classes = 0;
  struct Answer {
    std::int32_t item, worker, label;
  };
  std::vector<Answer> answers;
  /// Ties among the top labels. Random ties are a pure function of (item key, tie_seed): the
  /// same answers give the same labels, whatever the thread count or the order of the answers.
  Ties ties = Ties::kRandom;
  std::uint64_t tie_seed = 0;
  /// Each item's key for the tie hash (e.g. tie_key of its name); empty: the item's index.
  std::vector<std::uint64_t> item_keys = {};
};

/// A stable 64-bit key for an item's name (FNV-1a), for AnswerSet::item_keys.
std::uint64_t tie_key(std::string_view name);

/// The index of the largest of `score[0..n)` for `item` of `a`: among the scores within
/// `tolerance` of the largest, the first (Ties::kFirst: exact maxima only, as std::max_element)
/// or one picked at random by the item's key and the seed (Ties::kRandom). -1 when n = 0.
std::int32_t pick_top(const AnswerSet& a, std::int32_t item, const double* score, std::size_t n, double tolerance = 0.0);

/// The estimate for one item: a label (-1 when it has no answer) and its posterior probability.
struct Estimate {
  std::int32_t label = -1;
  double confidence = 0.0;
};

/// How an iterative method stops, and how its last aggregate() call stopped: after `cap`
/// iterations at most, or once no posterior moves by `tolerance` from one iteration to the next.
struct Convergence {
  int cap = 0;             ///< 0: a method that does not iterate to a tolerance
  double tolerance = 0.0;
  /// The largest change of a posterior at the last iteration of the last call (NaN before one).
  double moved = std::numeric_limits<double>::quiet_NaN();
  /// The last call stopped at the cap, its posteriors still moving by `tolerance` or more.
  bool capped() const { return cap > 0 && moved >= tolerance; }
};

/// One aggregation method.
class Aggregator {
 public:
  virtual ~Aggregator() = default;
  /// An estimate for every item of `a`. Ties among the top labels are broken by a.ties (pick_top).
  virtual std::vector<Estimate> aggregate(const AnswerSet& a) const = 0;
  /// What the last aggregate() call has to report (e.g. an EM method stopped at its iteration
  /// cap before meeting its tolerance), one sentence each; the caller prints them.
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// An EM method's cap and tolerance (set at construction), and how its last aggregate() call
  /// stopped: what a run's batch aggregation records (KPIs em_capped_<method>, em_moved_<method>).
  const Convergence& convergence() const { return convergence_; }

 protected:
  mutable std::vector<std::string> warnings_;
  mutable Convergence convergence_;  ///< an EM method sets cap and tolerance in its constructor
};

/// The method called `name` (models::aggregators() lists them), with its defaults; throws
/// sim::ConfigError at `path` listing the valid names.
std::unique_ptr<Aggregator> make_aggregator(const std::string& name, const std::string& path = "--method");

}  // namespace crowdsim::models
