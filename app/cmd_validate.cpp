// crowdsim validate: check a scenario without running it.

#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace crowdsim::app {

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

}  // namespace crowdsim::app
