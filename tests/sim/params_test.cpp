// Parameters declared once: the reader takes defaults and bounds from the declaration, the
// registry checks keys against it, and the schema is derived from it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <limits>

#include "sim/params.hpp"
#include "sim/registry.hpp"

using namespace crowdsim::sim;
using nlohmann::json;

namespace {

const ParamList kList = {
    number("rate", 0.5, Bounds::probability(), "a share"),
    optional_integer("limit", 1, 10, "at most this many; absent: no limit"),
    choice("mode", "fast", {"fast", "slow"}, "how"),
    duration("every", 60.0, Bounds::positive(), "how often"),
    required_number("bonus", Bounds::non_negative(), "on top", "currency"),
};

struct Thing {
  double rate, bonus, every;
  std::string mode;
  long limit;
};

}  // namespace

TEST_CASE("sim::Params: defaults come from the declaration, values are checked against it", "[sim][params]") {
  json doc = {{"bonus", 2}, {"every", "5min"}};
  Config c(doc, "thing");
  Params p(c, kList);
  CHECK(p.number("rate") == 0.5);
  CHECK(p.string("mode") == "fast");
  CHECK(p.duration("every") == 300.0);
  CHECK(p.number("bonus") == 2.0);
  CHECK_FALSE(p.has("limit"));
  CHECK_THROWS_AS(p.number("undeclared"), std::logic_error);
  CHECK_THROWS_AS(p.integer("rate"), std::logic_error);  // declared as a number

  json bad = {{"bonus", 1}, {"rate", 1.5}};
  Config b(bad, "thing");
  CHECK_THROWS_WITH(Params(b, kList), "thing.rate: expected a number in [0, 1], found 1.5");
  json missing = json::object();
  Config m(missing, "thing");
  CHECK_THROWS_WITH(Params(m, kList), Catch::StartsWith("thing.bonus: expected a number >= 0, found nothing"));
}

TEST_CASE("sim::Params: the schema of each type states the declaration", "[sim][params]") {
  json s = object_schema(kList);
  CHECK(s["properties"]["rate"] == json({{"type", "number"}, {"minimum", 0.0}, {"maximum", 1.0}, {"default", 0.5}, {"description", "a share"}}));
  CHECK(s["properties"]["limit"]["type"] == "integer");
  CHECK_FALSE(s["properties"]["limit"].contains("default"));
  CHECK(s["properties"]["mode"]["enum"] == json({"fast", "slow"}));
  CHECK(s["properties"]["every"]["anyOf"][0]["exclusiveMinimum"] == 0.0);
  CHECK(s["properties"]["every"]["anyOf"][1]["$ref"] == "#/$defs/duration_string");
  CHECK(s["properties"]["bonus"]["description"] == "on top [currency]");
  CHECK(s["required"] == json({"bonus"}));
  CHECK(s["additionalProperties"] == false);
}

TEST_CASE("sim::Params: distributions, inherited keys, optional choices and custom keys", "[sim][params]") {
  const ParamList list = {
      distribution("speed", Distribution(1.0), Bounds::positive(), "time multiplier"),
      distribution("noise", Distribution::exponential(2.0), Bounds::non_negative(), "noise"),
      optional_choice("online", {"mv", "weighted"}, "how"),
      custom("alerts", "an object", "which alerts"),
  };
  json doc = {{"speed", {{"dist", "uniform"}, {"min", 0.5}, {"max", 2}}}, {"alerts", {{"anything", 1}}}};
  Config c(doc, "workers");
  Params p(c, list);
  CHECK(p.distribution("speed").describe() == Distribution::uniform(0.5, 2).describe());
  CHECK_FALSE(p.has("noise"));
  CHECK_FALSE(p.has("online"));
  CHECK(p.has("alerts"));
  CHECK_NOTHROW(c.finish());  // the custom key is known, though its section reads it itself
  CHECK(list[1].default_text() == "exponential, mean 2");
  CHECK(list[0].expected() == "a distribution > 0");
  CHECK(list[2].default_text() == "(none)");
  CHECK(list[3].expected() == "an object");

  json bad = {{"speed", {{"dist", "normal"}, {"mean", 1}, {"sd", 1}}}};
  Config b(bad, "workers");
  CHECK_THROWS_WITH(Params(b, list), Catch::StartsWith("workers.speed: expected a distribution of values > 0, found normal"));
  json zero = {{"speed", 0}};
  Config z(zero, "workers");
  CHECK_THROWS_WITH(Params(z, list), Catch::StartsWith("workers.speed: expected a distribution of values > 0"));

  // Inherited: no default of its own; absent, the caller keeps the enclosing section's value.
  ParamList group = inherited(list, "workers");
  CHECK(group[0].default_text() == "as in workers");
  json s = schema_of(group[0]);
  CHECK_FALSE(s.contains("default"));
  CHECK(s["anyOf"][1]["$ref"] == "#/$defs/distribution_object");
  CHECK_THAT(s["description"].get<std::string>(), Catch::Contains("(absent: as in workers)"));
  CHECK(schema_of(list[1])["default"] == json({{"dist", "exponential"}, {"mean", 2.0}}));
  CHECK_THROWS_AS(schema_of(list[3]), std::logic_error);  // a custom key's schema is written by hand
  // The largest integer means no upper limit: left out of the schema and of the tables.
  Param cap = optional_integer("cap", 1, std::numeric_limits<std::int64_t>::max(), "a cap");
  CHECK(cap.expected() == "an integer >= 1");
  CHECK_FALSE(schema_of(cap).contains("maximum"));
  json big = {{"cap", 5000000000LL}};
  Config g(big, "x");
  ParamList caps{cap};
  CHECK(Params(g, caps).integer("cap") == 5000000000LL);
}

TEST_CASE("sim::Registry: entries are built from their parameters, unknown keys name the valid ones", "[sim][params]") {
  Registry<Thing> r("thing", "kind", "things for a test", "", nullptr);
  r.add({"full", "every parameter", kList, [](const Params& p) {
           return std::make_unique<Thing>(Thing{p.number("rate"), p.number("bonus"), p.duration("every"),
                                                p.string("mode"), p.has("limit") ? static_cast<long>(p.integer("limit")) : -1});
         }});
  r.add("bare", "no parameters", [] { return std::make_unique<Thing>(); });
  CHECK(r.names() == std::vector<std::string>{"bare", "full"});
  CHECK(find_registry("thing") == &r);

  auto t = r.create(json{{"kind", "full"}, {"bonus", 1}, {"limit", 3}}, "x");
  CHECK(t->rate == 0.5);
  CHECK(t->limit == 3);
  CHECK_THROWS_WITH(r.create(json{{"kind", "ful"}}, "x"), "x.kind: expected one of bare, full, found \"ful\" (did you mean \"full\"?)");
  // A key of another entry: the error lists this entry's keys and says who takes it.
  CHECK_THROWS_WITH(r.create(json{{"kind", "bare"}, {"rate", 0.1}}, "x"),
                    "x.rate: expected one of the keys of thing \"bare\": kind, found an unknown key \"rate\" (a key of full)");
  CHECK_THROWS_WITH(r.create(json{{"kind", "full"}, {"bonus", 1}, {"rat", 0.1}}, "x"),
                    Catch::Contains("found an unknown key \"rat\" (did you mean \"rate\"?)"));
  json schema = r.schema();
  CHECK(schema["oneOf"].size() == 2);
  CHECK(schema["oneOf"][1]["properties"]["kind"]["const"] == "full");
  CHECK(schema["oneOf"][1]["required"] == json({"kind", "bonus"}));
}
