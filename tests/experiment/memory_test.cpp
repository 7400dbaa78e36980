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

TEST_CASE("experiment::memory: threads may run further ahead of the writer when runs are small", "[experiment]") {
  nlohmann::json doc = testing::small_scenario();
  doc["tasks"]["count"] = 1000;
  io::Scenario small = io::parse_scenario(doc, ".");
  doc["tasks"]["count"] = 1'000'000;
  io::Scenario large = io::parse_scenario(doc, ".");
  // Small runs: 8 per thread, so one slow run does not stall the others; large runs (some
  // 200 MB of records each here): 2 per thread, the least, as the memory projection assumes.
  CHECK(experiment::run_window(small, 2) == 16u);
  CHECK(experiment::run_window(small, 4) == 32u);
  CHECK(experiment::run_window(large, 2) == 4u);
  // The projection counts every run the window lets the threads hold.
  doc["tasks"]["count"] = 1000;
  doc["tasks"]["arrival"] = {{"process", "poisson"}, {"rate_per_hour", 100}};
  io::Scenario stream = io::parse_scenario(doc, ".");
  CHECK(experiment::projected_bytes(stream, 2) >= 16 * (1000 * (112 + 96)));
}
