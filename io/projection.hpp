#pragma once
/// \file Projected size of an experiment's output, so a run that cannot fit on its disk (or
/// under --max-output) is refused before it starts instead of filling the disk for hours.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "io/scenario.hpp"

namespace crowdsim::io {

/// Rows and bytes an experiment is expected to write, over all its runs, at its detail level.
struct OutputProjection {
  double task_rows = 0, assignment_rows = 0, worker_rows = 0, snapshot_rows = 0;
  double runs = 0;
  double bytes = 0;   ///< on disk, compressed
  double events = 0;  ///< simulation events, roughly (for the time estimate)
};

/// The projection of `s` (every point x replications), at `s.detail`.
OutputProjection project_output(const Scenario& s);

/// Free bytes for an unprivileged writer on the file system that will hold `path` (statvfs of
/// its directory); UINT64_MAX if it cannot be told.
std::uint64_t free_bytes_for(const std::string& path);

/// A run refused up front because its output would not fit (exit status 2).
class OutputRefused : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// "12.3 GB (1.0e+08 tasks, 3.0e+08 assignments, 2.0e+04 workers rows)": the figures of `p`.
std::string describe(const OutputProjection& p);

/// Throws OutputRefused with the figures when `p` exceeds `max_output` (0: no limit) or
/// `free` bytes (the room on the output's file system, plus what --resume already holds).
void check_output_fits(const OutputProjection& p, const std::string& out, std::uint64_t max_output,
                       std::uint64_t free);

}  // namespace crowdsim::io
