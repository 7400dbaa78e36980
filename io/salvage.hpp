#pragma once
/// \file Salvaging the output of a run that never ended: a process killed outright (SIGKILL, the
/// out-of-memory killer, a scheduler's hard limit) or a machine that went down leaves OUT.tmp,
/// not closed. The finished runs in it are rebuilt into OUT.partial, which --resume completes.

#include <cstddef>
#include <string>

namespace crowdsim::io {

/// What salvage_output kept.
struct Salvaged {
  std::size_t kept = 0;     ///< finished runs copied into the partial file
  std::size_t dropped = 0;  ///< runs listed in /summary but left out: the first that failed a check, and those after it
};

/// True when resuming `path` must salvage first: no `path.partial`, but a `path.tmp` its writer left.
bool needs_salvage(const std::string& path);

/// Rebuilds `partial` from `tmp`, an output file its writer never closed. `tmp` is only read;
/// a new file is written beside it and renamed to `partial` when whole, and `tmp` is removed.
///
/// A run is kept when /summary lists it, its group has the attributes written at its end, its
/// point and replication match the row, its own summary holds the row's KPIs bit for bit, and
/// every dataset of it reads back in full (deflate's checksums catch a torn chunk). A run that
/// fails, and every run after it in /summary, is left out: --resume runs them again, and /summary
/// keeps the order of an uninterrupted run. Every run of /summary reached the operating system before
/// its row did, so a killed process loses only the run under way; after a machine crash, what the
/// operating system had not yet written fails these checks.
///
/// Throws sim::ConfigError when `tmp` was written by another scenario or options than
/// `scenario_json` (exit status 2), std::runtime_error naming the file when it cannot be read at
/// all (or is still open in another process), WriteError before writing anything when the free
/// space or the file-size limit is smaller than `tmp` (the new file's most), std::runtime_error
/// when writing the new file fails all the same; `tmp` is then left as it was.
Salvaged salvage_output(const std::string& tmp, const std::string& partial, const std::string& scenario_json);

}  // namespace crowdsim::io
