#include <catch2/catch.hpp>

#include "experiment/memory.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;

TEST_CASE("experiment::memory: sizes parse with units, and projections grow with what is held", "[experiment]") {
  CHECK(experiment::parse_bytes("512M") == 512ull << 20);
  CHECK(experiment::parse_bytes("1.5G") == 3ull << 29);
  CHECK(experiment::parse_bytes("2000") == 2000u);
  CHECK_FALSE(experiment::parse_bytes("lots"));
  CHECK_FALSE(experiment::parse_bytes("-1G"));
  CHECK_FALSE(experiment::parse_bytes("4Q"));
  CHECK(experiment::default_memory_limit() > (64ull << 20));

  nlohmann::json doc = testing::small_scenario();
  doc["tasks"]["count"] = 1'000'000;
  io::Scenario batch = io::parse_scenario(doc, ".");
  doc["tasks"]["arrival"] = {{"process", "poisson"}, {"rate_per_hour", 100}};
  io::Scenario poisson = io::parse_scenario(doc, ".");
  // A batch holds every task at once; a stream holds only what is open.
  CHECK(experiment::projected_bytes(batch, 1) > 200'000'000u);
  CHECK(experiment::projected_bytes(poisson, 1) < 1'000'000u);
  // Threads buffer whole runs.
  CHECK(experiment::projected_bytes(poisson, 2) > 100 * experiment::projected_bytes(poisson, 1));
}
