#pragma once
/// \file Merging shards: files written by separate processes (MPI ranks, or cluster jobs), each
/// holding some runs of one experiment, into one file equal to a single-process run's.

#include <string>
#include <vector>

namespace crowdsim::io {

/// Writes `out` (through `out.tmp`, renamed when complete) from complete `shards` of the same
/// scenario: every run group, and /summary with its rows in run-id order. Throws
/// std::runtime_error naming the file when a shard is missing, partial, of another scenario, or
/// when two shards hold the same run.
void merge_shards(const std::string& out, const std::vector<std::string>& shards);

}  // namespace crowdsim::io
