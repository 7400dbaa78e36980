#pragma once
// Progress inside a run, on a terminal: a recorder that passes everything on to the real one
// and, from the simulation's own snapshots and rows, redraws one line at most four times a
// second (simulated time, tasks closed of total, tasks closed and events handled per second,
// ETA, bytes written). The event count comes with each snapshot (Recorder::events): nothing is
// called per event. The clock is read at each snapshot and every 4096 rows only, so the
// simulation does not slow.

#include <chrono>
#include <cstdint>
#include <functional>

#include "models/recorder.hpp"

namespace crowdsim::app {

class RunProgress : public models::Recorder {
 public:
  /// `tasks_of(run)`: the tasks a run publishes; `written()`: bytes of output so far.
  RunProgress(models::Recorder& inner, std::function<double(const models::RunInfo&)> tasks_of,
              std::function<std::uint64_t()> written)
      : inner_(inner), tasks_of_(std::move(tasks_of)), written_(std::move(written)) {}

  models::Keeps keeps() const override { return inner_.keeps(); }
  void begin_run(const models::RunInfo& info) override;
  void task(const models::TaskRecord& r) override { inner_.task(r), tick(); }
  void assignment(const models::AssignmentRecord& r) override { inner_.assignment(r), tick(); }
  void worker(const models::WorkerRecord& r) override { inner_.worker(r); }
  void strategy(const models::StrategyRecord& r) override { inner_.strategy(r); }
  void snapshot(const models::SnapshotRecord& r) override;
  void alert(const models::AlertRecord& r) override { inner_.alert(r); }
  void end_run(const models::RunInfo& info, const models::Kpis& kpis) override;
  void events(std::uint64_t handled) override { inner_.events(handled), events_ = static_cast<double>(handled); }

 private:
  using Clock = std::chrono::steady_clock;
  void tick() {
    if ((++rows_ & 4095) == 0) maybe_draw();
  }
  void maybe_draw();

  models::Recorder& inner_;
  std::function<double(const models::RunInfo&)> tasks_of_;
  std::function<std::uint64_t()> written_;
  std::uint64_t run_id_ = 0, rows_ = 0;
  double total_ = 0, sim_time_ = 0, closed_ = 0, events_ = 0;
  Clock::time_point start_, last_;
  bool drawn_ = false;
};

}  // namespace crowdsim::app
