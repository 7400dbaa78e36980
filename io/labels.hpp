#pragma once
/// \file Reading crowd labels (item,worker,label[,...]) and truth (item,truth) CSV files, whose
/// values are strings, into dense indices for the aggregators. Bad input is a sim::ConfigError
/// naming the file and line ("labels.csv:12: expected ..., found ...").

#include <string>
#include <vector>

#include "models/aggregation/aggregator.hpp"

namespace crowdsim::io {

/// Answers with the names behind their indices.
struct LabelData {
  models::AnswerSet set;
  std::vector<std::string> items, workers, labels;  ///< index -> name (labels sorted by name)
};

/// Reads `path`; labels found only in `extra_labels` (e.g. the truth) still get an index.
LabelData read_labels(const std::string& path, const std::vector<std::string>& extra_labels = {});
/// Reads a truth file: (item name, true label name) pairs.
std::vector<std::pair<std::string, std::string>> read_truth(const std::string& path);

}  // namespace crowdsim::io
