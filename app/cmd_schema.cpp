// crowdsim schema: the scenario format as a JSON Schema.

#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "io/schema.hpp"

namespace crowdsim::app {

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

}  // namespace crowdsim::app
