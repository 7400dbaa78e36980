#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/distribution.hpp"
#include "sim/distribution_params.hpp"

using namespace crowdsim::sim;
using nlohmann::json;

namespace {

Distribution parse(const json& value, const std::string& base_dir = ".") {
  json doc = {{"d", value}};
  Config c(doc, "x");
  return read_distribution(c, "d", base_dir);
}

std::string error_of(const json& value, const std::string& base_dir = ".") {
  try {
    parse(value, base_dir);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("sim::Distribution: sample mean and variance match the analytic values", "[sim]") {
  auto spec = GENERATE(as<json>{},
                       json{{"dist", "uniform"}, {"min", -2}, {"max", 5}},
                       json{{"dist", "exponential"}, {"mean", 3}},
                       json{{"dist", "exponential"}, {"rate", 0.25}},
                       json{{"dist", "normal"}, {"mean", 10}, {"sd", 2}},
                       json{{"dist", "lognormal"}, {"mean", 1}, {"sd", 0.6}},
                       json{{"dist", "lognormal"}, {"mu", 0.5}, {"sigma", 0.4}},
                       json{{"dist", "lognormal"}, {"median", 9}, {"sigma", 0.3}},
                       json{{"dist", "gamma"}, {"shape", 0.7}, {"scale", 2}},
                       json{{"dist", "gamma"}, {"mean", 1}, {"sd", 0.25}},
                       json{{"dist", "weibull"}, {"shape", 1.5}, {"scale", 3}},
                       json{{"dist", "beta"}, {"alpha", 7}, {"beta", 3}},
                       json{{"dist", "empirical"}, {"values", {1, 2, 2, 3, 10}}});
  Distribution d = parse(spec);
  Stream s(StreamKey{4, 0, purpose_id("test"), 0});
  const int n = 1000000;
  std::vector<double> x(n);
  double mean = 0;
  for (auto& v : x) {
    v = d.sample(s);
    REQUIRE(v >= d.lower());
    REQUIRE(v <= d.upper());
    mean += v / n;
  }
  double m2 = 0, m4 = 0;
  for (double v : x) {
    double c = (v - mean) * (v - mean);
    m2 += c / (n - 1);
    m4 += c * c / n;
  }
  // Four standard errors: SE(mean) = sqrt(var/n); SE(variance) = sqrt((m4 - var^2)/n), with the
  // sample fourth central moment m4. A wrong parameterisation is off by many SEs at n = 10^6.
  INFO(d.describe() << ": mean " << mean << " vs " << d.mean() << ", variance " << m2 << " vs " << d.variance());
  CHECK(std::abs(mean - d.mean()) < 4 * std::sqrt(d.variance() / n));
  CHECK(std::abs(m2 - d.variance()) < 4 * std::sqrt((m4 - m2 * m2) / n));
}

TEST_CASE("sim::Distribution: constants, bare numbers, and the parameterisations agree", "[sim]") {
  Stream s;
  CHECK(parse(2.5).sample(s) == 2.5);
  CHECK(parse({{"dist", "constant"}, {"value", -1}}).sample(s) == -1.0);
  CHECK(parse({{"dist", "lognormal"}, {"mean", 2}, {"sd", 1}}).mean() == Approx(2.0));
  CHECK(parse({{"dist", "lognormal"}, {"mean", 2}, {"sd", 1}}).variance() == Approx(1.0));
  CHECK(parse({{"dist", "gamma"}, {"mean", 2}, {"sd", 1}}).variance() == Approx(1.0));
  CHECK(parse({{"dist", "exponential"}, {"rate", 4}}).mean() == Approx(0.25));
  CHECK(parse({{"dist", "lognormal"}, {"median", 3}, {"sigma", 1}}).describe() == "lognormal(mu=1.09861, sigma=1)");
}

TEST_CASE("sim::Distribution: bad parameters name their path", "[sim]") {
  CHECK_THAT(error_of({{"dist", "lognorml"}, {"mean", 1}}), Catch::Contains("x.d.dist") && Catch::Contains("did you mean \"lognormal\"") &&
                                                               Catch::Contains("weibull"));
  CHECK_THAT(error_of({{"dist", "normal"}, {"mean", 1}}), Catch::Contains("x.d.sd: expected a number > 0, found nothing"));
  CHECK_THAT(error_of({{"dist", "normal"}, {"mean", 1}, {"sd", -1}}), Catch::Contains("x.d.sd: expected a number > 0, found -1"));
  CHECK_THAT(error_of({{"dist", "uniform"}, {"min", 3}, {"max", 3}}), Catch::Contains("x.d.max: expected a number > min"));
  CHECK_THAT(error_of({{"dist", "beta"}, {"alpha", 1}, {"betta", 2}}),
             Catch::Contains("x.d.betta: expected one of the keys of distribution \"beta\"") && Catch::Contains("did you mean \"beta\""));
  CHECK_THAT(error_of({{"dist", "lognormal"}, {"mean", 1}, {"sd", 1}, {"mu", 0}}), Catch::Contains("x.d.mu: expected one parameterisation"));
  CHECK_THAT(error_of({{"dist", "empirical"}, {"values", json::array()}}), Catch::Contains("x.d.values: expected a non-empty array"));
  CHECK_THAT(error_of({{"dist", "empirical"}, {"values", {1, "a"}}}), Catch::Contains("x.d.values.1: expected a number, found \"a\""));
  CHECK_THAT(error_of("fast"), Catch::Contains("x.d: expected a number or a distribution object"));
  // Each parameter in range, their arithmetic not: gamma's shape (mean / sd)^2 overflows, a
  // variance overflows. These passed validation and stopped a run at an event at NaN seconds.
  CHECK_THAT(error_of({{"dist", "gamma"}, {"mean", 1}, {"sd", 1e-200}}),
             Catch::Contains("x.d: expected parameters whose law has a finite mean and variance, found mean NaN"));
  CHECK_THAT(error_of({{"dist", "gamma"}, {"mean", 1e200}, {"sd", 1e200}}), Catch::Contains("finite mean and variance"));
  CHECK_THAT(error_of({{"dist", "normal"}, {"mean", 1}, {"sd", 1e308}}), Catch::Contains("x.d: expected parameters whose law"));
  CHECK(error_of({{"dist", "gamma"}, {"mean", 1}, {"sd", 0.3}}) == "no error");
}

TEST_CASE("sim::Distribution: each kind's forms are declared once, and the reader and the schema follow them", "[sim][params]") {
  // Every kind is an entry of the distribution registry, listed with the other registries; its
  // forms are told apart by the keys no other form has.
  CHECK(distributions().names() ==
        std::vector<std::string>{"beta", "constant", "empirical", "exponential", "gamma", "lognormal", "normal", "uniform", "weibull"});
  CHECK(find_registry("distribution") == &distributions());
  CHECK(RegistryBase::distinguishing_keys(distributions().info("lognormal")) ==
        std::vector<std::vector<std::string>>{{"mean", "sd"}, {"mu"}, {"median"}});
  CHECK(RegistryBase::distinguishing_keys(distributions().info("empirical")) ==
        std::vector<std::vector<std::string>>{{"values"}, {"file", "column"}});
  // Every family the sampler knows is reachable by its own name.
  for (const std::string& name : distributions().names()) CHECK(distributions().has(name));
  // The declared bounds are the reader's: gamma's shape must be > 0.
  CHECK_THAT(error_of({{"dist", "gamma"}, {"shape", 0}, {"scale", 1}}), Catch::Contains("x.d.shape: expected a number > 0, found 0"));
  CHECK_THAT(error_of({{"dist", "lognormal"}, {"mu", -1}, {"sigma", 1}, {"sd", 1}}), Catch::Contains("one parameterisation"));
  json schema = distribution_object_schema();
  CHECK(schema["properties"]["dist"]["enum"].size() == distributions().names().size());
  const json& gamma = schema["allOf"][4];
  CHECK(gamma["if"]["properties"]["dist"]["const"] == "gamma");
  CHECK(gamma["then"]["oneOf"][1]["required"] == json({"dist", "mean", "sd"}));
  CHECK(gamma["then"]["oneOf"][0]["properties"]["shape"]["exclusiveMinimum"] == 0.0);
  CHECK(gamma["then"]["oneOf"][0]["additionalProperties"] == false);
}

TEST_CASE("sim::Distribution: empirical from a CSV column", "[sim]") {
  namespace fs = std::filesystem;
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_dist_test";
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "times.csv");
    f << "item,worker,seconds\na,w1,4\nb,w2,6\nc,w3,\nd,w4,11\n";
    std::ofstream g(dir / "bad.csv");
    g << "seconds\n1\n2\nabc\n";
  }
  Distribution d = parse({{"dist", "empirical"}, {"file", "times.csv"}, {"column", "seconds"}}, dir.string());
  CHECK(d.mean() == Approx(7.0));  // the empty cell is skipped
  CHECK(d.variance() == Approx((9.0 + 1.0 + 16.0) / 3));
  CHECK(d.lower() == 4.0);
  CHECK(d.upper() == 11.0);
  CHECK_THAT(error_of({{"dist", "empirical"}, {"file", "none.csv"}, {"column", "seconds"}}, dir.string()),
             Catch::Contains("x.d.file: expected a readable CSV file"));
  CHECK_THAT(error_of({{"dist", "empirical"}, {"file", "times.csv"}, {"column", "second"}}, dir.string()),
             Catch::Contains("x.d.column") && Catch::Contains("did you mean \"seconds\""));
  CHECK_THAT(error_of({{"dist", "empirical"}, {"file", "bad.csv"}, {"column", "seconds"}}, dir.string()),
             Catch::Contains("\"abc\" at line 4"));
}

TEST_CASE("sim::Distribution: within() checks the support against bounds", "[sim]") {
  CHECK(Distribution::gamma(2, 1).within(Bounds::positive()));  // 0 is never drawn
  CHECK(Distribution::beta(2, 2).within(Bounds::probability()));
  CHECK_FALSE(Distribution::normal(0.7, 0.1).within(Bounds::probability()));
  CHECK_FALSE(Distribution::constant(0).within(Bounds::positive()));
  CHECK(Distribution::constant(0).within(Bounds::non_negative()));
  CHECK_FALSE(Distribution::uniform(-1, 1).within(Bounds::non_negative()));
}

TEST_CASE("sim::Distribution: a new kind is one registry entry, read, listed and in the schema", "[sim][params]") {
  // A parameterisation of an existing family, as a plug-in would add it: gamma by mean and cv.
  distributions().add({"gamma_cv", "gamma by `mean` and coefficient of variation `cv`",
                       {required_number("mean", Bounds::positive(), "the mean"), required_number("cv", Bounds::positive(), "sd / mean")},
                       [](const Params& p) {
                         double k = 1.0 / (p.number("cv") * p.number("cv"));
                         return std::make_unique<Distribution>(Distribution::gamma(k, p.number("mean") / k));
                       }});
  Distribution d = parse({{"dist", "gamma_cv"}, {"mean", 4}, {"cv", 0.5}});
  CHECK(d.name() == "gamma");
  CHECK(d.mean() == Approx(4.0));
  CHECK(d.variance() == Approx(4.0));  // (cv mean)^2
  CHECK_THAT(error_of({{"dist", "gamma_cv"}, {"mean", 4}}), Catch::Contains("x.d.cv: expected a number > 0, found nothing"));
  CHECK_THAT(error_of({{"dist", "gamma_cv"}, {"mean", 4}, {"cv", 1}, {"sd", 1}}),
             Catch::Contains("x.d.sd") && Catch::Contains("one of the keys of distribution \"gamma_cv\""));
  json schema = distribution_object_schema();
  CHECK(std::find(schema["properties"]["dist"]["enum"].begin(), schema["properties"]["dist"]["enum"].end(), "gamma_cv") !=
        schema["properties"]["dist"]["enum"].end());
}
