#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "support/scenarios.hpp"

using namespace crowdsim;
namespace fs = std::filesystem;

// Every scenario shipped in scenarios/ loads and runs (cut to at most 300 tasks and one
// replication so the suite stays fast), and produces sane KPIs.
TEST_CASE("io::scenarios: every shipped scenario loads and runs", "[io]") {
  fs::path dir = fs::path(CROWDSIM_SOURCE_DIR) / "scenarios";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".json" && entry.path().filename() != "schema.json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);  // demo, mmc, microtask_labeling, software_contest, workflow_decomposition
  for (const fs::path& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      nlohmann::json doc = io::read_json_file(file.string());
      doc["replications"] = 1;
      if (doc["tasks"].value("count", 100) > 300) doc["tasks"]["count"] = 300;
      io::Scenario s = io::parse_scenario(doc, dir.string());
      testing::MemoryRecorder rec;
      experiment::run_experiment(s, rec);
      REQUIRE(rec.kpis.size() == s.points.size());  // one run per sweep point
      for (std::size_t run = 0; run < rec.kpis.size(); ++run) {
        CHECK(rec.kpi("tasks_published", run) > 0);
        CHECK(rec.kpi("tasks_closed", run) + rec.kpi("tasks_expired", run) > 0);
        CHECK(rec.kpi("total_cost", run) >= 0);
        CHECK(std::isfinite(rec.kpi("end_time", run)));
        if (std::isfinite(s.model.budget)) CHECK(rec.kpi("total_cost", run) <= s.model.budget);
      }
    }
  }
}
