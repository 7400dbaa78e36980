// The documents derived from the code's declarations are committed, and must not drift from it:
// scenarios/schema.json (crowdsim schema) and docs/parameters.md (crowdsim list --params --markdown).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
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
  CHECK(props["tasks"]["properties"]["bounty"]["default"] == 1.0);
  CHECK(props["workers"]["properties"]["reservation_wage"]["default"] == 1.38);
  CHECK(props["work"]["properties"]["time_noise"]["default"]["dist"] == "exponential");
  CHECK(props["optimize"]["properties"]["rounds"]["default"] == 3);
  CHECK(props["optimize"]["required"] == nlohmann::ordered_json({"params", "objective"}));
  CHECK(schema["required"] == nlohmann::ordered_json({"tasks", "workers"}));
  // A task type's fields inherit the tasks' values: bounds, but no default of their own.
  const auto& type = props["tasks"]["properties"]["types"]["items"];
  CHECK(type["properties"]["bounty"]["minimum"] == 0.0);
  CHECK_FALSE(type["properties"]["bounty"].contains("default"));
  CHECK(type["required"] == nlohmann::ordered_json({"name"}));
  CHECK(type["properties"]["decompose"]["required"] == nlohmann::ordered_json({"into", "count"}));
  // A group's likewise the workers'.
  const auto& group = props["workers"]["properties"]["groups"]["items"];
  CHECK(group["properties"]["share"]["exclusiveMinimum"] == 0.0);
  CHECK(group["properties"]["behavior"]["$ref"] == "#/$defs/behavior");
  CHECK(group["properties"]["speed"]["anyOf"][0]["exclusiveMinimum"] == 0.0);
  CHECK_FALSE(group["properties"]["speed"].contains("default"));
  CHECK(group["required"] == nlohmann::ordered_json({"name", "share"}));
  // Every section's object in the schema holds exactly its declared keys.
  const std::map<std::string, std::string> where = {
      {"", ""},
      {"tasks", "/properties/tasks"},
      {"tasks.types", "/properties/tasks/properties/types/items"},
      {"tasks.deadline", "/$defs/deadline/anyOf/2"},
      {"tasks.types.decompose", "/properties/tasks/properties/types/items/properties/decompose"},
      {"workers", "/properties/workers"},
      {"workers.arrival", "/properties/workers/properties/arrival"},
      {"workers.groups", "/properties/workers/properties/groups/items"},
      {"work", "/properties/work"},
      {"review.prior", "/properties/review/oneOf/0/properties/prior"},
      {"monitor", "/properties/monitor"},
      {"monitor.alerts", "/properties/monitor/properties/alerts"},
      {"aggregation", "/properties/aggregation"},
      {"sweep", "/properties/sweep"},
      {"sweep.random", "/properties/sweep/properties/random"},
      {"sweep.random.params.*", "/properties/sweep/properties/random/properties/params/additionalProperties"},
      {"optimize", "/properties/optimize"},
      {"optimize.params.*", "/properties/optimize/properties/params/additionalProperties"},
      {"optimize.objective", "/properties/optimize/properties/objective"},
      {"optimize.constraints", "/properties/optimize/properties/constraints/items"}};
  std::size_t sections = 0;
  for (const crowdsim::sim::Section* s : crowdsim::io::scenario_sections()) {
    ++sections;
    CAPTURE(s->path);
    REQUIRE(where.count(s->path) == 1);
    const auto& object = schema[nlohmann::ordered_json::json_pointer(where.at(s->path))];
    CHECK(object.at("additionalProperties") == false);
    std::vector<std::string> declared, found;
    for (const crowdsim::sim::Param& p : s->params) {
      CHECK_FALSE(p.help.empty());
      declared.push_back(p.name);
    }
    for (const auto& [key, value] : object.at("properties").items()) found.push_back(key);
    CHECK(found == declared);
  }
  CHECK(sections == where.size());
}
