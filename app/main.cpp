// crowdsim: the command-line front end. Exit status: 0 success, 1 runtime failure (I/O),
// 2 bad input (scenario or command line, or an output projected not to fit), 3 the output
// could not be written (disk full, file too large, I/O error: the finished runs are kept in
// OUT.partial for --resume), 128 + N killed by signal N; with one message naming what is wrong.

#include <boost/program_options.hpp>

#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <csignal>
#include <memory>
#include <optional>
#include <set>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "io/deviations.hpp"
#include "io/experiment.hpp"
#include "io/hdf5_recorder.hpp"
#include "io/memory.hpp"
#include "io/merge.hpp"
#include "io/labels.hpp"
#include "models/aggregation/aggregator.hpp"
#include "io/optimize.hpp"
#include "io/projection.hpp"
#include "io/scenario.hpp"
#include "io/schema.hpp"
#include "io/summarize.hpp"
#include "models/platform.hpp"
#include "models/assignment/policy.hpp"
#include "models/behavior/strategic.hpp"
#include "models/incentive/policy.hpp"
#include "models/registry.hpp"
#include "sim/config.hpp"
#include "sim/csv.hpp"
#include "sim/distribution.hpp"

#include "cli.hpp"
#include "io/format.hpp"
#include "io/kpi_meta.hpp"
#include "io/run_warnings.hpp"
#include "mpi_plugin.hpp"
#include "plugins.hpp"
#include "progress.hpp"

namespace po = boost::program_options;
using namespace crowdsim;
using namespace crowdsim::app;

namespace {

constexpr int kWriteFailed = 3;  // the output could not be written (README: exit statuses)

const char* kUsage =
    "usage: crowdsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO -o OUT.h5   run a scenario and write its results to HDF5\n"
    "  sweep SCENARIO -o OUT.h5 run every point of a scenario's sweep block (also done by run)\n"
    "  optimize SCENARIO        search the parameters of its optimize block (best value, 95% CIs)\n"
    "  deviations SCENARIO      check that no deviation from the workers' strategies pays (equilibrium)\n"
    "  merge -o OUT.h5 SHARDS   join shard files (--shard K/N runs, cluster jobs) into one\n"
    "  aggregate LABELS.csv     estimate true labels from crowd answers (--method, --truth, -o)\n"
    "  validate SCENARIO        check a scenario; every error names the JSON path\n"
    "  list [--params] [KIND]   list the models of every kind (policies, distributions, ...) and their parameters\n"
    "  schema                   print the scenario format as a JSON Schema (scenarios/schema.json)\n"
    "  summarize OUT.h5         KPIs per policy and parameters, with 95% confidence intervals\n"
    "\n"
    "`crowdsim <command> --help` describes each command's options.\n";

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
  std::set<std::uint64_t> others = io::runs_outside_shard(s, static_cast<std::uint64_t>(rank), static_cast<std::uint64_t>(size));
  int ok = 1;
  try {
    io::Hdf5Recorder recorder(shard(rank), meta, s.detail);
    io::run_experiment(s, recorder, {}, threads, nullptr, others);
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
                               static_cast<unsigned long long>(io::run_count(s)), size);
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
      ("resume", "complete OUT.h5.partial, left by an interrupted run of the same scenario and options")
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
                "that closed no task, a budget that ran out, expired tasks and worker groups that did nothing.\n"
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
  bool quiet = vm.count("quiet") > 0;
  std::uint64_t limit = io::default_memory_limit();
  if (vm.count("max-memory")) {
    auto parsed = io::parse_bytes(vm["max-memory"].as<std::string>());
    if (!parsed) throw po::error("--max-memory expects a size such as 512M or 8G, found \"" + vm["max-memory"].as<std::string>() + "\"");
    limit = *parsed;
  }
  if (std::uint64_t need = io::projected_bytes(s, threads); need > limit)
    throw sim::ConfigError("", "a scenario that fits in --max-memory " + io::format_bytes(limit),
                           "one projected to need " + io::format_bytes(need) +
                               " (batch arrivals hold every task at once; workers ever seen and, with --threads, "
                               "buffered runs add to it): make it smaller, use fewer threads, or raise --max-memory");
  std::string out = vm["output"].as<std::string>();
  if (!vm.count("resume")) check_output(out, vm.count("force") > 0);
  io::OutputProjection projected = io::project_output(s);
  std::uint64_t max_output = 0;
  if (vm.count("max-output")) {
    auto parsed = io::parse_bytes(vm["max-output"].as<std::string>());
    if (!parsed) throw po::error("--max-output expects a size such as 500M or 1G, found \"" + vm["max-output"].as<std::string>() + "\"");
    max_output = *parsed;
  }
  if (!vm.count("force")) {
    std::error_code ec;
    std::uint64_t held = vm.count("resume") ? std::filesystem::file_size(out + ".partial", ec) : 0;
    std::uint64_t free = io::free_bytes_for(out);
    if (!ec && free < UINT64_MAX - held) free += held;  // --resume writes over what it holds
    io::check_output_fits(projected, out, max_output, free);
  }
  if (!quiet && (projected.bytes > 1e9 || projected.events > 1e8))
    std::fprintf(stderr, "crowdsim: %s is projected to take %s, about %.2g simulation events\n", out.c_str(),
                 io::describe(projected).c_str(), projected.events);
  std::uint64_t total = io::run_count(s), done = 0;
  bool bar = !quiet && total > 1 && isatty(fileno(stderr));
  Progress progress(total);

  io::FileMetadata meta{s.resolved.dump(2)};
  if (vm.count("mpi")) return run_mpi(s, out, meta, threads, quiet);
  std::unique_ptr<io::Hdf5Recorder> recorder = vm.count("resume") ? io::Hdf5Recorder::resume(out, meta, s.detail)
                                                                  : std::make_unique<io::Hdf5Recorder>(out, meta, s.detail);
  std::set<std::uint64_t> skip = recorder->finished_runs();
  if (vm.count("shard")) {
    unsigned k = 0, n = 0;
    char extra = 0;
    std::string text = vm["shard"].as<std::string>();
    if (std::sscanf(text.c_str(), "%u/%u%c", &k, &n, &extra) != 2 || n == 0 || k >= n)
      throw po::error("--shard expects K/N with 0 <= K < N, found \"" + text + "\"");
    for (std::uint64_t id : io::runs_outside_shard(s, k, n)) skip.insert(id);
  }
  done = skip.size();
  if (!quiet && !skip.empty())
    std::fprintf(stderr, "resuming %s.partial: %zu of %llu runs already done\n", out.c_str(), skip.size(),
                 static_cast<unsigned long long>(total));
  // With one thread, the run under way reports its progress too (a terminal only).
  std::unique_ptr<app::RunProgress> live;
  if (!quiet && threads == 1 && isatty(fileno(stderr)))
    live = std::make_unique<app::RunProgress>(
        *recorder, [&](const models::RunInfo& i) { return static_cast<double>(s.points[i.point - s.point_offset].model.tasks.count); },
        [&] { return recorder->file_size(); });
  catch_signals();
  try {
  io::run_experiment(s, live ? static_cast<models::Recorder&>(*live) : *recorder, [&](const models::RunInfo& info, const models::Kpis& kpis) {
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
    recorder.reset();  // keeps the finished runs in OUT.partial, marked partial
    int sig = g_signal ? static_cast<int>(g_signal) : SIGINT;
    std::fprintf(stderr, "\ncrowdsim: interrupted (%s): the %llu finished runs are in %s.partial; "
                 "complete it with the same command and --resume\n", sig == SIGTERM ? "SIGTERM" : "SIGINT",
                 static_cast<unsigned long long>(done), out.c_str());
    return 128 + sig;
  } catch (const io::WriteError& e) {
    return write_failed(e, *recorder, done - skip.size() + recorder->finished_runs().size(), out);
  }
  try {
    recorder->finish();
  } catch (const io::WriteError& e) {
    return write_failed(e, *recorder, done - skip.size() + recorder->finished_runs().size(), out);
  }
  if (!quiet)  // of every run in the file, those of an earlier, resumed attempt too
    for (const auto& w : io::warning_messages(recorder->warnings())) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (!quiet) std::fprintf(stderr, "wrote %s (%llu runs)\n", out.c_str(), static_cast<unsigned long long>(total));
  return 0;
}

// Splits "0.8,0.9,1.1" into numbers; a bad item is a command-line error.
std::vector<double> numbers(const std::string& option, const std::string& text) {
  std::vector<double> out;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t comma = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, comma - start);
    std::optional<double> v = sim::parse_number(item);
    if (!v) throw po::error("--" + option + ": expected numbers separated by commas, found \"" + item + "\"");
    out.push_back(*v);
    start = comma + 1;
  }
  return out;
}

int cmd_deviations(const std::vector<std::string>& args) {
  po::options_description opts("deviations options");
  add_scenario_options(opts);
  opts.add_options()
      ("group", po::value<std::string>(), "the worker group that deviates (default: the first strategic one)")
      ("whole-group", "in games (contests, agreement review) too, the whole group deviates (default there: its first worker)")
      ("effort", po::value<std::string>(), "effort factors to try, e.g. 0.8,0.9,1.1 (default 0.8,0.9,1,1.1,1.25)")
      ("delay", po::value<std::string>(), "delay shifts to try, in units of the task's T, e.g. -0.1,0,0.1")
      ("threads,j", po::value<unsigned>()->default_value(1), "runs computed in parallel (the result is the same)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (!parse("deviations", args, opts, pos, vm,
             {"SCENARIO [options]",
              "Runs the scenario, then again with one group (in games: one worker) using\n"
              "effort e* x factor and delay d* + shift x T instead of its strategy (e*, d*), everything else\n"
              "equal, and prints each deviation's realized utility gain per assignment with Bonferroni 95%\n"
              "intervals over replications. Exit status 0: no deviation gains significantly; 1: one does.\n"
              "\nexample:\n"
              "  crowdsim deviations scenarios/equilibrium_progress.json --effort 0.9,1.1 --delay 0,0.1 -j 2"})) return 0;
  io::Scenario s = load(vm);
  io::DeviationOptions o;
  if (vm.count("group")) o.group = vm["group"].as<std::string>();
  o.whole_group = vm.count("whole-group") > 0;
  if (vm.count("effort")) o.effort_factors = numbers("effort", vm["effort"].as<std::string>());
  if (vm.count("delay")) o.delay_shifts = numbers("delay", vm["delay"].as<std::string>());
  o.threads = std::max(1u, vm["threads"].as<unsigned>());
  catch_signals();
  io::DeviationReport r;
  try {
    r = io::check_deviations(s, o, &g_interrupt);
  } catch (const models::Interrupted&) {
    std::fprintf(stderr, "\ncrowdsim: interrupted\n");
    return 128 + (g_signal ? static_cast<int>(g_signal) : SIGINT);
  }
  io::print_deviations(r, std::cout);
  return r.significant > 0 ? 1 : 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description opts("validate options");
  add_scenario_options(opts);
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (!parse("validate", args, opts, pos, vm,
             {"SCENARIO [options]",
              "Checks a scenario (with its --set overrides) without running it; an error names the JSON path,\n"
              "what was expected and what was found (exit status 2).\n"
              "\nexample:\n"
              "  crowdsim validate scenarios/demo.json --set tasks.count=500"})) return 0;
  io::Scenario s = load(vm);
  std::cout << vm["scenario"].as<std::string>() << ": ok (" << s.name << ", " << s.model.tasks.count
            << " tasks, " << s.model.workers.count << " workers, assignment " << s.model.assignment.name
            << ", incentive " << s.model.incentive.name << ")\n";
  return 0;
}

int cmd_list(const std::vector<std::string>& args) {
  po::options_description opts("list options");
  opts.add_options()
      ("kind", po::value<std::string>(), "only this kind (assignment, incentive, aggregation, ...)")
      ("name", po::value<std::string>(), "only this entry of the kind")
      ("params", "with each entry's parameters: accepted values, default, unit and meaning")
      ("markdown", "the parameter tables as Markdown (docs/parameters.md)")
      ("plugin", po::value<std::vector<std::string>>()->composing(), "load a shared library of your own models first (repeatable)");
  po::positional_options_description pos;
  pos.add("kind", 1).add("name", 1);
  po::variables_map vm;
  if (!parse("list", args, opts, pos, vm,
             {"[--params] [KIND [NAME]]",
              "Lists every registered kind of model (assignment and incentive policies, aggregation methods,\n"
              "distributions, behaviour, review, arrival and confusion models) and the KPIs with their units;\n"
              "--params adds each entry's parameters: accepted values, default, unit and meaning.\n"
              "\nexamples:\n"
              "  crowdsim list | less\n"
              "  crowdsim list --params assignment ucb\n"
              "  crowdsim list --params --plugin ./libmine.so"})) return 0;
  if (vm.count("plugin")) app::load_plugins(vm["plugin"].as<std::vector<std::string>>());
  if (vm.count("markdown")) {
    std::cout << io::parameters_markdown();
    return 0;
  }
  std::string kind = vm.count("kind") ? vm["kind"].as<std::string>() : "";
  std::string name = vm.count("name") ? vm["name"].as<std::string>() : "";
  std::vector<std::string> kinds;
  for (const sim::RegistryBase* r : models::all_registries()) kinds.push_back(r->kind());
  const std::vector<std::string> hand = {"distribution", "kpi"};
  kinds.insert(kinds.end(), hand.begin(), hand.end());
  if (!kind.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
    throw sim::ConfigError("list KIND", "one of " + sim::join(kinds), sim::quoted_with_hint(kind, kinds));
  std::string text = io::parameters_text(kind, name, vm.count("params") > 0);
  if (!name.empty() && text.empty() && std::find(hand.begin(), hand.end(), kind) == hand.end()) {
    const sim::RegistryBase* r = sim::find_registry(kind);
    throw sim::ConfigError("list " + kind + " NAME", "one of " + sim::join(r->names()), sim::quoted_with_hint(name, r->names()));
  }
  std::cout << text;
  if (!name.empty() && !text.empty()) return 0;
  auto show = [&](const char* k, const char* title, const std::vector<std::pair<std::string, std::string>>& entries) {
    if (!kind.empty() && kind != k) return;
    std::cout << title << ":\n";
    for (const auto& [n, description] : entries) std::printf("  %-22s %s\n", n.c_str(), description.c_str());
    std::cout << "\n";
  };
  show("distribution", "distribution (every random trait, picked by \"dist\")", sim::Distribution::kinds());
  if (kind.empty() || kind == "kpi") {
    std::cout << "kpi: what summarize reports (kind: the range its intervals respect, docs/statistics.md)\n";
    for (const io::KpiMeta& k : io::kpi_table())
      std::printf("  %-26s %-11s %-10s %s\n", k.name.c_str(), k.unit.empty() ? "-" : k.unit.c_str(), io::kind_name(k.kind),
                  k.higher_is_better > 0 ? "higher is better" : k.higher_is_better < 0 ? "lower is better" : "");
    std::cout << "\n";
  }
  if (kind.empty()) std::cout << "The scenario format: docs/scenarios.md; every parameter: crowdsim list --params.\n";
  return 0;
}

int cmd_schema(const std::vector<std::string>& args) {
  po::options_description opts("schema options");
  po::variables_map vm;
  if (!parse("schema", args, opts, {}, vm,
             {"", "Prints the scenario format as a JSON Schema (draft 2020-12), generated from the parameters the\n"
                  "code declares; scenarios/schema.json is this output (make schema rewrites it).\n"
                  "\nexample:\n"
                  "  crowdsim schema > scenarios/schema.json"})) return 0;
  std::cout << io::scenario_schema().dump(2) << "\n";
  return 0;
}

int cmd_aggregate(const std::vector<std::string>& args) {
  std::string methods = sim::join(models::aggregators().names(), " | ");
  methods = "the method: " + methods + " (crowdsim list describes them)";
  po::options_description opts("aggregate options");
  opts.add_options()
      ("labels", po::value<std::string>()->required(), "answers: CSV with columns item,worker,label")
      ("method", po::value<std::string>()->default_value("ds"), methods.c_str())
      ("truth", po::value<std::string>(), "CSV with columns item,truth: prints accuracy over the items that have one")
      ("output,o", po::value<std::string>(), "write item,label,confidence to this CSV");
  po::positional_options_description pos;
  pos.add("labels", 1);
  po::variables_map vm;
  if (!parse("aggregate", args, opts, pos, vm,
             {"LABELS.csv [--method ds] [--truth TRUTH.csv] [-o OUT.csv]",
              "Estimates each item's true label from crowd answers (docs/aggregation.md).\n"
              "\nexample:\n"
              "  crowdsim aggregate data/crowd/rte_snow2008/labels.csv --method ds --truth data/crowd/rte_snow2008/truth.csv"})) return 0;
  std::unique_ptr<models::Aggregator> method = models::make_aggregator(vm["method"].as<std::string>());
  std::vector<std::pair<std::string, std::string>> truth;
  std::vector<std::string> truth_labels;
  if (vm.count("truth")) {
    truth = io::read_truth(vm["truth"].as<std::string>());
    for (const auto& t : truth) truth_labels.push_back(t.second);
  }
  io::LabelData d = io::read_labels(vm["labels"].as<std::string>(), truth_labels);
  std::vector<models::Estimate> est = method->aggregate(d.set);
  if (vm.count("output")) {
    std::string path = vm["output"].as<std::string>();
    std::ofstream out(path + ".tmp");
    out << "item,label,confidence\n";
    char buf[32];
    for (std::size_t i = 0; i < est.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%.6g", est[i].confidence);
      out << d.items[i] << ',' << (est[i].label < 0 ? "" : d.labels[static_cast<std::size_t>(est[i].label)]) << ',' << buf << '\n';
    }
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path);
    std::filesystem::rename(path + ".tmp", path);
  }
  if (vm.count("truth")) {
    std::map<std::string, std::size_t> item_index;
    for (std::size_t i = 0; i < d.items.size(); ++i) item_index[d.items[i]] = i;
    std::size_t right = 0, judged = 0;
    for (const auto& [item, label] : truth) {
      auto it = item_index.find(item);
      if (it == item_index.end()) continue;  // a truth for an item nobody answered
      ++judged;
      const models::Estimate& e = est[it->second];
      right += e.label >= 0 && d.labels[static_cast<std::size_t>(e.label)] == label;
    }
    std::printf("accuracy: %.4f\n", judged ? static_cast<double>(right) / static_cast<double>(judged) : 0.0);
  }
  return 0;
}

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description opts("merge options");
  opts.add_options()
      ("output,o", po::value<std::string>()->required(), "the merged file")
      ("force", "overwrite the merged file if it exists")
      ("shards", po::value<std::vector<std::string>>()->required()->multitoken(), "the shard files (of one scenario)");
  po::positional_options_description pos;
  pos.add("shards", -1);
  po::variables_map vm;
  if (!parse("merge", args, opts, pos, vm,
             {"-o OUT.h5 SHARD.h5 [SHARD.h5 ...]",
              "Joins the shard files of one scenario (crowdsim run --shard K/N, docs/cluster.md) into one file,\n"
              "equal to a single run's. Refuses to overwrite OUT.h5 unless --force.\n"
              "\nexample:\n"
              "  crowdsim merge -o out/all.h5 out/part0.h5 out/part1.h5"})) return 0;
  check_output(vm["output"].as<std::string>(), vm.count("force") > 0);
  io::merge_shards(vm["output"].as<std::string>(), vm["shards"].as<std::vector<std::string>>());
  std::fprintf(stderr, "wrote %s\n", vm["output"].as<std::string>().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Keep freed memory for reuse instead of handing it back: zlib allocates and frees a few
  // hundred KiB per chunk it compresses, and pages returned to the system fault again at the
  // next chunk, about 10 us each here (235 faults, 5 ms of an mmc run; docs/performance.md).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  // A write beyond the file-size limit (ulimit -f) fails with EFBIG instead of killing the
  // process, so the finished runs are saved like on a full disk (exit status 3).
  signal(SIGXFSZ, SIG_IGN);
  std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty() || all[0] == "--help" || all[0] == "-h" || all[0] == "help") {
    std::cout << kUsage;
    return all.empty() ? kBadInput : 0;
  }
  if (all[0] == "--version") {
#ifdef CROWDSIM_MPI
    std::cout << "crowdsim " << CROWDSIM_VERSION << " (with MPI)\n";
#else
    std::cout << "crowdsim " << CROWDSIM_VERSION << " (without MPI)\n";
#endif
    return 0;
  }
  std::string command = all[0];
  std::vector<std::string> args(all.begin() + 1, all.end());
  try {
    if (command == "run" || command == "sweep") return cmd_run(command, args);
    if (command == "validate") return cmd_validate(args);
    if (command == "list") return cmd_list(args);
    if (command == "schema") return cmd_schema(args);
    if (command == "summarize") return cmd_summarize(args);
    if (command == "optimize") return cmd_optimize(args);
    if (command == "deviations") return cmd_deviations(args);
    if (command == "merge") return cmd_merge(args);
    if (command == "aggregate") return cmd_aggregate(args);
    std::string hint = sim::closest(command, {"run", "sweep", "optimize", "deviations", "merge", "aggregate", "validate", "list", "schema", "summarize"});
    std::cerr << "crowdsim: unknown command \"" << command << "\""
              << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") << "\n" << kUsage;
    return kBadInput;
  } catch (const sim::ConfigError& e) {
    std::cerr << "crowdsim: " << e.what() << "\n";
    return kBadInput;
  } catch (const io::OutputRefused& e) {
    std::cerr << "crowdsim: " << e.what() << "\n";
    return kBadInput;
  } catch (const po::error& e) {
    std::cerr << "crowdsim " << command << ": " << e.what() << " (see crowdsim " << command << " --help)\n";
    return kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "crowdsim: " << e.what() << "\n";
    return 1;
  }
}
