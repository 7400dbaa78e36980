// crowdsim deviations: does any deviation from the workers' strategies pay?

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "experiment/deviations.hpp"
#include "models/platform.hpp"
#include "sim/csv.hpp"

namespace crowdsim::app {

namespace {

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

}  // namespace

int cmd_deviations(const std::vector<std::string>& args) {
  po::options_description opts("deviations options");
  add_scenario_options(opts);
  opts.add_options()
      ("group", po::value<std::string>(), "the worker group that deviates (default: the first strategic one)")
      ("whole-group", "in games (contests, agreement review) too, the whole group deviates (default there: its first worker): "
                      "a collective deviation, its gains no evidence against an equilibrium, so no verdict (exit status 0)")
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
              "intervals over replications. Taking part is tested too: staying out (the outside option, 0)\n"
              "and taking the task types stayed out of. Exit status 0: no deviation gains significantly;\n"
              "1: one does; 2: nothing could be tested (the group took no task, and chose by logit).\n"
              "\nexample:\n"
              "  crowdsim deviations scenarios/equilibrium_progress.json --effort 0.9,1.1 --delay 0,0.1 -j 2"})) return 0;
  io::Scenario s = load(vm);
  experiment::DeviationOptions o;
  if (vm.count("group")) o.group = vm["group"].as<std::string>();
  o.whole_group = vm.count("whole-group") > 0;
  if (vm.count("effort")) o.effort_factors = numbers("effort", vm["effort"].as<std::string>());
  if (vm.count("delay")) o.delay_shifts = numbers("delay", vm["delay"].as<std::string>());
  o.threads = std::max(1u, vm["threads"].as<unsigned>());
  catch_signals();
  experiment::DeviationReport r;
  try {
    r = experiment::check_deviations(s, o, &g_interrupt);
  } catch (const models::Interrupted&) {
    std::fprintf(stderr, "\ncrowdsim: interrupted\n");
    return 128 + (g_signal ? static_cast<int>(g_signal) : SIGINT);
  }
  experiment::print_deviations(r, std::cout);
  if (r.tested == 0) return kBadInput;  // a check that tested nothing is no pass
  if (r.game && !r.one_worker) return 0;  // --whole-group in a game: no verdict
  return r.significant > 0 ? 1 : 0;
}

}  // namespace crowdsim::app
