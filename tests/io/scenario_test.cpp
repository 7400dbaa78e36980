#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
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
  // A number beyond a double is one clear error (it was nlohmann's own exception, exit status 1).
  CHECK_THROWS_AS(io::apply_override(doc, "assignment.c=1e400"), sim::ConfigError);
  CHECK_THROWS_WITH(io::apply_override(doc, "assignment.c=1e400"),
                    "assignment.c: expected a finite number, found \"1e400\", too large for a double, in --set assignment.c=1e400");
  // A key named twice would silently keep the last: refused, with its path.
  CHECK_THROWS_WITH(io::apply_override(doc, R"(assignment={"policy": "epsilon_greedy", "epsilon": 0.1, "epsilon": 0.9})"),
                    Catch::StartsWith("assignment.epsilon: expected each key once in an object, found \"epsilon\" twice"));
}

TEST_CASE("io::scenario: a scenario file naming a key twice is refused, with the key's path", "[io]") {
  std::string path = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/crowdsim_dup_key.json";
  std::ofstream(path) << R"({"tasks": {"count": 10, "types": [{"name": "a"}, {"name": "b", "bounty": 1, "bounty": 2}]},
                              "workers": {"count": 3}})";
  CHECK_THROWS_WITH(io::read_json_file(path), Catch::StartsWith("tasks.types.1.bounty: expected each key once in an object, "
                                                                "found \"bounty\" twice") &&
                                                  Catch::Contains(path));
  std::ofstream(path) << R"({"a": [1, {"x": 1}, [2, 3], {"x": 2, "y": {"x": 3}}], "x": 4})";
  CHECK_NOTHROW(io::read_json_file(path));  // the same key in different objects is fine
  std::remove(path.c_str());
}

TEST_CASE("io::scenario: a minimum reputation above every worker's start is refused", "[io]") {
  // Everyone starts at the prior mean (0.5 by default) and only work moves it: the run would
  // close no task.
  json doc = small_scenario();
  doc["assignment"] = {{"policy", "reputation"}, {"min_reputation", 0.6}};
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."),
                    Catch::StartsWith("assignment.min_reputation: expected at most the reputation every worker starts "
                                      "with, the prior mean 0.5") && Catch::Contains("found 0.6"));
  doc["review"] = {{"model", "exact"}, {"prior", {{"alpha", 7}, {"beta", 3}}}};
  CHECK_NOTHROW(io::parse_scenario(doc, "."));  // a prior mean of 0.7 admits it
  doc["assignment"]["min_reputation"] = 0.5;
  doc.erase("review");
  CHECK_NOTHROW(io::parse_scenario(doc, "."));  // exactly the start is admitted
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
