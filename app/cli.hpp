#pragma once
// What the crowdsim subcommands share: option parsing with a help page per command, the
// scenario options, output-file checks and signal handling; and the commands, one file each
// (app/cmd_*.cpp), named once in app/main.cpp's table.

#include <boost/program_options.hpp>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

#include "io/scenario.hpp"

namespace crowdsim::app {

namespace po = boost::program_options;

/// Exit status of bad input (scenario or command line).
inline constexpr int kBadInput = 2;
/// Exit status: the output could not be written (disk full, file-size limit, I/O error; README).
inline constexpr int kWriteFailed = 3;

/// A subcommand's help page: what it does and an example, under the usage line.
struct Help {
  const char* synopsis;  ///< after "usage: crowdsim COMMAND "
  std::string about;     ///< what it does, and one or more examples
};
/// Parses the options of one subcommand; `--help` prints its page and returns false.
bool parse(const std::string& command, const std::vector<std::string>& args, po::options_description& opts,
           const po::positional_options_description& pos, po::variables_map& vm, const Help& help);
/// The scenario options shared by run, sweep, optimize, deviations and validate.
void add_scenario_options(po::options_description& opts);
/// The scenario of the parsed options, overrides applied.
io::Scenario load(const po::variables_map& vm);
/// `text` as a whole number in [0, max]; otherwise a po::error naming --`option` (so that
/// --seed -1 is refused instead of read as 2^64 − 1).
std::uint64_t parse_whole(const std::string& option, const std::string& text, std::uint64_t max);
/// Refuses (po::error) to write over an existing `path` unless `force`.
void check_output(const std::string& path, bool force);
/// Finished runs of an earlier attempt at `out`: in OUT.partial (interrupted) or OUT.tmp (killed
/// outright, or the machine went down). Starting again would drop them without a word: refused
/// (po::error) unless --force. `can_resume`: the command has --resume to offer.
void check_no_leftover(const std::string& out, bool can_resume);

/// Set by SIGINT/SIGTERM: the experiment stops, keeps its finished runs in OUT.partial, and the
/// program exits with 128 + the signal number.
extern std::atomic<bool> g_interrupt;
extern volatile std::sig_atomic_t g_signal;
void catch_signals();

// The commands (run also does sweep, so it is told which one it is).
int cmd_run(const std::string& command, const std::vector<std::string>& args);
int cmd_deviations(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);
int cmd_list(const std::vector<std::string>& args);
int cmd_schema(const std::vector<std::string>& args);
int cmd_aggregate(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);
int cmd_summarize(const std::vector<std::string>& args);
int cmd_optimize(const std::vector<std::string>& args);

}  // namespace crowdsim::app
