#pragma once
/// \file Projected memory of an experiment, so a scenario too large for the machine is refused
/// up front with a clear message instead of being killed by the OOM killer.

#include <cstdint>
#include <optional>
#include <string>

#include "io/scenario.hpp"

namespace crowdsim::io {

/// An upper estimate, in bytes, of what running `s` with `threads` threads holds at its peak:
/// the task states of a batch (every task open at once), the workers ever seen, and, with
/// several threads, the runs buffered in memory until the writer takes them.
std::uint64_t projected_bytes(const Scenario& s, unsigned threads);
/// Half the machine's physical memory (the default of --max-memory).
std::uint64_t default_memory_limit();
/// Parses "512M", "4G", "1.5G", "2000000" (bytes); nullopt if malformed.
std::optional<std::uint64_t> parse_bytes(const std::string& text);
/// "1.5 GiB".
std::string format_bytes(std::uint64_t bytes);

}  // namespace crowdsim::io
