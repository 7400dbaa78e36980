#pragma once
/// \file Dataset-by-dataset comparison of two crowdsim files, for reproducibility tests.

#include <ostream>
#include <string>

namespace crowdsim::io {

/// True when `a` and `b` have the same groups, datasets (types, shapes, bytes) and attributes,
/// ignoring the timing attributes created_utc and wall_seconds. Differences go to `diffs`.
bool compare_files(const std::string& a, const std::string& b, std::ostream& diffs);

}  // namespace crowdsim::io
