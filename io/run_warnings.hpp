#pragma once
/// \file Degenerate runs a reader must hear about (docs/statistics.md, "Warnings"): runs that
/// closed no task, a budget that ran out with tasks refused, tasks that expired, tasks still open
/// at the end, a worker group
/// that did no task, strategies that did not converge, an EM batch aggregation that stopped at
/// its iteration cap. A recorder in front of the real one tallies them from what the runs emit,
/// so nothing in the model changes.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/recorder.hpp"

namespace crowdsim::io {

/// One kind of warning over the runs it concerns.
struct RunWarning {
  std::string kind;  ///< "no_task_closed" | "budget_exhausted" | "tasks_expired" | "tasks_open" | "worker_group_unused" | "strategies_not_converged" | "em_not_converged"
  std::size_t runs = 0;  ///< runs concerned
  std::string text;  ///< one sentence, without "warning: "
};

/// Counts the warnings of runs, one run at a time.
class WarningCounter {
 public:
  /// `group_names`: the worker groups' names, by index (a group with no worker at all is unused too).
  explicit WarningCounter(std::vector<std::string> group_names);
  /// One run: its id, its KPIs (tasks_published, tasks_closed, tasks_refused, budget_exhausted_at,
  /// tasks_expired, and em_capped_<method> with em_moved_<method> are read), the tasks its
  /// workers did, per group, and how many of its strategies (rows of its strategies table) have
  /// converged = 0.
  void add(std::uint64_t run_id, const models::Kpis& kpis, std::vector<double> group_tasks,
           std::size_t unconverged = 0);
  /// The warnings so far, in a fixed order; none when every run was fine.
  std::vector<RunWarning> warnings() const;
  /// {"runs": N, "counts": {"no_task_closed": runs, ...}, "messages": [...]} as JSON text: the
  /// results file's root attribute "warnings" (docs/hdf5-layout.md).
  std::string json() const;

 private:
  std::vector<std::string> group_names_;
  std::size_t runs_ = 0;
  std::vector<std::uint64_t> no_task_, budget_, expired_, open_, unconverged_;
  double refused_ = 0, expired_tasks_ = 0, open_tasks_ = 0, unconverged_rows_ = 0;
  struct EmCapped {
    std::vector<std::uint64_t> runs;  // runs in which the method stopped at its cap
    double batches = 0, moved = 0;    // such batches in all; the largest change left at their last iteration
  };
  std::map<std::string, EmCapped> em_capped_;  // by batch method
  std::map<std::size_t, std::size_t> unused_groups_;  // group -> runs in which it did no task
};

/// Adds worker `r`'s tasks done to `group_tasks` (by worker group, grown as needed), the
/// per-group tasks WarningCounter::add takes.
void count_tasks(std::vector<double>& group_tasks, const models::WorkerRecord& r);

/// The worker groups' names of a resolved scenario document ({"workers"} without groups).
std::vector<std::string> group_names(const std::string& scenario_json);
/// The messages of a "warnings" attribute's JSON text (none when it is empty).
std::vector<std::string> warning_messages(const std::string& json_text);

/// Forwards everything to `inner` and counts the warnings of the runs that go through (optimize,
/// whose runs may go to no file). Files count theirs from what they hold (Hdf5Recorder::finish).
class WarningTally : public models::Recorder {
 public:
  WarningTally(models::Recorder& inner, std::vector<std::string> group_names);

  models::Keeps keeps() const override { return inner_.keeps(); }
  void begin_run(const models::RunInfo& i) override;
  void task(const models::TaskRecord& r) override { inner_.task(r); }
  void assignment(const models::AssignmentRecord& r) override { inner_.assignment(r); }
  void worker(const models::WorkerRecord& r) override;
  void strategy(const models::StrategyRecord& r) override {
    unconverged_ += r.converged == 0;
    inner_.strategy(r);
  }
  void snapshot(const models::SnapshotRecord& r) override { inner_.snapshot(r); }
  void alert(const models::AlertRecord& r) override { inner_.alert(r); }
  void end_run(const models::RunInfo& info, const models::Kpis& kpis) override;
  void events(std::uint64_t handled) override { inner_.events(handled); }
  const WarningCounter& counter() const { return counter_; }

 private:
  models::Recorder& inner_;
  WarningCounter counter_;
  std::size_t groups_;
  std::vector<double> group_tasks_;  // this run's tasks done, per group
  std::size_t unconverged_ = 0;      // this run's strategies with converged = 0
};

}  // namespace crowdsim::io
