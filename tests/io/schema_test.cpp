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

TEST_CASE("io::schema: the platform's sections come from their declarations", "[io][schema]") {
  auto schema = crowdsim::io::scenario_schema();
  const auto& props = schema["properties"];
  // Declared beside their readers, with defaults and bounds.
  CHECK(props["monitor"]["properties"]["snapshot_interval"]["default"] == 3600.0);
  CHECK(props["monitor"]["properties"]["alerts"]["properties"]["abandonment_min_ended"]["default"] == 10);
  CHECK(props["monitor"]["properties"]["alerts"]["additionalProperties"] == false);
  CHECK(props["aggregation"]["properties"]["min_answers"]["minimum"] == 1.0);
  CHECK(props["budget"]["minimum"] == 0.0);
  CHECK(props["workers"]["properties"]["reservation_wage"]["default"] == 1.38);
  CHECK(props["work"]["properties"]["time_noise"]["default"]["dist"] == "exponential");
  CHECK(schema["required"] == nlohmann::ordered_json({"tasks", "workers"}));
  // A group's fields inherit the workers' values: bounds, but no default of their own.
  const auto& group = props["workers"]["properties"]["groups"]["items"];
  CHECK(group["properties"]["share"]["exclusiveMinimum"] == 0.0);
  CHECK(group["properties"]["behavior"]["$ref"] == "#/$defs/behavior");
  CHECK(group["properties"]["speed"]["anyOf"][0]["exclusiveMinimum"] == 0.0);
  CHECK_FALSE(group["properties"]["speed"].contains("default"));
  CHECK(group["required"] == nlohmann::ordered_json({"name", "share"}));
  // Every declared key of every section is in the schema, and the schema holds no other.
  std::size_t sections = 0;
  for (const crowdsim::sim::Section* s : crowdsim::io::scenario_sections()) {
    ++sections;
    CHECK_FALSE(s->help.empty());
    for (const crowdsim::sim::Param& p : s->params) CHECK_FALSE(p.help.empty());
  }
  CHECK(sections == 9);
  for (const auto& [key, value] : props.items()) {
    bool declared = false;
    for (const crowdsim::sim::Param& p : crowdsim::io::scenario_sections().front()->params) declared |= p.name == key;
    CHECK(declared);
  }
}
