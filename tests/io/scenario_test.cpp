#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "io/scenario.hpp"
#include "sim/config.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::sim::ConfigError;
using crowdsim::testing::small_scenario;
using nlohmann::json;

namespace {
// The error `doc` with `override` applied raises: its path, and its message.
std::pair<std::string, std::string> error_of(const std::string& override) {
  json doc = small_scenario();
  try {
    io::apply_override(doc, override);
    io::parse_scenario(doc, ".");
  } catch (const ConfigError& e) {
    return {e.path(), e.what()};
  }
  return {"", "no error"};
}
}  // namespace

TEST_CASE("io::scenario: overrides set nested fields, make objects, parse JSON values", "[io]") {
  json doc = small_scenario();
  io::apply_override(doc, "tasks.count=17");
  io::apply_override(doc, "incentive.policy=exponential_progress");
  io::apply_override(doc, "incentive.beta=-0.5");
  io::apply_override(doc, "name=hello world");
  io::apply_override(doc, "monitor.snapshot_interval=\"5min\"");
  CHECK(doc["tasks"]["count"] == 17);
  CHECK(doc["incentive"]["beta"] == -0.5);
  CHECK(doc["name"] == "hello world");
  io::Scenario s = io::parse_scenario(doc, ".");
  CHECK(s.model.tasks.count == 17);
  CHECK(s.model.monitor.snapshot_interval == 300.0);
  CHECK(s.resolved["tasks"]["count"] == 17);
  CHECK_THROWS_WITH(io::apply_override(doc, "tasks.count.x=1"), Catch::Contains("tasks.count: expected an object"));
  CHECK_THROWS_WITH(io::apply_override(doc, "novalue"), Catch::Contains("path=value"));
  // An index into an array that is not there is refused, naming the --set it came from.
  CHECK_THROWS_WITH(io::apply_override(doc, "tasks.types.5.bounty=1"),
                    "tasks.types: expected an array to take element 5 of, found nothing (no such key), in --set tasks.types.5.bounty=1");
}

TEST_CASE("io::scenario: errors name the JSON path, the expectation and what was found", "[io]") {
  struct Case {
    const char* override;
    const char* path;
    const char* message;
  };
  auto c = GENERATE(
      Case{"workers.accuracy={\"dist\":\"beta\",\"alpha\":\"abc\",\"beta\":2}", "workers.accuracy.alpha",
           "expected a number > 0, found \"abc\""},
      Case{"tasks.count=-3", "tasks.count", "expected an integer in [1, 1000000000], found -3"},
      Case{"tasks.count=2.5", "tasks.count", "found 2.5"},
      Case{"tasks.redundancy=11", "tasks.redundancy", "at most workers.count (10)"},
      Case{"tasks.expected_duration=\"5 parsecs\"", "tasks.expected_duration", "found \"5 parsecs\""},
      Case{"tasks.arrival.process=poison", "tasks.arrival.process", "did you mean \"poisson\""},
      Case{"tasks.redundancy_=3", "tasks.redundancy_", "did you mean \"redundancy\""},
      Case{"workers.accuracy=1.5", "workers.accuracy", "in [0, 1]"},
      Case{"workers.accuracy={\"dist\":\"normal\",\"mean\":0.7,\"sd\":0.1}", "workers.accuracy", "in [0, 1]"},
      Case{"assignment.policy=fif0", "assignment.policy", "did you mean \"fifo\""},
      Case{"incentive.policy=bonus", "incentive.policy", "one of deadline_bonus, exponential_progress, fixed"},
      Case{"detail=everything", "detail", "one of full, assignments, summary"},
      Case{"tasks=3", "tasks", "expected an object, found 3"},
      Case{"seed=-1", "seed", "found -1"},
      Case{"wokers={}", "wokers", "did you mean \"workers\""});
  auto [path, message] = error_of(c.override);
  INFO(c.override << " -> " << message);
  CHECK(path == c.path);
  CHECK_THAT(message, Catch::StartsWith(std::string(c.path) + ": expected "));
  CHECK_THAT(message, Catch::Contains(c.message));
}

TEST_CASE("io::scenario: a missing file and bad JSON are clear errors", "[io]") {
  CHECK_THROWS_WITH(io::load_scenario("/nonexistent/x.json"), Catch::Contains("no file at \"/nonexistent/x.json\""));
  std::string path = std::string(CROWDSIM_BINARY) + ".bad.json";
  {
    std::ofstream f(path);
    f << "{\n  \"tasks\": {\n    \"count\": 3,,\n  }\n}\n";
  }
  // Where, what the parser expected, and the text just before the error.
  CHECK_THROWS_WITH(io::load_scenario(path), Catch::Contains("valid JSON") && Catch::Contains("line 3") &&
                                                 Catch::Contains("unexpected ','") && Catch::Contains("after \"    \"count\": 3,"));
  std::remove(path.c_str());
}
