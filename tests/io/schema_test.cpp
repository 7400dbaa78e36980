// The documents derived from the code's declarations are committed, and must not drift from it:
// scenarios/schema.json (crowdsim schema) and docs/parameters.md (crowdsim list --params --markdown).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "io/schema.hpp"

namespace {

std::string read(const std::string& relative) {
  std::ifstream in(std::string(CROWDSIM_SOURCE_DIR) + "/" + relative);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("io::schema: scenarios/schema.json is what the code declares (make schema rewrites it)", "[io][schema]") {
  CHECK(read("scenarios/schema.json") == crowdsim::io::scenario_schema().dump(2) + "\n");
}

TEST_CASE("io::schema: docs/parameters.md is what the code declares (make schema rewrites it)", "[io][schema]") {
  CHECK(read("docs/parameters.md") == crowdsim::io::parameters_markdown());
}

TEST_CASE("io::schema: every registered entry and parameter appears in the schema", "[io][schema]") {
  auto schema = crowdsim::io::scenario_schema();
  const auto& alternatives = schema["properties"]["assignment"]["oneOf"];
  bool found = false;
  for (const auto& a : alternatives)
    if (a["properties"]["policy"]["const"] == "epsilon_greedy") {
      found = true;
      CHECK(a["properties"]["epsilon"]["default"] == 0.1);
      CHECK(a["properties"]["epsilon"]["maximum"] == 1.0);
      CHECK(a["additionalProperties"] == false);
    }
  CHECK(found);
  CHECK(schema["properties"]["aggregation"]["properties"]["batch"]["items"]["enum"].size() == 6);
  CHECK(schema["$defs"]["duration_string"]["type"] == "string");
}
