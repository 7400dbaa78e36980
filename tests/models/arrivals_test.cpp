#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::run_in_memory;
using crowdsim::testing::small_scenario;
using nlohmann::json;

namespace {
// Many fast workers so that a task's creation time is its arrival time and nothing queues.
json open_scenario(const json& arrival, int count) {
  json doc = small_scenario();
  doc["tasks"]["count"] = count;
  doc["tasks"]["arrival"] = arrival;
  doc["tasks"]["redundancy"] = 1;
  doc["tasks"]["expected_duration"] = 1;
  doc["workers"]["count"] = 50;
  doc["detail"] = "summary";
  return doc;
}
}  // namespace

TEST_CASE("models::arrivals: NHPP arrivals follow the 24-hour profile", "[models]") {
  // Profile with a night trough, a day plateau and an evening peak; 20,000 tasks ~ 10 days.
  std::vector<double> profile(24, 1.0);
  for (int h = 0; h < 6; ++h) profile[static_cast<std::size_t>(h)] = 0.2;
  for (int h = 18; h < 22; ++h) profile[static_cast<std::size_t>(h)] = 3.0;
  profile[3] = 0.0;  // no arrivals at all between 3 and 4 am
  auto rec = run_in_memory(open_scenario({{"process", "nhpp"}, {"rate_per_hour", 100}, {"profile", profile}}, 20000));
  REQUIRE(rec.tasks.size() == 20000);
  std::vector<double> count(24, 0.0);
  double last = 0.0;
  for (const auto& t : rec.tasks) {
    count[static_cast<std::size_t>(std::fmod(std::floor(t.created / 3600.0), 24.0))] += 1;
    last = std::max(last, t.created);
  }
  CHECK(count[3] == 0);
  // Over whole days observed, hour h of the day sees Poisson(days x rate x profile[h]) arrivals.
  // Pearson chi-square over the 23 hours with a positive rate has 23 degrees of freedom (the
  // expectations are not fitted): its 99.9% quantile is 49.7.
  double days = std::floor(last / 86400.0);
  std::vector<double> whole(24, 0.0);
  for (const auto& t : rec.tasks)
    if (t.created < days * 86400.0) whole[static_cast<std::size_t>(std::fmod(std::floor(t.created / 3600.0), 24.0))] += 1;
  double chi2 = 0;
  for (int h = 0; h < 24; ++h) {
    double e = days * 100.0 * profile[static_cast<std::size_t>(h)];  // rate x hours observed
    if (e == 0) continue;
    chi2 += (whole[static_cast<std::size_t>(h)] - e) * (whole[static_cast<std::size_t>(h)] - e) / e;
  }
  INFO("chi2 against rate x profile = " << chi2);
  CHECK(chi2 < 49.7);
}

TEST_CASE("models::arrivals: a trace is replayed at its times with its types", "[models]") {
  auto dir = crowdsim::testing::test_tmp() / "crowdsim_trace_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "trace.csv");
    f << "time,type\n30,review\n0,label\n\n10.5,label\n3600,1\n";  // unsorted, a blank line, an index
  }
  json doc = open_scenario({{"process", "trace"}, {"file", "trace.csv"}}, 1);
  doc["tasks"].erase("count");
  doc["tasks"]["types"] = json::array({{{"name", "label"}}, {{"name", "review"}, {"kind", "continuous"}}});
  io::Scenario s = io::parse_scenario(doc, dir.string());
  CHECK(s.model.tasks.count == 4);
  testing::MemoryRecorder rec;
  experiment::run_experiment(s, rec);
  REQUIRE(rec.tasks.size() == 4);
  std::vector<std::pair<double, int>> seen;
  for (const auto& t : rec.tasks) seen.emplace_back(t.created, t.type);
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::pair<double, int>>{{0, 0}, {10.5, 0}, {30, 1}, {3600, 1}});
  for (const auto& t : rec.tasks)
    if (t.type == 1) CHECK(t.true_label == -1);

  // count below the rows replays the first rows; above them is an error naming the path.
  doc["tasks"]["count"] = 2;
  CHECK(io::parse_scenario(doc, dir.string()).model.tasks.count == 2);
  doc["tasks"]["count"] = 5;
  CHECK_THROWS_WITH(io::parse_scenario(doc, dir.string()), Catch::StartsWith("tasks.count: expected at most the trace's 4 rows"));
  doc["tasks"].erase("count");
  {
    std::ofstream f(dir / "bad.csv");
    f << "time,type\n0,label\nsoon,label\n";
  }
  doc["tasks"]["arrival"]["file"] = "bad.csv";
  CHECK_THROWS_WITH(io::parse_scenario(doc, dir.string()),
                    Catch::StartsWith("tasks.arrival.file:") && Catch::Contains("\"soon\" at line 3"));
  {
    std::ofstream f(dir / "badtype.csv");
    f << "time,type\n0,lable\n";
  }
  doc["tasks"]["arrival"]["file"] = "badtype.csv";
  CHECK_THROWS_WITH(io::parse_scenario(doc, dir.string()), Catch::Contains("\"lable\" at line 2"));
  doc["tasks"]["arrival"]["file"] = "missing.csv";
  CHECK_THROWS_WITH(io::parse_scenario(doc, dir.string()),
                    Catch::StartsWith("tasks.arrival.file: expected a readable CSV file"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("models::arrivals: an NHPP profile must have 24 non-negative hours, not all zero", "[models]") {
  json doc = open_scenario({{"process", "nhpp"}, {"rate_per_hour", 10}, {"profile", std::vector<double>(23, 1.0)}}, 10);
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::StartsWith("tasks.arrival.profile: expected an array of 24 numbers"));
  doc["tasks"]["arrival"]["profile"] = std::vector<double>(24, 0.0);
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::StartsWith("tasks.arrival.profile: expected at least one hour"));
  std::vector<double> p(24, 1.0);
  p[5] = -1;
  doc["tasks"]["arrival"]["profile"] = p;
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::StartsWith("tasks.arrival.profile.5: expected a number >= 0"));
}
