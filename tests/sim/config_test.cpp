#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "sim/config.hpp"

using namespace crowdsim::sim;
using nlohmann::json;

TEST_CASE("sim::Config: errors read path: expected X, found Y", "[sim]") {
  json doc = json::parse(R"({"workers": {"skill": {"alpha": "abc", "k": 3.5, "mode": "fsat"}}})");
  Config root(doc, "");
  Config skill = root.object("workers").object("skill");
  CHECK_THROWS_WITH(skill.number("alpha", Bounds::positive()),
                    "workers.skill.alpha: expected a number > 0, found \"abc\"");
  CHECK_THROWS_WITH(skill.integer("k", 1, 10), "workers.skill.k: expected an integer in [1, 10], found 3.5");
  CHECK_THROWS_WITH(skill.string("mode", {"fast", "slow"}),
                    "workers.skill.mode: expected one of fast, slow, found \"fsat\" (did you mean \"fast\"?)");
  CHECK_THROWS_WITH(skill.number("beta"), "workers.skill.beta: expected a number, found nothing (the key is missing)");
  CHECK_THROWS_WITH(Config(json(3), "tasks"), "tasks: expected an object, found 3");
}

TEST_CASE("sim::Config: durations in seconds or with units", "[sim]") {
  CHECK(parse_duration("90s") == 90.0);
  CHECK(parse_duration("5min") == 300.0);
  CHECK(parse_duration("2h") == 7200.0);
  CHECK(parse_duration("1d") == 86400.0);
  CHECK(parse_duration("1.5h") == 5400.0);
  CHECK(parse_duration("120") == 120.0);
  CHECK_FALSE(parse_duration("3 parsecs"));
  CHECK_FALSE(parse_duration("h"));
  // The grammar the schema states and no wider: no leading blank, hex float, inf or nan.
  CHECK_FALSE(parse_duration(" 90s"));
  CHECK_FALSE(parse_duration("0x1p4min"));
  CHECK_FALSE(parse_duration("inf"));
  CHECK_FALSE(parse_duration("nan s"));
  CHECK_FALSE(parse_duration("1e"));
  CHECK(parse_duration(".5min") == 30.0);
  CHECK(parse_duration("1e2 s") == 100.0);
  json doc = json::parse(R"({"a": "5min", "b": 12, "c": "soon", "d": -1})");
  Config c(doc, "t");
  CHECK(c.duration("a") == 300.0);
  CHECK(c.duration("b") == 12.0);
  CHECK_THROWS_WITH(c.duration("c"), Catch::StartsWith("t.c: expected a duration >= 0") && Catch::EndsWith("found \"soon\""));
  CHECK_THROWS_WITH(c.duration("d"), Catch::Contains("found -1"));
  CHECK(c.duration("missing", 7.0, Bounds::positive()) == 7.0);
}

TEST_CASE("sim::Config: integers, booleans and unknown keys", "[sim]") {
  json doc = json::parse(R"({"n": 3.0, "flag": true, "redundancy": 2, "redundancyy": 3})");
  Config c(doc, "tasks");
  CHECK(c.integer("n", 0, 10) == 3);
  CHECK(c.boolean("flag", false));
  CHECK(c.integer("redundancy", 1, 1, 9) == 2);
  CHECK_THROWS_WITH(c.finish(), "tasks.redundancyy: expected one of the known keys (flag, n, redundancy), found an unknown key \"redundancyy\" (did you mean \"redundancy\"?)");
  json ok = json::parse(R"({"x": 1})");
  Config d(ok, "");
  d.number("x");
  CHECK_NOTHROW(d.finish());
  CHECK(closest("poison", {"batch", "poisson"}) == "poisson");
  CHECK(closest("zzzzzz", {"batch", "poisson"}).empty());
  // A word that begins exactly one option is suggested, however far the edit distance.
  CHECK(closest("exponential", {"fixed", "exponential_progress", "tournament"}) == "exponential_progress");
  CHECK(closest("qual", {"quality_threshold", "quality_linear"}).empty());
}
