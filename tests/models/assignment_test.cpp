// Assignment policies on the platform: every registered policy keeps the platform's rules, the
// learning ones find the good workers, pull and batch policies do what their names say.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "models/assignment/policy.hpp"
#include "models/platform.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::run_in_memory;

namespace {

// 40% spammers at chance and 60% experts at 0.9 on binary tasks; tasks arrive at about a third
// of the pool's capacity, so a policy has idle workers to choose from; 30% gold questions tell
// the platform who is who. Random choice averages accuracy 0.74 per answer (majority of three:
// about 0.85); sending work only to experts gives 0.972.
nlohmann::json spammer_mix() {
  return nlohmann::json::parse(R"({
    "name": "spammer_mix", "seed": 5,
    "tasks": {"count": 1500, "arrival": {"process": "poisson", "rate_per_hour": 240},
              "expected_duration": 60, "bounty": 1.0, "redundancy": 3, "classes": 2},
    "workers": {"count": 40, "groups": [{"name": "spammer", "share": 0.4, "accuracy": 0.5},
                                        {"name": "expert", "share": 0.6, "accuracy": 0.9}]},
    "work": {"time_noise": {"dist": "exponential", "mean": 1}},
    "review": {"model": "gold", "gold_fraction": 0.3},
    "assignment": {"policy": "random"},
    "incentive": {"policy": "fixed"}
  })");
}

std::string policy_override(const std::string& name) { return "assignment={\"policy\":\"" + name + "\"}"; }

}  // namespace

TEST_CASE("models::assignment: every registered policy keeps the platform's rules", "[models][assignment]") {
  for (const std::string& name : models::assignment_policies().names()) {
    for (const char* arrival : {"batch", "poisson"}) {
      INFO("policy " << name << ", " << arrival << " arrivals");
      std::vector<std::string> o{policy_override(name), "tasks.count=120", "workers.count=12",
                                 std::string("tasks.arrival={\"process\":\"") + arrival + "\"" +
                                     (arrival == std::string("poisson") ? ",\"rate_per_hour\":600}" : "}")};
      auto rec = run_in_memory(spammer_mix(), o);
      std::map<std::int64_t, std::set<std::int64_t>> seen;
      for (const auto& a : rec.assignments) CHECK(seen[a.task_id].insert(a.worker_id).second);  // one slot each
      REQUIRE(rec.tasks.size() == 120);
      for (const auto& t : rec.tasks) {
        CHECK(t.status == models::TaskStatus::kClosed);
        CHECK(seen[t.task_id].size() == 3);
      }
      // Same seed, same run.
      auto again = run_in_memory(spammer_mix(), o);
      REQUIRE(again.assignments.size() == rec.assignments.size());
      for (std::size_t i = 0; i < rec.assignments.size(); ++i) {
        CHECK(again.assignments[i].worker_id == rec.assignments[i].worker_id);
        CHECK(again.assignments[i].finished == rec.assignments[i].finished);
      }
    }
  }
}

// Every policy that chooses workers by what reviews taught it must beat random choice clearly
// on accuracy, under the same workers and tasks (common random numbers). Random scores about
// 0.85 here; a 0.05 margin is more than 4 standard errors of a 1,500-task accuracy.
// Under the sanitizers (tests/CMakeLists.txt) the same policies on 500 tasks: the same code,
// and with the fixed seed the same checks still pass; but with a margin of some 2.3 standard
// errors instead of 4 (and less time to learn) they are the Release build's to mean something.
TEST_CASE("models::assignment: learning policies find the experts", "[models][assignment]") {
  const std::string count = CROWDSIM_SANITIZED ? "tasks.count=500" : "tasks.count=1500";
  double random = run_in_memory(spammer_mix(), {count}).kpi("accuracy");
  CHECK(random == Approx(0.85).margin(0.03));
  for (const char* name : {"greedy_skill", "reputation", "epsilon_greedy", "ucb", "thompson", "linucb", "learned",
                           "hungarian", "genetic", "ant_colony"}) {
    auto rec = run_in_memory(spammer_mix(), {count, policy_override(name)});
    INFO(name << ": accuracy " << rec.kpi("accuracy") << ", random " << random);
    CHECK(rec.kpi("accuracy") > random + 0.05);
    CHECK(rec.kpi("tasks_closed") == (CROWDSIM_SANITIZED ? 500 : 1500));
  }
  // Policies blind to skill do not.
  for (const char* name : {"fifo", "round_robin", "least_loaded"}) {
    auto rec = run_in_memory(spammer_mix(), {count, policy_override(name)});
    INFO(name << ": accuracy " << rec.kpi("accuracy") << ", random " << random);
    CHECK(rec.kpi("accuracy") < random + 0.05);
  }
}

TEST_CASE("models::assignment: least_loaded and round_robin spread the work evenly", "[models][assignment]") {
  for (const char* name : {"least_loaded", "round_robin"}) {
    // Batch arrivals: every task waits, so each free worker is served in turn.
    auto rec = run_in_memory(spammer_mix(), {policy_override(name), "tasks.arrival={\"process\":\"poisson\",\"rate_per_hour\":60}",
                                             "tasks.count=400"});
    std::map<std::int64_t, int> load;
    for (const auto& w : rec.workers) load[w.worker_id] = 0;
    for (const auto& a : rec.assignments) ++load[a.worker_id];
    int lo = 1 << 30, hi = 0;
    for (auto [w, n] : load) lo = std::min(lo, n), hi = std::max(hi, n);
    INFO(name << ": loads from " << lo << " to " << hi);
    CHECK(hi - lo <= 1);  // 1,200 answers over 40 workers: 30 each
  }
  auto fifo = run_in_memory(spammer_mix(), {policy_override("fifo"), "tasks.arrival={\"process\":\"poisson\",\"rate_per_hour\":60}",
                                            "tasks.count=400"});
  std::map<std::int64_t, int> load;
  for (const auto& a : fifo.assignments) ++load[a.worker_id];
  int lo = 1 << 30, hi = 0;
  for (auto [w, n] : load) lo = std::min(lo, n), hi = std::max(hi, n);
  CHECK(hi - lo > 1);  // the yardstick: longest-idle order does not balance counts exactly
}

// Two task types arriving faster than the pool can answer (a queue builds), one paid four times the other: workers who pull by pay rate
// serve the rich type first, so it waits far less; first-come-first-served treats them alike.
TEST_CASE("models::assignment: pull_pay_rate serves the best-paid tasks first", "[models][assignment]") {
  auto doc = spammer_mix();
  doc["tasks"]["types"] = nlohmann::json::parse(R"([{"name": "cheap", "bounty": 0.5}, {"name": "rich", "bounty": 2.0}])");
  doc["tasks"]["arrival"] = nlohmann::json::parse(R"({"process": "poisson", "rate_per_hour": 1000})");
  auto wait = [&](const std::string& policy) {
    auto rec = run_in_memory(doc, {policy_override(policy)});
    std::map<std::int32_t, std::pair<double, int>> by_type;
    for (const auto& t : rec.tasks) by_type[t.type].first += t.closed - t.created, by_type[t.type].second += 1;
    return std::pair{by_type[0].first / by_type[0].second, by_type[1].first / by_type[1].second};
  };
  auto [cheap, rich] = wait("pull_pay_rate");
  auto [fifo_cheap, fifo_rich] = wait("fifo");
  INFO("pull_pay_rate: cheap " << cheap << " s, rich " << rich << " s; fifo: " << fifo_cheap << ", " << fifo_rich);
  CHECK(rich < 0.5 * cheap);
  CHECK(fifo_rich == Approx(fifo_cheap).epsilon(0.25));
}

// Two task types and two kinds of specialist: each good at one type, at chance on the other.
// Tasks queue up (they arrive faster than the pool answers), so a free worker has a choice.
// Shown only the task they are estimated best at (n = 1), workers end up answering what they
// know; browsing by pay rate (equal pay) ignores skill.
TEST_CASE("models::assignment: recommend_top_n matches workers to the types they know", "[models][assignment]") {
  auto doc = spammer_mix();
  doc["tasks"]["types"] = nlohmann::json::parse(R"([{"name": "a"}, {"name": "b"}])");
  doc["workers"]["groups"] = nlohmann::json::parse(R"([
    {"name": "knows_a", "share": 0.5, "skill": {"a": 0.95, "b": 0.5}},
    {"name": "knows_b", "share": 0.5, "skill": {"a": 0.5, "b": 0.95}}])");
  doc["tasks"]["arrival"] = nlohmann::json::parse(R"({"process": "poisson", "rate_per_hour": 1000})");
  double top = run_in_memory(doc, {"assignment={\"policy\":\"recommend_top_n\",\"n\":1}"}).kpi("accuracy");
  double pay = run_in_memory(doc, {policy_override("pull_pay_rate")}).kpi("accuracy");
  INFO("recommend_top_n(1) " << top << ", pull_pay_rate " << pay);
  CHECK(top > pay + 0.05);
}

namespace {
// A user's policy that breaks the rules: it always offers the first idle worker, eligible or not.
class Careless final : public models::AssignmentPolicy {
 public:
  std::uint32_t choose_worker(const models::PlatformView& p, std::uint32_t, sim::Stream&) override {
    return p.idle_workers().front();
  }
  std::uint32_t choose_task(const models::PlatformView& p, std::uint32_t, sim::Stream&) override {
    return p.open_tasks().front();
  }
};
}  // namespace

TEST_CASE("models::assignment: a policy that hands out a forbidden pair is stopped, named", "[models][assignment]") {
  models::assignment_policies().add("careless_test", "test only", [] { return std::make_unique<Careless>(); });
  // Redundancy 3 with 3 workers: the first idle worker soon already holds a slot of the task.
  CHECK_THROWS_WITH(run_in_memory(spammer_mix(), {policy_override("careless_test"), "workers.count=3", "tasks.count=20"}),
                    Catch::Contains("assignment policy \"careless_test\""));
}
