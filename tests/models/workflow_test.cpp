#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::run_in_memory;
using crowdsim::testing::small_scenario;
using nlohmann::json;
using models::TaskRecord;

namespace {
json workflow(const std::string& mode) {
  json doc = small_scenario();
  doc["tasks"]["count"] = 50;
  doc["tasks"]["types"] = json::array({
      {{"name", "job"}, {"decompose", {{"into", "step"}, {"count", 4}, {"mode", mode}}}},
      {{"name", "step"}, {"weight", 0}, {"redundancy", 2}, {"bounty", 0.5}},
  });
  return doc;
}
}  // namespace

TEST_CASE("models::workflow: a parallel parent opens all subtasks and closes with the last", "[models]") {
  auto rec = run_in_memory(workflow("parallel"));
  std::map<std::int64_t, TaskRecord> parents;
  std::map<std::int64_t, std::vector<TaskRecord>> children;
  for (const auto& t : rec.tasks) {
    if (t.parent_id < 0) parents[t.task_id] = t;
    else children[t.parent_id].push_back(t);
  }
  REQUIRE(parents.size() == 50);
  for (const auto& [id, p] : parents) {
    CHECK(p.type == 0);
    CHECK(p.status == models::TaskStatus::kClosed);
    const auto& c = children[id];
    REQUIRE(c.size() == 4);
    double last = 0;
    for (const auto& s : c) {
      CHECK(s.type == 1);
      CHECK(s.created == p.created);  // fork: all at once
      CHECK(s.redundancy == 2);
      last = std::max(last, s.closed);
    }
    CHECK(p.closed == last);  // join: with the last one
  }
  CHECK(rec.assignments.size() == 50 * 4 * 2);
  CHECK(rec.kpi("tasks_published") == 50);
  CHECK(rec.kpi("tasks_closed") == 50);
  CHECK(rec.kpi("subtasks_closed") == 200);
  CHECK(rec.kpi("total_cost") == Approx(50 * 4 * 2 * 0.5));
  // Latency KPIs are the workflows' own.
  double sum = 0;
  for (const auto& [id, p] : parents) sum += p.closed - p.created;
  CHECK(rec.kpi("latency_mean") == Approx(sum / 50));
}

TEST_CASE("models::workflow: a sequential chain publishes each step when the previous closes", "[models]") {
  auto rec = run_in_memory(workflow("sequential"));
  std::map<std::int64_t, std::vector<TaskRecord>> children;
  std::map<std::int64_t, TaskRecord> parents;
  for (const auto& t : rec.tasks) {
    if (t.parent_id < 0) parents[t.task_id] = t;
    else children[t.parent_id].push_back(t);
  }
  REQUIRE(parents.size() == 50);
  for (auto& [id, c] : children) {
    REQUIRE(c.size() == 4);
    std::sort(c.begin(), c.end(), [](const TaskRecord& a, const TaskRecord& b) { return a.created < b.created; });
    CHECK(c.front().created == parents[id].created);
    for (std::size_t i = 1; i < c.size(); ++i) CHECK(c[i].created == c[i - 1].closed);
    CHECK(parents[id].closed == c.back().closed);
  }
  // The same work in a chain takes longer than in parallel.
  auto par = run_in_memory(workflow("parallel"));
  CHECK(rec.kpi("latency_mean") > par.kpi("latency_mean"));
}

TEST_CASE("models::workflow: decomposition is validated", "[models]") {
  json doc = workflow("parallel");
  doc["tasks"]["types"][0]["decompose"]["into"] = "stepp";
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::StartsWith("tasks.types.0.decompose.into: expected a task type name") &&
                                                      Catch::Contains("did you mean \"step\""));
  doc = workflow("parallel");
  doc["tasks"]["types"].push_back({{"name", "meta"}, {"decompose", {{"into", "job"}, {"count", 2}}}});
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::Contains("a type that does not itself decompose"));
  doc = workflow("parallel");
  doc["tasks"]["types"][0]["bounty"] = 3;
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::StartsWith("tasks.types.0.bounty: expected no work field on a decomposed type"));
  doc = workflow("chain");
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::StartsWith("tasks.types.0.decompose.mode:"));
  doc = workflow("parallel");
  doc["tasks"]["types"][1]["name"] = "job";
  CHECK_THROWS_WITH(io::parse_scenario(doc, "."), Catch::StartsWith("tasks.types.1.name: expected a name no other type has"));
}

TEST_CASE("models::workflow: types are drawn by weight and keep their own fields", "[models]") {
  json doc = small_scenario();
  doc["tasks"]["count"] = 4000;
  doc["tasks"]["redundancy"] = 1;
  doc["tasks"]["types"] = json::array({{{"name", "easy"}, {"weight", 3}, {"bounty", 0.1}},
                                       {{"name", "hard"}, {"weight", 1}, {"bounty", 0.4}, {"classes", 5}}});
  auto rec = run_in_memory(doc);
  double hard = 0;
  for (const auto& t : rec.tasks) {
    hard += t.type == 1;
    CHECK(t.bounty == (t.type == 1 ? 0.4 : 0.1));
    CHECK(t.true_label < (t.type == 1 ? 5 : 2));
  }
  // Binomial(4000, 1/4): sd 27.4; 4 sd.
  CHECK(std::abs(hard - 1000) < 4 * 27.4);
}
