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
  // Small runs: 64 per thread, so neither one slow run nor a writer behind a stretch of short
  // runs stalls the others; large runs (some 200 MB of records each here): 2 per thread, the
  // least; in between, as many as fit in 256 MiB.
  CHECK(experiment::run_window(small, 2) == 128u);
  CHECK(experiment::run_window(small, 4) == 256u);
  CHECK(experiment::run_window(large, 2) == 4u);
  doc["tasks"]["count"] = 50'000;  // some 20 MB of records a run: a few per thread
  io::Scenario middle = io::parse_scenario(doc, ".");
  CHECK(experiment::run_window(middle, 2) > 4u);
  CHECK(experiment::run_window(middle, 2) < 128u);
  // The projection counts every run the window lets the threads hold.
  doc["tasks"]["count"] = 1000;
  doc["tasks"]["arrival"] = {{"process", "poisson"}, {"rate_per_hour", 100}};
  io::Scenario stream = io::parse_scenario(doc, ".");
  CHECK(experiment::projected_bytes(stream, 2) >= 128 * (1000 * (112 + 96)));
  // but the state of a run under way only once per thread: 10^5 workers (some 50 MB) are held
  // by two runs at most, not by each of the some 24 runs whose records are buffered.
  doc["workers"]["count"] = 100'000;
  io::Scenario crowd = io::parse_scenario(doc, ".");
  CHECK(experiment::projected_bytes(crowd, 1) > 50'000'000u);
  CHECK(experiment::projected_bytes(crowd, 2) < 10 * experiment::projected_bytes(crowd, 1));
}
