#pragma once
/// \file Running a scenario: every point of its sweep times its replications, on a pool of
/// threads, into one recorder. Runs are written in run-id order whatever the thread count, so
/// the output is the same with 1 thread or many.

#include <atomic>
#include <functional>
#include <set>

#include "io/scenario.hpp"
#include "models/recorder.hpp"

namespace crowdsim::experiment {

/// Called after each run is recorded, with its identity and KPIs (progress reports).
using RunCallback = std::function<void(const models::RunInfo&, const models::Kpis&)>;

/// Runs every point × replication of `s` (run id = point × replications + replication),
/// emitting into `recorder` from the calling thread only. With `threads` > 1 runs are computed
/// in parallel and buffered in memory until their turn to be written (at most 2 × threads runs
/// at a time). The first error stops the experiment and is rethrown.
/// `interrupt`, when raised (by a signal handler), stops it: models::Interrupted is thrown, the
/// runs already recorded stay recorded. Runs in `skip` (finished in an earlier, interrupted
/// attempt) are not run again.
void run_experiment(const io::Scenario& s, models::Recorder& recorder, const RunCallback& after_run = {},
                    unsigned threads = 1, const std::atomic<bool>* interrupt = nullptr,
                    const std::set<std::uint64_t>& skip = {});

/// Total runs of `s`.
std::uint64_t run_count(const io::Scenario& s);
/// The runs of `s` that shard `k` of `n` does not do (shard k does the run ids ≡ k mod n): the
/// `skip` set of an MPI rank or a --shard job.
std::set<std::uint64_t> runs_outside_shard(const io::Scenario& s, std::uint64_t k, std::uint64_t n);

}  // namespace crowdsim::experiment
