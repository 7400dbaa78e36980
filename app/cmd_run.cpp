// crowdsim run and crowdsim sweep: a scenario's runs into an HDF5 file (threads, --resume,
// --shard, --mpi, the progress bar).

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli.hpp"
#include "experiment/experiment.hpp"
#include "experiment/memory.hpp"
#include "io/format.hpp"
#include "io/hdf5_recorder.hpp"
#include "io/merge.hpp"
#include "io/projection.hpp"
#include "io/run_warnings.hpp"
#include "models/platform.hpp"
#include "mpi_plugin.hpp"
#include "progress.hpp"
#include "sim/config.hpp"

namespace crowdsim::app {

namespace {

// A one-line progress bar with an ETA, redrawn in place (only when stderr is a terminal).
class Progress {
 public:
  explicit Progress(std::uint64_t total) : total_(total), start_(std::chrono::steady_clock::now()) {}
  void update(std::uint64_t done) {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double eta = done ? elapsed / static_cast<double>(done) * static_cast<double>(total_ - done) : 0.0;
    int filled = static_cast<int>(30 * done / std::max<std::uint64_t>(total_, 1));
    std::fprintf(stderr, "\r[%.*s%*s] %llu/%llu runs, %.0f s elapsed, ETA %.0f s ", filled,
                 "##############################", 30 - filled, "", static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_), elapsed, eta);
    if (done == total_) std::fprintf(stderr, "\n");
  }

 private:
  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_;
};

// --mpi: runs are dealt round-robin to the ranks (run id mod ranks); each rank writes its runs
// to OUT.rank<k>.h5, then rank 0 merges the shards into OUT, equal to a one-process run.
int run_mpi(const io::Scenario& s, const std::string& out, const io::FileMetadata& meta, unsigned threads, bool quiet) {
#ifndef CROWDSIM_MPI
  (void)s, (void)out, (void)meta, (void)threads, (void)quiet;
  throw po::error("this crowdsim was built without MPI (apt-get install libopenmpi-dev openmpi-bin, then rebuild)");
#else
  const CrowdsimMpi& mpi = load_mpi();
  mpi.init();
  int rank = mpi.rank(), size = mpi.size();
  auto shard = [&](int k) { return out + ".rank" + std::to_string(k) + ".h5"; };
  std::set<std::uint64_t> others =
      experiment::runs_outside_shard(s, static_cast<std::uint64_t>(rank), static_cast<std::uint64_t>(size));
  int ok = 1;
  try {
    io::Hdf5Recorder recorder(shard(rank), meta, s.detail);
    experiment::run_experiment(s, recorder, {}, threads, nullptr, others);
    recorder.finish();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crowdsim (rank %d): %s\n", rank, e.what());
    ok = 0;
  }
  int all_ok = mpi.all_min(ok);  // also waits for every shard
  int status = all_ok ? 0 : 1;
  if (rank == 0 && all_ok) {
    std::vector<std::string> shards;
    for (int k = 0; k < size; ++k) shards.push_back(shard(k));
    try {
      io::merge_shards(out, shards);
      for (const auto& f : shards) std::filesystem::remove(f);
      if (!quiet) std::fprintf(stderr, "wrote %s (%llu runs over %d ranks)\n", out.c_str(),
                               static_cast<unsigned long long>(experiment::run_count(s)), size);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "crowdsim: %s (the shards are kept)\n", e.what());
      status = 1;
    }
  }
  status = mpi.broadcast(status);
  mpi.finalize();
  return status;
#endif
}

}  // namespace

// The output could not be written (ENOSPC, EFBIG, EIO): the finished runs go to OUT.partial.
int write_failed(const io::WriteError& e, io::Hdf5Recorder& recorder, std::uint64_t finished, const std::string& out) {
  bool saved = recorder.save_partial();
  std::fprintf(stderr, "\ncrowdsim: %s\n", e.what());
  if (saved)
    std::fprintf(stderr, "crowdsim: the %llu finished runs are kept in %s.partial (status partial); make room and "
                 "complete it with the same command and --resume\n", static_cast<unsigned long long>(finished), out.c_str());
  else
    std::fprintf(stderr, "crowdsim: %s.partial (or %s.tmp) could not be closed cleanly and may not open\n", out.c_str(),
                 out.c_str());
  return kWriteFailed;
}

int cmd_run(const std::string& command, const std::vector<std::string>& args) {
  po::options_description opts(command + " options");
  add_scenario_options(opts);
  opts.add_options()
      ("output,o", po::value<std::string>()->required(), "output HDF5 file")
      ("force", "write even when crowdsim would refuse (an existing output, a projected size too large)")
      ("threads,j", po::value<unsigned>()->default_value(1), "runs computed in parallel (the output is the same)")
      ("resume", "complete OUT.h5.partial, left by an interrupted run of the same scenario and options "
                 "(or OUT.h5.tmp, left by a killed one: its finished runs are salvaged first)")
      ("shard", po::value<std::string>(), "K/N: run only the runs with id mod N = K (cluster array jobs; crowdsim merge joins them)")
      ("mpi", "spread the runs over MPI ranks (mpirun -np N crowdsim ... --mpi): each rank writes a shard, rank 0 merges")
      ("max-memory", po::value<std::string>(), "refuse scenarios projected to need more (e.g. 8G; default: half the RAM)")
      ("max-output", po::value<std::string>(), "refuse runs whose output is projected to be larger (e.g. 500M, 1G; "
                                               "always: larger than the free space of its file system)")
      ("quiet,q", "print nothing but errors (warnings are still counted in the file)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  Help run_help{"SCENARIO -o OUT.h5 [options]",
                "Runs every replication (and every point of a sweep block) of a scenario and writes the results\n"
                "to HDF5 (docs/hdf5-layout.md). Warns (stderr, and in the file's \"warnings\" attribute) of runs\n"
                "that closed no task, a budget that ran out, expired tasks, worker groups that did nothing,\n"
                "strategies that did not converge and batch EM aggregations stopped at their iteration cap.\n"
                "Refuses to overwrite OUT.h5 unless --force.\n"
                "\nexamples:\n"
                "  crowdsim run scenarios/demo.json -o out/demo.h5\n"
                "  crowdsim run scenarios/demo.json -o out/r5.h5 --replications 5 --set tasks.count=500 -j 2"};
  Help sweep_help{"SCENARIO -o OUT.h5 [options]",
                  "Runs every point of the scenario's sweep block (a grid, a list or random points; docs/scenarios.md)\n"
                  "times its replications, into one file; `crowdsim run` does the same, `sweep` also insists that\n"
                  "there is a sweep block. Compare the points with `crowdsim summarize OUT.h5` (one group per point).\n"
                  "Refuses to overwrite OUT.h5 unless --force.\n"
                  "\nexamples:\n"
                  "  crowdsim sweep scenarios/beta_sweep.json -o out/beta.h5 -j 2\n"
                  "  crowdsim summarize out/beta.h5 --kpi total_cost,latency_mean --format markdown"};
  if (!parse(command, args, opts, pos, vm, command == "sweep" ? sweep_help : run_help)) return 0;
  io::Scenario s = load(vm);
  if (command == "sweep" && !s.resolved.contains("sweep"))
    throw sim::ConfigError("sweep", "a sweep block (crowdsim sweep runs sweeps; use crowdsim run otherwise)", "none");
  unsigned threads = vm["threads"].as<unsigned>();
  if (threads == 0 || threads > 1024)
    throw po::error("--threads must be between 1 and 1024, found " + std::to_string(threads));
  if (vm.count("mpi") && (vm.count("resume") || vm.count("shard")))
    throw po::error("--mpi runs the whole experiment over its ranks, afresh: it cannot be combined with --resume or "
                    "--shard (docs/cluster.md)");
  // Under mpirun without --mpi, every rank would run the whole experiment into the same file
  // (and fail on it, or race for it): refused before anything is written.
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char* ranks = std::getenv(var); !vm.count("mpi") && ranks && std::atoi(ranks) > 1)
      throw po::error("started as one of " + std::string(ranks) + " MPI ranks (" + var +
                      ") without --mpi: each rank would run the whole experiment into the same file; add --mpi to "
                      "share the runs among the ranks (docs/cluster.md), or start crowdsim without mpirun");
  bool quiet = vm.count("quiet") > 0;
  std::uint64_t limit = experiment::default_memory_limit();
  if (vm.count("max-memory")) {
    auto parsed = experiment::parse_bytes(vm["max-memory"].as<std::string>());
    if (!parsed) throw po::error("--max-memory expects a size such as 512M or 8G, found \"" + vm["max-memory"].as<std::string>() + "\"");
    limit = *parsed;
  }
  std::string out = vm["output"].as<std::string>();
  if (!vm.count("resume")) check_output(out, vm.count("force") > 0);
  if (!vm.count("resume") && !vm.count("force")) check_no_leftover(out, true);
  std::uint64_t max_output = 0;
  if (vm.count("max-output")) {
    auto parsed = experiment::parse_bytes(vm["max-output"].as<std::string>());
    if (!parsed) throw po::error("--max-output expects a size such as 500M or 1G, found \"" + vm["max-output"].as<std::string>() + "\"");
    max_output = *parsed;
  }
  io::OutputProjection projected =
      experiment::check_run_fits(s, threads, limit, out, max_output, vm.count("resume") > 0, vm.count("force") > 0);
  if (!quiet && (projected.bytes > 1e9 || projected.events > 1e8))
    std::fprintf(stderr, "crowdsim: %s is projected to take %s, about %.2g simulation events\n", out.c_str(),
                 io::describe(projected).c_str(), projected.events);
  std::uint64_t total = experiment::run_count(s), done = 0;
  bool bar = !quiet && total > 1 && isatty(fileno(stderr));
  Progress progress(total);

  // --shard is checked before the output exists: bad input leaves nothing behind.
  std::set<std::uint64_t> outside_shard;
  if (vm.count("shard")) {
    unsigned k = 0, n = 0;
    char extra = 0;
    std::string text = vm["shard"].as<std::string>();
    if (text.find('-') != std::string::npos || std::sscanf(text.c_str(), "%u/%u%c", &k, &n, &extra) != 2 || n == 0 || k >= n)
      throw po::error("--shard expects K/N with 0 <= K < N, found \"" + text + "\"");
    outside_shard = experiment::runs_outside_shard(s, k, n);
  }
  io::FileMetadata meta{s.resolved.dump(2)};
  if (vm.count("mpi")) return run_mpi(s, out, meta, threads, quiet);
  bool salvage = vm.count("resume") && io::needs_salvage(out);  // resume() salvages it first
  std::error_code ec;
  if (salvage && !quiet)
    std::fprintf(stderr, "salvaging %s.tmp (%.0f MB), left by a run that did not end: checking and copying its "
                 "finished runs\n", out.c_str(), static_cast<double>(std::filesystem::file_size(out + ".tmp", ec)) / 1e6);
  std::unique_ptr<io::Hdf5Recorder> recorder = vm.count("resume") ? io::Hdf5Recorder::resume(out, meta, s.detail)
                                                                  : std::make_unique<io::Hdf5Recorder>(out, meta, s.detail);
  const io::Salvaged& salvaged = recorder->salvaged();
  if (salvage && !quiet) {
    std::fprintf(stderr, "salvaged %zu finished run%s", salvaged.kept, salvaged.kept == 1 ? "" : "s");
    if (salvaged.dropped > 0)
      std::fprintf(stderr, "; %zu that did not read back whole (or came after one) will run again", salvaged.dropped);
    std::fprintf(stderr, "\n");
  }
  std::set<std::uint64_t> skip = recorder->finished_runs();
  if (!quiet && !skip.empty())
    std::fprintf(stderr, "resuming %s.partial: %zu of %llu runs already done\n", out.c_str(), skip.size(),
                 static_cast<unsigned long long>(total));
  for (std::uint64_t id : outside_shard) skip.insert(id);
  done = skip.size();
  // The finished runs in the file: this attempt's and a resumed file's earlier ones (not a shard's others).
  auto in_file = [&] { return done - skip.size() + recorder->finished_runs().size(); };
  // With one thread, the run under way reports its progress too (a terminal only).
  std::unique_ptr<app::RunProgress> live;
  if (!quiet && threads == 1 && isatty(fileno(stderr)))
    live = std::make_unique<app::RunProgress>(
        *recorder, [&](const models::RunInfo& i) { return static_cast<double>(s.points[i.point - s.point_offset].model.tasks.count); },
        [&] { return recorder->file_size(); });
  catch_signals();
  try {
  experiment::run_experiment(s, live ? static_cast<models::Recorder&>(*live) : *recorder, [&](const models::RunInfo& info, const models::Kpis& kpis) {
    ++done;
    if (bar) return progress.update(done);
    if (quiet) return;
    auto kpi = [&](const char* name) {
      for (const auto& [n, v] : kpis)
        if (n == name) return v;
      return 0.0;
    };
    std::string refused = kpi("tasks_refused") > 0 ? ", " + io::sig(kpi("tasks_refused"), 9, true) + " refused (budget ran out)" : "";
    std::fprintf(stderr, "run %06llu: %.0f tasks closed of %.0f published%s, %llu events, %.3f s\n",
                 static_cast<unsigned long long>(info.run_id), kpi("tasks_closed"), kpi("tasks_published"),
                 refused.c_str(), static_cast<unsigned long long>(info.events_processed), info.wall_seconds);
  }, threads, &g_interrupt, skip);
  } catch (const models::Interrupted&) {
    const std::uint64_t kept = in_file();
    recorder.reset();  // keeps the finished runs in OUT.partial, marked partial
    int sig = g_signal ? static_cast<int>(g_signal) : SIGINT;
    std::fprintf(stderr, "\ncrowdsim: interrupted (%s): the %llu finished runs are in %s.partial; "
                 "complete it with the same command and --resume\n", sig == SIGTERM ? "SIGTERM" : "SIGINT",
                 static_cast<unsigned long long>(kept), out.c_str());
    return 128 + sig;
  } catch (const io::WriteError& e) {
    return write_failed(e, *recorder, in_file(), out);
  }
  try {
    recorder->finish();
  } catch (const io::WriteError& e) {
    return write_failed(e, *recorder, in_file(), out);
  }
  if (!quiet)  // of every run in the file, those of an earlier, resumed attempt too
    for (const auto& w : io::warning_messages(recorder->warnings())) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (!quiet) std::fprintf(stderr, "wrote %s (%llu run%s)\n", out.c_str(), static_cast<unsigned long long>(total),
                           total == 1 ? "" : "s");
  return 0;
}

}  // namespace crowdsim::app
