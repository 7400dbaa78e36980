// crowdsim: the command-line front end. Exit status: 0 success, 1 runtime failure (I/O),
// 2 bad input (scenario or command line, or an output projected not to fit), 3 the output
// could not be written (disk full, file too large, I/O error: the finished runs are kept in
// OUT.partial for --resume), 128 + N killed by signal N; with one message naming what is wrong. Each command
// is in its own file (app/cmd_*.cpp); the table below names them once, for the usage, the
// dispatch and the did-you-mean of an unknown command.

#include <malloc.h>
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "io/hdf5_recorder.hpp"
#include "io/projection.hpp"
#include "sim/config.hpp"

using namespace crowdsim;
using namespace crowdsim::app;

namespace {

/// One command: its name, what follows it and what it does (its line in the usage), and what runs it.
struct Command {
  const char* name;
  const char* args;
  const char* summary;
  int (*run)(const std::string& command, const std::vector<std::string>& args);
};

// In the order of the usage.
const Command kCommands[] = {
    {"run", "SCENARIO -o OUT.h5", "run a scenario and write its results to HDF5", cmd_run},
    {"sweep", "SCENARIO -o OUT.h5", "run every point of a scenario's sweep block (also done by run)", cmd_run},
    {"optimize", "SCENARIO", "search the parameters of its optimize block (best value, 95% CIs)",
     [](const std::string&, const std::vector<std::string>& a) { return cmd_optimize(a); }},
    {"deviations", "SCENARIO", "check that no deviation from the workers' strategies pays (equilibrium)",
     [](const std::string&, const std::vector<std::string>& a) { return cmd_deviations(a); }},
    {"merge", "-o OUT.h5 SHARDS", "join shard files (--shard K/N runs, cluster jobs) into one",
     [](const std::string&, const std::vector<std::string>& a) { return cmd_merge(a); }},
    {"aggregate", "LABELS.csv", "estimate true labels from crowd answers (--method, --truth, -o)",
     [](const std::string&, const std::vector<std::string>& a) { return cmd_aggregate(a); }},
    {"validate", "SCENARIO", "check a scenario; every error names the JSON path",
     [](const std::string&, const std::vector<std::string>& a) { return cmd_validate(a); }},
    {"list", "[--params] [KIND]", "list the models of every kind (policies, distributions, ...) and their parameters",
     [](const std::string&, const std::vector<std::string>& a) { return cmd_list(a); }},
    {"schema", "", "print the scenario format as a JSON Schema (scenarios/schema.json)",
     [](const std::string&, const std::vector<std::string>& a) { return cmd_schema(a); }},
    {"summarize", "OUT.h5", "KPIs per policy and parameters, with 95% confidence intervals",
     [](const std::string&, const std::vector<std::string>& a) { return cmd_summarize(a); }},
};

std::string usage() {
  std::string text = "usage: crowdsim <command> [options]\n\ncommands:\n";
  char line[256];
  for (const Command& c : kCommands) {
    std::string call = std::string(c.name) + (*c.args ? " " : "") + c.args;
    std::snprintf(line, sizeof line, "  %-24s %s\n", call.c_str(), c.summary);
    text += line;
  }
  return text + "\n`crowdsim <command> --help` describes each command's options.\n";
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
    std::cout << usage();
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
    std::vector<std::string> names;
    for (const Command& c : kCommands) {
      if (command == c.name) return c.run(command, args);
      names.push_back(c.name);
    }
    std::string hint = sim::closest(command, names);
    std::cerr << "crowdsim: unknown command \"" << command << "\""
              << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") << "\n" << usage();
    return kBadInput;
  } catch (const sim::ConfigError& e) {
    std::cerr << "crowdsim: " << e.what() << "\n";
    return kBadInput;
  } catch (const io::OutputRefused& e) {
    std::cerr << "crowdsim: " << e.what() << "\n";
    return kBadInput;
  } catch (const io::WriteError& e) {  // one the command did not handle itself (salvaging a killed run's file)
    std::cerr << "crowdsim: " << e.what() << "\n";
    return kWriteFailed;
  } catch (const po::error& e) {
    std::cerr << "crowdsim " << command << ": " << e.what() << " (see crowdsim " << command << " --help)\n";
    return kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "crowdsim: " << e.what() << "\n";
    return 1;
  }
}
