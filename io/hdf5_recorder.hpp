#pragma once
/// \file The HDF5 recorder (DESIGN §4): one group per run with chunked, compressed tables
/// written by buffered appends, and a root /summary with one row of KPIs per run. The file is
/// written under a temporary name and renamed only when complete.

#include <memory>
#include <string>

#include "models/recorder.hpp"

namespace crowdsim::io {

/// What a run records. summary: summary, workers, timeseries, alerts; assignments: + the
/// assignments table; full: + the tasks table. Every table exists either way (maybe empty).
enum class Detail { kSummary, kAssignments, kFull };
/// "full" | "assignments" | "summary" → Detail; throws std::invalid_argument otherwise.
Detail parse_detail(const std::string& name);
/// The name of a detail level.
const char* detail_name(Detail d);

/// What the file says about itself besides the runs.
struct FileMetadata {
  std::string scenario_json;  ///< the resolved scenario, as run
};

/// Writes runs to `path` (through `path.tmp`). finish() marks the file complete and renames it;
/// destroyed without finish() (an error, an interruption) it flushes the finished runs, keeps
/// status "partial" and leaves `path.partial`, never touching `path`.
class Hdf5Recorder : public models::Recorder {
 public:
  /// Creates `path.tmp`; throws std::runtime_error naming the path if it cannot.
  Hdf5Recorder(std::string path, FileMetadata meta, Detail detail);
  ~Hdf5Recorder() override;
  Hdf5Recorder(const Hdf5Recorder&) = delete;
  Hdf5Recorder& operator=(const Hdf5Recorder&) = delete;

  void begin_run(const models::RunInfo& info) override;
  void task(const models::TaskRecord& r) override;
  void assignment(const models::AssignmentRecord& r) override;
  void worker(const models::WorkerRecord& r) override;
  void snapshot(const models::SnapshotRecord& r) override;
  void alert(const models::AlertRecord& r) override;
  void end_run(const models::RunInfo& info, const models::Kpis& kpis) override;
  /// Marks the file complete, closes it and renames it to its final path.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crowdsim::io
