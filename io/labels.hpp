#pragma once
/// \file Reading crowd labels (item,worker,label[,...]) and truth (item,truth) CSV files, whose
/// values are strings, into dense indices for the aggregators, and scoring estimates against the
/// truth. Bad input is a sim::ConfigError naming the file and line ("labels.csv:12: expected
/// ..., found ...").

#include <cstddef>
#include <string>
#include <vector>

#include "models/aggregation/aggregator.hpp"

namespace crowdsim::io {

/// Answers with the names behind their indices.
struct LabelData {
  models::AnswerSet set;  ///< item_keys: tie_key of each item's name
  /// index -> name; labels sorted by value when every one is an integer ("2" before "10"),
  /// else as strings.
  std::vector<std::string> items, workers, labels;
  /// Rows that repeat a worker's answer to the same item: how many, how many of them with
  /// another label than the first answer, and the first such row with the line it repeats.
  struct Repeats {
    std::size_t rows = 0, changed = 0, line = 0, first_line = 0;
  } repeats;
};

/// What a row repeating a worker's answer to the same item does: counts as one more answer
/// (crowd-kit's rule, the reference accuracies'), is left out (the first answer counts), or is
/// an error naming both lines.
enum class Repeats { kAll, kFirst, kError };

/// Reads `path`. Only the answers define the classes.
LabelData read_labels(const std::string& path, Repeats repeats = Repeats::kAll);

/// A truth file: one (item, true label) per item, with the line it is on.
struct Truth {
  std::string path;
  struct Row {
    std::string item, label;
    std::size_t line;
  };
  std::vector<Row> rows;
};
/// Reads a truth file; an item given twice is an error (the second line, naming the first).
Truth read_truth(const std::string& path);

/// Accuracy of `est` (estimates of `d`'s items) against `truth`, over the items of the truth
/// that have an answer. A true label no answer uses counts as wrong (`unknown` counts them).
struct TruthScore {
  std::size_t judged = 0, right = 0, unknown = 0;
  double accuracy() const { return judged ? static_cast<double>(right) / static_cast<double>(judged) : 0.0; }
};
/// Throws a ConfigError when no item of the truth has an answer, and when a true label is not
/// an answer's label but the same number written differently ("1.0" against "1").
TruthScore score_truth(const Truth& truth, const LabelData& d, const std::vector<models::Estimate>& est);

}  // namespace crowdsim::io
