#include "io/projection.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

namespace crowdsim::io {

namespace {

// Compressed bytes per row on disk, and per run for everything else (run group, attributes,
// chunk indexes, the summary rows). Calibrated on the files of this code (shuffle + deflate)
// with h5py's Dataset.id.get_storage_size() / rows, the larger of two scenarios per table:
//   build/crowdsim run scenarios/large.json -o large.h5   (10^6 tasks, full detail, 157 MB)
//     tasks 18.8, assignments 45.8, workers 57.3, timeseries 26.9 bytes per row
//   build/crowdsim run scenarios/demo.json -o demo.h5     (2,000 tasks, 416 kB)
//     tasks 42.0, assignments 50.0, workers 60.4, timeseries 26.6 bytes per row
//   build/crowdsim run scenarios/demo.json --detail summary --replications 50 --set tasks.count=10
//     15.9 kB per run in all (40 workers rows included)
// A projection that errs should err on the large side: these give 195 MB for large.json and
// 420 kB for demo.json.
constexpr double kTaskRow = 42, kAssignmentRow = 50, kWorkerRow = 60, kSnapshotRow = 30, kPerRun = 16384;
// Events per answer (arrival, assignment, completion, review...), for the time estimate.
constexpr double kEventsPerAnswer = 1.4;

}  // namespace

OutputProjection project_output(const Scenario& s) {
  OutputProjection out;
  const double reps = static_cast<double>(s.replications);
  for (const SweepPoint& p : s.points) {
    const models::ModelParams& m = p.model;
    double tasks = static_cast<double>(m.tasks.count), redundancy = 1, subtasks = 1, duration = 0;
    for (const auto& t : m.tasks.types) {
      redundancy = std::max(redundancy, static_cast<double>(t.redundancy));
      duration = std::max(duration, t.expected_duration);
      if (t.decompose.into >= 0) subtasks = std::max(subtasks, 1.0 + t.decompose.count);
    }
    tasks *= subtasks;
    double answers = tasks * redundancy;
    double workers = static_cast<double>(m.workers.count);
    // How long the run lasts in simulated time: its horizon, else the arrivals' span plus the work.
    double span = m.horizon;
    if (!std::isfinite(span)) {
      const auto& a = m.tasks.arrival;
      bool spread = a.process != models::ArrivalParams::Process::kBatch && a.rate_per_hour > 0;
      span = (spread ? static_cast<double>(m.tasks.count) / a.rate_per_hour * 3600.0 : 0.0) +
             answers * duration / std::max(workers, 1.0);
    }
    if (m.workers.arrival_rate_per_hour > 0)
      workers += std::min(static_cast<double>(m.workers.max_total), m.workers.arrival_rate_per_hour * span / 3600.0);
    double snapshots = m.monitor.snapshot_interval > 0 ? std::min(span / m.monitor.snapshot_interval, 1e7) : 0;
    double task_rows = s.detail == Detail::kFull ? tasks : 0;
    double assignment_rows = s.detail != Detail::kSummary ? answers : 0;
    out.task_rows += reps * task_rows;
    out.assignment_rows += reps * assignment_rows;
    out.worker_rows += reps * workers;
    out.snapshot_rows += reps * snapshots;
    out.runs += reps;
    out.events += reps * answers * kEventsPerAnswer;
    out.bytes += reps * (task_rows * kTaskRow + assignment_rows * kAssignmentRow + workers * kWorkerRow +
                         snapshots * kSnapshotRow + kPerRun);
  }
  return out;
}

std::uint64_t free_bytes_for(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  struct statvfs st {};
  if (statvfs(dir.c_str(), &st) != 0) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(st.f_bavail) * static_cast<std::uint64_t>(st.f_frsize);
}

namespace {
std::string bytes_text(double b) {
  char buf[32];
  const char* unit = b >= 1e12 ? "TB" : b >= 1e9 ? "GB" : b >= 1e6 ? "MB" : "kB";
  double div = b >= 1e12 ? 1e12 : b >= 1e9 ? 1e9 : b >= 1e6 ? 1e6 : 1e3;
  std::snprintf(buf, sizeof buf, "%.1f %s", b / div, unit);
  return buf;
}
}  // namespace

std::string describe(const OutputProjection& p) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%s (%.0f run%s; rows: %.3g tasks, %.3g assignments, %.3g workers, %.3g timeseries)",
                bytes_text(p.bytes).c_str(), p.runs, p.runs == 1 ? "" : "s", p.task_rows, p.assignment_rows, p.worker_rows, p.snapshot_rows);
  return buf;
}

void check_output_fits(const OutputProjection& p, const std::string& out, std::uint64_t max_output,
                       std::uint64_t free) {
  const char* advice = ": use fewer tasks or replications, --detail summary (or assignments), "
                       "or --force to write it anyway";
  if (max_output > 0 && p.bytes > static_cast<double>(max_output))
    throw OutputRefused("the output " + out + " is projected to take " + describe(p) + ", more than --max-output " +
                        bytes_text(static_cast<double>(max_output)) + advice);
  if (p.bytes > static_cast<double>(free))
    throw OutputRefused("the output " + out + " is projected to take " + describe(p) + ", more than the " +
                        bytes_text(static_cast<double>(free)) + " free on its file system" + advice);
}

}  // namespace crowdsim::io
