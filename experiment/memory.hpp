#pragma once
/// \file Projected memory of an experiment, so a scenario too large for the machine is refused
/// up front with a clear message instead of being killed by the OOM killer; and the guards
/// before an experiment starts, which add the projected output (io/projection.hpp) to it.

#include <cstdint>
#include <optional>
#include <string>

#include "io/projection.hpp"
#include "io/scenario.hpp"

namespace crowdsim::experiment {

/// An upper estimate, in bytes, of what running `s` with `threads` threads holds at its peak:
/// the task states of a batch (every task open at once), the workers ever seen, and, with
/// several threads, the runs buffered in memory until the writer takes them.
std::uint64_t projected_bytes(const io::Scenario& s, unsigned threads);
/// How many runs, with `threads` threads, may be started ahead of the oldest one not yet
/// written: 64 per thread while their buffered records fit in 256 MiB, down to 2 per thread for
/// large runs. A short window starves the threads when runs differ in length (the writer waits
/// for a slow run while the others may not start) and while the writer falls behind a stretch
/// of short runs (it catches up on longer ones later); a long one holds more runs in memory.
std::uint64_t run_window(const io::Scenario& s, unsigned threads);
/// Half the machine's physical memory (the default of --max-memory).
std::uint64_t default_memory_limit();
/// Parses "512M", "4G", "1.5G", "2000000" (bytes); nullopt if malformed.
std::optional<std::uint64_t> parse_bytes(const std::string& text);
/// "1.5 GiB".
std::string format_bytes(std::uint64_t bytes);


/// The guards before an experiment starts (crowdsim run and crowdsim.run in Python): throws
/// sim::ConfigError when `s` on `threads` threads is projected to need more memory than
/// `memory_limit`, and, unless `force`, io::OutputRefused when its output is projected to exceed
/// `max_output` (0: no limit) or the free space of `out`'s file system (plus what `out`.partial
/// holds when `resume`). Returns the projection.
io::OutputProjection check_run_fits(const io::Scenario& s, unsigned threads, std::uint64_t memory_limit,
                                    const std::string& out, std::uint64_t max_output, bool resume, bool force);

}  // namespace crowdsim::experiment
