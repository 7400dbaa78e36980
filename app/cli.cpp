#include "cli.hpp"
#include "plugins.hpp"

#include <signal.h>

#include <filesystem>
#include <iostream>

namespace crowdsim::app {

bool parse(const std::string& command, const std::vector<std::string>& args, po::options_description& opts,
           const po::positional_options_description& pos, po::variables_map& vm, const Help& help) {
  opts.add_options()("help,h", "show this help");
  po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: crowdsim " << command << " " << help.synopsis << "\n\n" << help.about << "\n\n" << opts << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

void add_scenario_options(po::options_description& opts) {
  opts.add_options()
      ("scenario", po::value<std::string>()->required(), "scenario JSON file")
      ("seed", po::value<std::string>(), "random seed, 0 to 2^63-1 (overrides the scenario's \"seed\")")
      ("replications", po::value<std::string>(), "independent replications (overrides \"replications\")")
      ("detail", po::value<std::string>(), "what to record: full | assignments | summary")
      ("set", po::value<std::vector<std::string>>()->composing(), "override a field: --set tasks.count=500 (repeatable)")
      ("plugin", po::value<std::vector<std::string>>()->composing(), "load a shared library of your own models first (repeatable; docs/extending.md)");
}

std::uint64_t parse_whole(const std::string& option, const std::string& text, std::uint64_t max) {
  bool digits = !text.empty() && text.size() <= 20 && text.find_first_not_of("0123456789") == std::string::npos;
  unsigned long long v = 0;
  bool ok = digits;
  if (ok) {
    try {
      std::size_t used = 0;
      v = std::stoull(text, &used);
      ok = used == text.size() && v <= max;
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok)
    throw po::error("--" + option + ": expected a whole number from 0 to " + std::to_string(max) + ", found \"" + text + "\"");
  return v;
}

io::Scenario load(const po::variables_map& vm) {
  if (vm.count("plugin")) load_plugins(vm["plugin"].as<std::vector<std::string>>());
  std::vector<std::string> overrides;
  if (vm.count("set")) overrides = vm["set"].as<std::vector<std::string>>();
  // Command-line options are overrides too, so the resolved scenario in the output shows them.
  if (vm.count("seed"))
    overrides.push_back("seed=" + std::to_string(parse_whole("seed", vm["seed"].as<std::string>(), static_cast<std::uint64_t>(INT64_MAX))));
  if (vm.count("replications"))
    overrides.push_back("replications=" +
                        std::to_string(parse_whole("replications", vm["replications"].as<std::string>(), UINT32_MAX)));
  if (vm.count("detail")) overrides.push_back("detail=\"" + vm["detail"].as<std::string>() + "\"");
  return io::load_scenario(vm["scenario"].as<std::string>(), overrides);
}

void check_output(const std::string& path, bool force) {
  std::error_code ec;
  if (path.empty() || path.back() == '/' || std::filesystem::is_directory(path, ec))
    throw po::error("the output must name a file, found \"" + path + "\"" + (path.empty() ? " (empty)" : ", a directory"));
  if (!force && std::filesystem::exists(path, ec))
    throw po::error(path + " already exists: add --force to overwrite it, or choose another output");
  // Found now, not after the simulation has run: a mistyped directory is a bad command line.
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
    throw po::error("the output's directory " + parent.string() + " does not exist (create it first, e.g. mkdir -p " +
                    parent.string() + ")");
}

void check_no_leftover(const std::string& out, bool can_resume) {
  std::error_code ec;
  if (std::filesystem::exists(out + ".partial", ec))
    throw po::error(out + ".partial holds the finished runs of an interrupted run: " +
                    (can_resume ? "add --resume to complete it, or --force to start again"
                                : "move it away to keep them, or add --force to start again (this command cannot resume)"));
  if (std::filesystem::exists(out + ".tmp", ec))
    throw po::error(out + ".tmp exists: a run writing " + out + " is under way, or was killed; " +
                    (can_resume ? "add --resume to salvage its finished runs, or --force to start again"
                                : "move it away to keep it, or add --force to start again"));
}

std::atomic<bool> g_interrupt{false};
volatile std::sig_atomic_t g_signal = 0;

namespace {
extern "C" void on_signal(int sig) {
  g_signal = sig;
  g_interrupt.store(true);
}
}  // namespace

void catch_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace crowdsim::app
