#include "experiment/experiment.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "experiment/memory.hpp"
#include "models/platform.hpp"

namespace crowdsim::experiment {

using io::Scenario;
using io::SweepPoint;

namespace {

using models::Kpis;
using models::RunInfo;

// Keeps one run's records in memory, then replays them into the real recorder (not the event
// counts of events(): they are for a display while the run is under way, which a replay is not).
struct Buffer : models::Recorder {
  explicit Buffer(models::Keeps k) : kept(k) {}
  models::Keeps kept;  // the real recorder's: rows it drops are never held here
  models::Keeps keeps() const override { return kept; }
  RunInfo info;
  Kpis kpis;
  std::vector<models::TaskRecord> tasks;
  std::vector<models::AssignmentRecord> assignments;
  std::vector<models::WorkerRecord> workers;
  std::vector<models::SnapshotRecord> snapshots;
  std::vector<models::AlertRecord> alerts;
  std::vector<models::StrategyRecord> strategies;
  void task(const models::TaskRecord& r) override { tasks.push_back(r); }
  void assignment(const models::AssignmentRecord& r) override { assignments.push_back(r); }
  void worker(const models::WorkerRecord& r) override { workers.push_back(r); }
  void snapshot(const models::SnapshotRecord& r) override { snapshots.push_back(r); }
  void alert(const models::AlertRecord& r) override { alerts.push_back(r); }
  void strategy(const models::StrategyRecord& r) override { strategies.push_back(r); }
  void replay(models::Recorder& out) const {
    out.begin_run(info);
    for (const auto& r : tasks) out.task(r);
    for (const auto& r : assignments) out.assignment(r);
    for (const auto& r : workers) out.worker(r);
    for (const auto& r : snapshots) out.snapshot(r);
    for (const auto& r : alerts) out.alert(r);
    for (const auto& r : strategies) out.strategy(r);
    out.end_run(info, kpis);
  }
};

RunInfo make_info(const Scenario& s, std::uint64_t run_id) {
  const SweepPoint& p = s.points[run_id / s.replications];
  RunInfo info;
  info.run_id = static_cast<std::uint64_t>(s.point_offset) * s.replications + run_id;
  info.seed = p.model.seed;
  info.replication = static_cast<std::uint32_t>(run_id % s.replications);
  info.point = s.point_offset + static_cast<std::uint32_t>(run_id / s.replications);
  info.params = p.overrides.dump();
  info.swept = p.numeric;
  info.assignment_policy = p.model.assignment.name;
  info.incentive_policy = p.model.incentive.name;
  return info;
}

// One run into `recorder`: the replication index keys the random streams, so every point of a
// sweep sees the same workers and tasks in replication r (common random numbers).
Kpis run_one(const Scenario& s, RunInfo& info, models::Recorder& recorder, const std::atomic<bool>* interrupt) {
  auto start = std::chrono::steady_clock::now();
  recorder.begin_run(info);
  models::Platform platform(s.points[info.point - s.point_offset].model, info.replication, recorder);
  Kpis kpis = platform.run(info, interrupt);
  info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return kpis;
}

}  // namespace

std::uint64_t run_count(const Scenario& s) { return static_cast<std::uint64_t>(s.points.size()) * s.replications; }

std::set<std::uint64_t> runs_outside_shard(const Scenario& s, std::uint64_t k, std::uint64_t n) {
  std::set<std::uint64_t> out;
  for (std::uint64_t id = 0; id < run_count(s); ++id)
    if (id % n != k) out.insert(id);
  return out;
}

void run_experiment(const Scenario& s, models::Recorder& recorder, const RunCallback& after_run, unsigned threads,
                    const std::atomic<bool>* interrupt, const std::set<std::uint64_t>& skip) {
  // The runs to do, in run-id order.
  std::vector<std::uint64_t> ids;
  for (std::uint64_t id = 0; id < run_count(s); ++id)
    if (!skip.count(id)) ids.push_back(id);
  auto raised = [&] { return interrupt && interrupt->load(); };
  const std::uint64_t total = ids.size();
  if (threads <= 1 || total <= 1) {
    for (std::uint64_t id : ids) {
      if (raised()) throw models::Interrupted();
      RunInfo info = make_info(s, id);
      Kpis kpis = run_one(s, info, recorder, interrupt);
      recorder.end_run(info, kpis);
      if (after_run) after_run(info, kpis);
    }
    return;
  }

  // Workers compute runs into buffers; this thread writes them in run-id order. A worker does
  // not start a run more than `window` ahead of the writer, which bounds the memory held.
  const std::uint64_t window = run_window(s, threads);
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::uint64_t, std::unique_ptr<Buffer>> done;
  std::uint64_t next_run = 0, next_write = 0;
  std::exception_ptr error;
  bool stop = false;

  auto work = [&] {
    for (;;) {
      std::uint64_t id;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return stop || next_run >= total || next_run < next_write + window; });
        if (stop || next_run >= total) return;
        id = next_run++;
      }
      auto buf = std::make_unique<Buffer>(recorder.keeps());
      try {
        buf->info = make_info(s, ids[id]);
        buf->kpis = run_one(s, buf->info, *buf, interrupt);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        stop = true;
        cv.notify_all();
        return;
      }
      std::lock_guard<std::mutex> lock(mu);
      done.emplace(id, std::move(buf));
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back(work);
  try {
    while (next_write < total) {
      std::unique_ptr<Buffer> buf;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return stop || done.count(next_write) > 0; });
        if (stop) break;
        if (raised()) throw models::Interrupted();
        buf = std::move(done.at(next_write));
        done.erase(next_write);
      }
      buf->replay(recorder);
      if (after_run) after_run(buf->info, buf->kpis);
      std::lock_guard<std::mutex> lock(mu);
      ++next_write;
      cv.notify_all();
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu);
    if (!error) error = std::current_exception();
    stop = true;
    cv.notify_all();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    if (error) stop = true;
    cv.notify_all();
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace crowdsim::experiment
