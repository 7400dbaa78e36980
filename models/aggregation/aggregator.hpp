#pragma once
/// \file Answer aggregation: from the workers' labels of many items, an estimated true label per
/// item with a confidence. One small class per method, registered by name (crowdsim list).

#include <cstdint>
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

/// The method called `name` (models::aggregators() lists them), with its defaults; throws
/// sim::ConfigError at `path` listing the valid names.
std::unique_ptr<Aggregator> make_aggregator(const std::string& name, const std::string& path = "--method");

}  // namespace crowdsim::models
