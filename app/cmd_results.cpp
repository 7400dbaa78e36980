// crowdsim summarize and crowdsim optimize: the commands that turn runs into results.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli.hpp"
#include "experiment/optimize.hpp"
#include "experiment/summarize.hpp"
#include "io/hdf5_recorder.hpp"
#include "io/run_warnings.hpp"
#include "models/platform.hpp"
#include "sim/config.hpp"

namespace crowdsim::app {

namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace

int cmd_summarize(const std::vector<std::string>& args) {
  po::options_description opts("summarize options");
  opts.add_options()
      ("file", po::value<std::string>()->required(), "a crowdsim HDF5 results file")
      ("kpi", po::value<std::string>(), "comma-separated KPIs to show (default: a standard set; \"all\")")
      ("csv", "print CSV, one row per group and KPI (every KPI unless --kpi); columns below")
      ("format", po::value<std::string>()->default_value("text"), "the table as text | markdown | latex")
      ("baseline", po::value<std::string>(),
       "also each group's difference from this group (a policy name or a group label), paired by replication, "
       "with Holm-corrected p-values");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  Help help{"OUT.h5 [--kpi a,b,c] [--csv | --format markdown|latex] [--baseline GROUP]",
            "The KPIs of a results file per group of runs (same policies and parameters): the mean over\n"
            "the runs and its 95% confidence interval, made so that it stays in the KPI's range\n"
            "(logit-scale t for proportions, log-scale t for positive quantities and counts, Student t\n"
            "otherwise; docs/statistics.md). \"n=2 of 4\" marks a KPI only 2 of the 4 runs have (NaN\n"
            "values, e.g. the accuracy of a run that closed no task, are left out). Groups are labelled\n"
            "by what differs between them. With --baseline, a second table gives each group's mean\n"
            "difference from the baseline, paired by replication, with p-values of the paired t test\n"
            "(Welch's where nothing pairs) Holm-corrected over every comparison shown; * p < 0.05.\n"
            "\n"
            "CSV columns (--csv):\n" +
                experiment::csv_columns_help() +
                "\nexamples:\n"
                "  crowdsim summarize out/compare.h5 --baseline random --kpi accuracy,latency_mean\n"
                "  crowdsim summarize out/beta.h5 --kpi accuracy,total_cost --format latex > table.tex\n"
                "  crowdsim summarize out/beta.h5 --csv > beta.csv"};
  if (!parse("summarize", args, opts, pos, vm, help)) return 0;
  bool csv = vm.count("csv") > 0;
  std::string wanted = vm.count("kpi") ? vm["kpi"].as<std::string>() : (csv ? "all" : "");
  std::vector<std::string> kpis;
  if (wanted.empty())
    kpis = {"tasks_closed", "accuracy", "total_cost", "cost_per_task", "latency_mean", "latency_p95", "utilization",
            "earnings_per_hour_median"};
  else if (wanted != "all")
    kpis = split(wanted);
  try {
    io::TableFormat format = io::parse_table_format(vm["format"].as<std::string>());
    if (csv && !vm["format"].defaulted()) throw std::invalid_argument("--csv and --format: choose one");
    const std::string& path = vm["file"].as<std::string>();
    experiment::SummaryTable table = experiment::summarize_file(path);
    if (table.status == "partial")
      std::cerr << "crowdsim summarize: warning: " << path
                << " is marked partial: its run stopped before the end, so runs of the experiment may be missing "
                   "(the same crowdsim command with --resume completes it)\n";
    std::size_t baseline = vm.count("baseline") ? experiment::find_group(table, vm["baseline"].as<std::string>())
                                                : experiment::kNoBaseline;
    if (csv) experiment::print_csv(table, kpis, std::cout, baseline);
    else experiment::print_table(table, kpis, std::cout, baseline, format);
  } catch (const std::invalid_argument& e) {
    std::cerr << "crowdsim summarize: " << e.what() << "\n";
    return kBadInput;
  }
  return 0;
}

int cmd_optimize(const std::vector<std::string>& args) {
  po::options_description opts("optimize options");
  add_scenario_options(opts);
  opts.add_options()
      ("output,o", po::value<std::string>(), "write every evaluated run to this HDF5 file")
      ("force", "overwrite the output file if it exists")
      ("threads,j", po::value<unsigned>()->default_value(1), "runs computed in parallel (the result is the same)")
      ("quiet,q", "print nothing but the result and errors");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  Help help{"SCENARIO [-o OUT.h5] [options]",
            "Searches the parameters of the scenario's optimize block (docs/scenarios.md) by grid refinement\n"
            "under common random numbers, and prints the best feasible point: every KPI there with its\n"
            "95% interval, and each constraint as the share of replications that meet it. Warns (stderr)\n"
            "when the optimum lies on a bound of the search range, with how much the objective was still\n"
            "improving toward it, and of points where every run failed a constraint. Exit status 1 when no\n"
            "point is feasible.\n"
            "\nexample:\n"
            "  crowdsim optimize scenarios/tune_incentives.json -j 2 -o out/tune.h5"};
  if (!parse("optimize", args, opts, pos, vm, help)) return 0;
  io::Scenario s = load(vm);
  if (!s.resolved.contains("optimize"))
    throw sim::ConfigError("optimize", "an optimize block (see docs/scenarios.md)", "none");
  unsigned threads = std::max(1u, vm["threads"].as<unsigned>());
  std::unique_ptr<io::Hdf5Recorder> file;
  models::Recorder none;
  const std::string file_name = vm.count("output") ? vm["output"].as<std::string>() : "";
  if (vm.count("output")) {
    check_output(vm["output"].as<std::string>(), vm.count("force") > 0);
    if (!vm.count("force")) check_no_leftover(vm["output"].as<std::string>(), false);
    file = std::make_unique<io::Hdf5Recorder>(vm["output"].as<std::string>(), io::FileMetadata{s.resolved.dump(2)}, s.detail);
  }
  io::WarningTally tally(file ? static_cast<models::Recorder&>(*file) : none, io::group_names(s.resolved.dump()));
  catch_signals();
  experiment::OptimizeResult r;
  try {
    r = experiment::optimize(s.resolved, s.base_dir, tally, threads, &g_interrupt);
  } catch (const models::Interrupted&) {
    file.reset();
    if (file_name.empty()) std::fprintf(stderr, "\ncrowdsim: interrupted\n");
    else std::fprintf(stderr, "\ncrowdsim: interrupted; the runs evaluated so far are in %s.partial\n", file_name.c_str());
    return 128 + (g_signal ? static_cast<int>(g_signal) : SIGINT);
  }
  std::vector<io::RunWarning> warned = tally.counter().warnings();
  if (file) file->finish({{"optimum", experiment::optimum_json(r)}});
  experiment::print_optimum(r, std::cout);
  std::cout.flush();
  for (const auto& w : warned) std::cerr << "warning: " << w.text << "\n";
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
  if (file && !vm.count("quiet")) std::fprintf(stderr, "wrote %s\n", vm["output"].as<std::string>().c_str());
  return r.best < 0 ? 1 : 0;
}

}  // namespace crowdsim::app
