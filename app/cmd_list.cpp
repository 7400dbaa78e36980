// crowdsim list: every registered kind of model, its entries and their parameters, the platform's
// own sections of the scenario with theirs, and the KPIs.

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "experiment/kpi_meta.hpp"
#include "io/schema.hpp"
#include "models/behavior/strategic.hpp"
#include "models/registry.hpp"
#include "plugins.hpp"
#include "sim/config.hpp"
#include "sim/registry.hpp"

namespace crowdsim::app {

namespace {

// --update FILE: the file with its generated regions rewritten (io::fill_generated_regions),
// written back only when they changed.
int update_regions(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw sim::ConfigError("--update", "a readable Markdown file", "no file at \"" + path + "\"");
  std::stringstream text;
  text << in.rdbuf();
  std::string updated;
  try {
    updated = io::fill_generated_regions(text.str());
  } catch (const sim::ConfigError& e) {
    throw sim::ConfigError(path + ", " + e.path(), e.expected(), e.found());
  }
  if (updated == text.str()) return 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << updated;
  if (!out.flush()) throw sim::ConfigError("--update", "a writable file", "\"" + path + "\"");
  std::cout << "rewrote the generated regions of " << path << "\n";
  return 0;
}

}  // namespace

int cmd_list(const std::vector<std::string>& args) {
  po::options_description opts("list options");
  opts.add_options()
      ("kind", po::value<std::string>(), "only this kind (assignment, incentive, aggregation, ...)")
      ("name", po::value<std::string>(), "only this entry of the kind")
      ("params", "with each entry's parameters: accepted values, default, unit and meaning")
      ("markdown", "the parameter tables as Markdown (docs/parameters.md; with KIND, only its table or tables)")
      ("update", po::value<std::string>(), "rewrite the generated regions of this Markdown file in place (docs/scenarios.md)")
      ("plugin", po::value<std::vector<std::string>>()->composing(), "load a shared library of your own models first (repeatable)");
  po::positional_options_description pos;
  pos.add("kind", 1).add("name", 1);
  po::variables_map vm;
  if (!parse("list", args, opts, pos, vm,
             {"[--params] [KIND [NAME]]",
              "Lists every registered kind of model (assignment and incentive policies, aggregation methods,\n"
              "distributions, behaviour, review, arrival and confusion models), the platform's own sections of\n"
              "the scenario (kind \"scenario\": tasks, workers, monitor, ...) and the KPIs with their units;\n"
              "--params adds each entry's parameters: accepted values, default, unit and meaning; --markdown\n"
              "prints them as the tables of docs/parameters.md, and --update FILE rewrites the regions of FILE\n"
              "generated from them (docs/scenarios.md: each region's marker names the KIND [NAME] it shows).\n"
              "\nexamples:\n"
              "  crowdsim list | less\n"
              "  crowdsim list --params assignment ucb\n"
              "  crowdsim list --params scenario monitor.alerts\n"
              "  crowdsim list --params --markdown scenario tasks\n"
              "  crowdsim list --update docs/scenarios.md\n"
              "  crowdsim list --params --plugin ./libmine.so"})) return 0;
  if (vm.count("plugin")) app::load_plugins(vm["plugin"].as<std::vector<std::string>>());
  std::string kind = vm.count("kind") ? vm["kind"].as<std::string>() : "";
  std::string name = vm.count("name") ? vm["name"].as<std::string>() : "";
  if (vm.count("update")) return update_regions(vm["update"].as<std::string>());
  if (vm.count("markdown")) {
    std::cout << (kind.empty() ? io::parameters_markdown() : io::parameters_markdown(kind, name));
    return 0;
  }
  std::vector<std::string> kinds;
  for (const sim::RegistryBase* r : models::all_registries()) kinds.push_back(r->kind());
  kinds.push_back("scenario");
  const std::vector<std::string> hand = {"kpi"};
  kinds.insert(kinds.end(), hand.begin(), hand.end());
  if (!kind.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
    throw sim::ConfigError("list KIND", "one of " + sim::join(kinds), sim::quoted_with_hint(kind, kinds));
  std::string text = io::parameters_text(kind, name, vm.count("params") > 0);
  if (!name.empty() && text.empty() && std::find(hand.begin(), hand.end(), kind) == hand.end()) {
    std::vector<std::string> names;
    if (kind == "scenario")
      for (const sim::Section* s : io::scenario_sections()) names.push_back(s->path.empty() ? "(top level)" : s->path);
    else
      names = sim::find_registry(kind)->names();
    throw sim::ConfigError("list " + kind + " NAME", "one of " + sim::join(names), sim::quoted_with_hint(name, names));
  }
  std::cout << text;
  if (!name.empty() && !text.empty()) return 0;
  if (kind.empty() || kind == "kpi") {
    std::cout << "kpi: what summarize reports (kind: the range its intervals respect, docs/statistics.md)\n";
    for (const experiment::KpiMeta& k : experiment::kpi_table())
      std::printf("  %-26s %-11s %-10s %s\n", k.name.c_str(), k.unit.empty() ? "-" : k.unit.c_str(),
                  experiment::kind_name(k.kind), k.higher_is_better > 0 ? "higher is better" : k.higher_is_better < 0 ? "lower is better" : "");
    std::cout << "\n";
  }
  if (kind.empty()) std::cout << "The scenario format: docs/scenarios.md; every parameter: crowdsim list --params.\n";
  return 0;
}

}  // namespace crowdsim::app
