#pragma once
/// \file The sink the model emits into. Models emit everything; a recorder keeps what its
/// detail level asks for. Only recorders write files.

#include "models/records.hpp"

namespace crowdsim::models {

/// The row tables a recorder keeps. The model does not build rows nobody keeps, and the
/// experiment's per-run buffers (threads) do not hold them: memory follows open work.
struct Keeps {
  bool tasks = true;
  bool assignments = true;
};

/// Receives everything a run produces, in time order within a run.
class Recorder {
 public:
  virtual ~Recorder() = default;
  /// What this recorder keeps; task() and assignment() are only called for kept tables.
  virtual Keeps keeps() const { return {}; }
  /// A run starts.
  virtual void begin_run(const RunInfo&) {}
  /// A task closed (or was still open at the end).
  virtual void task(const TaskRecord&) {}
  /// An assignment ended.
  virtual void assignment(const AssignmentRecord&) {}
  /// A worker's totals (at departure or at the end).
  virtual void worker(const WorkerRecord&) {}
  /// A strategy of planning workers (at the end of the run).
  virtual void strategy(const StrategyRecord&) {}
  /// A monitoring snapshot.
  virtual void snapshot(const SnapshotRecord&) {}
  /// An alert was raised.
  virtual void alert(const AlertRecord&) {}
  /// The run ended with these KPIs; `info` now has events_processed and wall_seconds.
  virtual void end_run(const RunInfo&, const Kpis&) {}
  /// The events the run has handled so far, emitted just before each snapshot (for a progress
  /// display; no table keeps it: the run's total is RunInfo::events_processed at end_run).
  /// Last, so that the other methods keep their places for code built against older headers.
  virtual void events(std::uint64_t) {}
};

}  // namespace crowdsim::models
