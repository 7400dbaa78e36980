#include "experiment/memory.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "sim/config.hpp"

namespace crowdsim::experiment {

using io::OutputProjection;
using io::Scenario;
using io::SweepPoint;

namespace {
// Bytes per entity, measured on this code with generous rounding (a task with its vectors; a
// worker with skills, confusion and stream; one buffered record of each table; a task waiting
// for budget).
constexpr double kTaskState = 320, kWorker = 512, kTaskRecord = 112, kAssignmentRecord = 96, kDeferred = 16;
}  // namespace

namespace {

// What one run of point `m` holds: its task states when they arrive at once, the workers ever
// seen, and (`rows`) the records of a run buffered for the writer.
struct RunBytes {
  double state = 0, rows = 0;
};

RunBytes run_bytes(const models::ModelParams& m) {
  double tasks = static_cast<double>(m.tasks.count);
  double redundancy = 1, subtasks = 1;
  for (const auto& t : m.tasks.types) {
    redundancy = std::max(redundancy, static_cast<double>(t.redundancy));
    if (t.decompose.into >= 0) subtasks = std::max(subtasks, 1.0 + t.decompose.count);
  }
  double open = m.tasks.arrival.process == models::ArrivalParams::Process::kBatch ? tasks * subtasks : 0;
  double workers = static_cast<double>(m.workers.count);
  if (m.workers.arrival_rate_per_hour > 0)
    workers += m.workers.max_total < (1ll << 62) ? static_cast<double>(m.workers.max_total)
                                                 : m.workers.arrival_rate_per_hour * std::min(m.horizon / 3600.0, 1e5);
  RunBytes b;
  b.state = open * kTaskState + workers * kWorker;
  if (std::isfinite(m.budget)) b.state += tasks * kDeferred;  // at worst every task waits for budget
  b.rows = tasks * subtasks * kTaskRecord + tasks * subtasks * redundancy * kAssignmentRecord + workers * 100;
  return b;
}

// Runs buffered ahead of the writer may hold this much in all before the window shrinks to its
// least, 2 runs per thread.
constexpr double kBufferBudget = 256.0 * (1 << 20);

}  // namespace

std::uint64_t run_window(const Scenario& s, unsigned threads) {
  double rows = 0;
  for (const SweepPoint& p : s.points) rows = std::max(rows, run_bytes(p.model).rows);
  double per_thread = std::floor(kBufferBudget / (std::max(1u, threads) * std::max(rows, 1.0)));
  return static_cast<std::uint64_t>(std::clamp(per_thread, 2.0, 64.0)) * std::max(1u, threads);
}

std::uint64_t projected_bytes(const Scenario& s, unsigned threads) {
  double peak = 0;
  const double window = threads > 1 ? static_cast<double>(run_window(s, threads)) : 0;
  for (const SweepPoint& p : s.points) {
    RunBytes b = run_bytes(p.model);
    // With several threads, one run under way per thread (its state), and up to `window` runs'
    // records buffered, at the detail recorded.
    double run = threads > 1 ? b.state * threads + b.rows * window : b.state;
    peak = std::max(peak, run);
  }
  return static_cast<std::uint64_t>(std::min(peak, 1.8e19));
}

std::uint64_t default_memory_limit() {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || size <= 0) return 8ull << 30;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(size) / 2;
}

std::optional<std::uint64_t> parse_bytes(const std::string& text) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  double f = unit.empty() || unit == "B" ? 1 : unit == "K" || unit == "KiB" ? 1024.0
           : unit == "M" || unit == "MiB" ? 1048576.0 : unit == "G" || unit == "GiB" ? 1073741824.0
           : unit == "T" || unit == "TiB" ? 1099511627776.0 : -1;
  if (f < 0 || !(v > 0) || !std::isfinite(v * f)) return std::nullopt;
  return static_cast<std::uint64_t>(v * f);
}

std::string format_bytes(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / 1073741824.0);
  return buf;
}

OutputProjection check_run_fits(const Scenario& s, unsigned threads, std::uint64_t memory_limit, const std::string& out,
                                std::uint64_t max_output, bool resume, bool force) {
  if (std::uint64_t need = projected_bytes(s, threads); need > memory_limit)
    throw sim::ConfigError("", "a scenario that fits in --max-memory " + format_bytes(memory_limit),
                           "one projected to need " + format_bytes(need) +
                               " (batch arrivals hold every task at once; workers ever seen and, with --threads, "
                               "buffered runs add to it): make it smaller, use fewer threads, or raise --max-memory");
  OutputProjection projected = io::project_output(s);
  if (!force) {
    std::error_code ec;
    std::uint64_t held = resume ? std::filesystem::file_size(out + ".partial", ec) : 0;
    std::uint64_t free = io::free_bytes_for(out);
    if (!ec && free < UINT64_MAX - held) free += held;  // --resume writes over what it holds
    io::check_output_fits(projected, out, max_output, free);
  }
  return projected;
}

}  // namespace crowdsim::experiment
