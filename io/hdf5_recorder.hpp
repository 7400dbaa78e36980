#pragma once
/// \file The HDF5 recorder (docs/hdf5-layout.md): one group per run with chunked, compressed tables
/// written by buffered appends, and a root /summary with one row of KPIs per run. The file is
/// written under a temporary name and renamed only when complete, so a file at the requested
/// path is always a complete one. HDF5 types stay in the .cpp: models and app include this.

#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include "io/salvage.hpp"
#include "models/recorder.hpp"

namespace crowdsim::io {

/// What a run records. summary: summary, workers, timeseries, alerts; assignments: + the
/// assignments table; full: + the tasks table. Every table exists either way (maybe empty).
enum class Detail { kSummary, kAssignments, kFull };
/// "full" | "assignments" | "summary" → Detail; throws std::invalid_argument listing them otherwise.
Detail parse_detail(const std::string& name);
/// The scenario name of a detail level ("full", "assignments", "summary").
const char* detail_name(Detail d);

/// Writing the output failed in the operating system (disk full, file too large, I/O error):
/// the recorder has given up on the run under way. Destroying it keeps the finished runs in
/// `path.partial`, which --resume completes once the cause is fixed.
class WriteError : public std::runtime_error {
 public:
  WriteError(const std::string& what, std::string file, int err)
      : std::runtime_error(what), file_(std::move(file)), errno_(err) {}
  const std::string& file() const { return file_; }  ///< the file that could not be written
  int error_number() const { return errno_; }        ///< ENOSPC, EFBIG, EIO, ...
 private:
  std::string file_;
  int errno_;
};

/// What the file says about itself besides the runs.
struct FileMetadata {
  std::string scenario_json;  ///< the resolved scenario, as run (root attribute "scenario")
};

/// Writes runs to `path` through `path.tmp`. finish() marks the file complete and renames it to
/// `path`, replacing any older file (and an earlier attempt's `path.partial`, which it supersedes). Destroyed without finish() (an error, an interruption) it
/// flushes what it has, keeps status "partial" and leaves `path.partial`, never touching `path`.
/// Every finished run (end_run) is flushed to disk before end_run returns. Errors are thrown as
/// std::runtime_error naming the file (std::logic_error for hooks called out of order); a write
/// the operating system refused (ENOSPC, EFBIG, EIO) as WriteError, after which the run under
/// way is dropped from the file (not flushed: the disk has no room for it) and the finished
/// runs are saved as `path.partial` by the destructor.
/// Not thread-safe: one thread owns a recorder (the serial HDF5 library is not thread-safe either).
class Hdf5Recorder : public models::Recorder {
 public:
  /// Creates `path.tmp` with the root attributes; throws std::runtime_error naming the path if it cannot.
  Hdf5Recorder(std::string path, FileMetadata meta, Detail detail);
  /// Reopens `path.partial` (left by an interrupted run of the same scenario) to complete it:
  /// run groups that never finished are removed, finished ones kept (see finished_runs()).
  /// Without `path.partial` but with a `path.tmp` its writer never closed (killed outright, or
  /// the machine went down), its finished runs are salvaged into `path.partial` first
  /// (salvage_output; what was kept: salvaged()).
  /// Throws sim::ConfigError if there is no such file or it was made by another scenario.
  static std::unique_ptr<Hdf5Recorder> resume(std::string path, FileMetadata meta, Detail detail);
  /// What resume() salvaged from a killed writer's `path.tmp` (all zero when it found `path.partial`).
  const Salvaged& salvaged() const;
  /// Bytes of the file on disk so far (for progress reports); 0 once closed.
  std::uint64_t file_size() const;
  /// Run ids already complete in the file (non-empty only after resume).
  const std::set<std::uint64_t>& finished_runs() const;
  /// Without finish(): flushes, closes and renames the file to `path.partial`. Never throws.
  ~Hdf5Recorder() override;
  /// What the destructor does without finish(), now: true when `path.partial` was closed
  /// cleanly (it then opens and holds every finished run). Idempotent; never throws.
  bool save_partial();
  Hdf5Recorder(const Hdf5Recorder&) = delete;
  Hdf5Recorder& operator=(const Hdf5Recorder&) = delete;

  /// Creates /runs/<run_id, 6 digits> with its run attributes and all seven (empty) tables.
  models::Keeps keeps() const override;
  void begin_run(const models::RunInfo& info) override;
  /// Buffers a tasks row (kept at detail full only).
  void task(const models::TaskRecord& r) override;
  /// Buffers an assignments row (kept at detail assignments and full).
  void assignment(const models::AssignmentRecord& r) override;
  /// Buffers a workers row.
  void worker(const models::WorkerRecord& r) override;
  /// Buffers a timeseries row.
  void snapshot(const models::SnapshotRecord& r) override;
  /// Buffers an alerts row.
  void alert(const models::AlertRecord& r) override;
  /// Buffers a strategies row.
  void strategy(const models::StrategyRecord& r) override;
  /// Writes the run's KPIs (run summary and a /summary row), its timing attributes, flushes
  /// every buffer and the file. Throws if the KPI names differ from the first run's.
  void end_run(const models::RunInfo& info, const models::Kpis& kpis) override;
  /// Marks the file complete (with its "warnings" attribute, counted from every run in it, and
  /// the root string attributes `extra`, e.g. optimize's "optimum"), closes it and renames it to
  /// its final path. Throws std::logic_error inside a run (call end_run first).
  void finish(const std::vector<std::pair<std::string, std::string>>& extra = {});
  /// After finish(): the "warnings" attribute's JSON text (io/run_warnings.hpp).
  const std::string& warnings() const;

 private:
  struct Impl;
  explicit Hdf5Recorder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace crowdsim::io
