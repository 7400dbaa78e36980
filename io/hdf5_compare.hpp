#pragma once
/// \file Object-by-object comparison of two crowdsim HDF5 files, for the reproducibility tests
/// ("same seed ⇒ identical datasets") and for checking merged MPI shards against a serial run.

#include <ostream>
#include <string>

namespace crowdsim::io {

/// True when `a` and `b` have the same groups, the same datasets (types, shapes, raw bytes) and
/// the same attributes (types, values), ignoring the timing attributes created_utc and
/// wall_seconds. Writes one line per difference ("<object path>[ @attr]: what differs") to
/// `diffs`, at most 20 and then a count; a file that cannot be opened is a difference too.
/// With `group` ("/runs/000002"), only that group of both files is compared.
bool compare_files(const std::string& a, const std::string& b, std::ostream& diffs, const std::string& group = "/");

}  // namespace crowdsim::io
