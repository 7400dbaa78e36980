#pragma once
/// \file Answer aggregation: from the workers' labels of many items, an estimated true label per
/// item with a confidence. One small class per method, registered by name (crowdsim list).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace crowdsim::models {

/// Answers as dense indices: items 0..items-1, workers 0..workers-1, labels 0..classes-1.
struct AnswerSet {
  std::int32_t items = 0, workers = 0, classes = 0;
  struct Answer {
    std::int32_t item, worker, label;
  };
  std::vector<Answer> answers;
};

/// The estimate for one item: a label (-1 when it has no answer) and its posterior probability.
struct Estimate {
  std::int32_t label = -1;
  double confidence = 0.0;
};

/// One aggregation method.
class Aggregator {
 public:
  virtual ~Aggregator() = default;
  /// An estimate for every item of `a`. Ties are broken toward the smallest label index.
  virtual std::vector<Estimate> aggregate(const AnswerSet& a) const = 0;
};

/// A registered method.
struct AggregatorEntry {
  std::string name, description;
  std::function<std::unique_ptr<Aggregator>()> make;
};
/// Every method: mv, ds, wmv, onecoin, glad, kos (crowdsim list describes them).
const std::vector<AggregatorEntry>& aggregators();
/// The method called `name`; throws sim::ConfigError listing the valid names.
std::unique_ptr<Aggregator> make_aggregator(const std::string& name);

}  // namespace crowdsim::models
