// The open list is in publication order (creation time, then id) whatever happens to a task's
// slots: a slot returned after an abandonment, or opened for one more answer under adaptive
// redundancy, does not send its task behind younger ones. Every policy reads that one list.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "models/assignment/choice.hpp"
#include "models/assignment/policy.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::run_in_memory;
using crowdsim::testing::small_scenario;
using nlohmann::json;

namespace {

// Six workers, one answer per task, tasks arriving faster than the workers can keep up with,
// and a strong abandonment hazard (20 per hour against 60 s of work: about one assignment in
// four is abandoned), whose slot comes back at once.
json abandoning() {
  json doc = small_scenario();
  doc["tasks"]["count"] = 300;
  doc["tasks"]["arrival"] = {{"process", "poisson"}, {"rate_per_hour", 400}};
  doc["tasks"]["redundancy"] = 1;
  doc["tasks"]["abandon_timeout"] = 0;
  doc["tasks"]["difficulty"] = {{"dist", "gamma"}, {"mean", 1.0}, {"sd", 0.3}};
  doc["workers"] = {{"count", 6}, {"accuracy", 0.8}, {"abandon_hazard", 20},
                    {"speed", {{"dist", "lognormal"}, {"median", 1.0}, {"sigma", 0.3}}}};
  doc["work"]["time_noise"] = {{"dist", "lognormal"}, {"median", 1.0}, {"sigma", 0.5}};
  return doc;
}

// Counts every look a policy takes at the open list, and the looks that found it out of
// publication order.
std::atomic<long> looks{0}, unordered{0};

void look(const models::PlatformView& p) {
  ++looks;
  const models::IndexList& open = p.open_tasks();
  for (std::uint32_t t = open.front(); t != models::kNone && open.next(t) != models::kNone; t = open.next(t)) {
    const models::TaskView &a = p.task(t), &b = p.task(open.next(t));
    if (std::tie(a.created, a.id) >= std::tie(b.created, b.id)) {
      ++unordered;
      return;
    }
  }
}

// fifo, one of each kind, looking at the open list each time it is asked.
class LookingPush final : public models::AssignmentPolicy {
 public:
  std::uint32_t choose_worker(const models::PlatformView& p, std::uint32_t task, sim::Stream&) override {
    look(p);
    return models::longest_idle_worker(p, task);
  }
  std::uint32_t choose_task(const models::PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    look(p);
    return models::oldest_task(p, worker);
  }
};

class LookingPull final : public models::AssignmentPolicy {
 public:
  models::AssignmentKind kind() const override { return models::AssignmentKind::kPull; }
  std::uint32_t choose_task(const models::PlatformView& p, std::uint32_t worker, sim::Stream&) override {
    look(p);
    return models::oldest_task(p, worker);
  }
};

class LookingBatch final : public models::AssignmentPolicy {
 public:
  models::AssignmentKind kind() const override { return models::AssignmentKind::kBatch; }
  double batch_interval() const override { return 20.0; }
  void match(const models::PlatformView& p, sim::Stream&, std::vector<models::Match>& out) override {
    look(p);
    std::set<std::uint32_t> taken;
    for (std::uint32_t t = p.open_tasks().front(); t != models::kNone; t = p.open_tasks().next(t))
      for (std::int32_t k = 0; k < p.task(t).open_slots; ++k)
        for (std::uint32_t w = p.idle_workers().front(); w != models::kNone; w = p.idle_workers().next(w))
          if (!taken.count(w) && p.eligible(t, w)) {  // each idle worker once per matching
            taken.insert(w);
            out.push_back(models::Match{t, w});
            break;
          }
  }
};

void register_looking_policies() {
  static bool done = false;
  if (done) return;
  done = true;
  models::assignment_policies().add("looking_push_test", "test only", [] { return std::make_unique<LookingPush>(); });
  models::assignment_policies().add("looking_pull_test", "test only", [] { return std::make_unique<LookingPull>(); });
  models::assignment_policies().add("looking_batch_test", "test only", [] { return std::make_unique<LookingBatch>(); });
}

}  // namespace

TEST_CASE("models::Platform: fifo gives a free worker the oldest open task by publication (returned slots too)",
          "[models][assignment]") {
  for (int replication : {0, 1, 2}) {
    json doc = abandoning();
    doc["seed"] = 7 + replication;
    auto rec = run_in_memory(doc);
    REQUIRE(rec.kpi("abandonment_rate") > 0.15);
    std::map<std::int64_t, const models::TaskRecord*> task;
    for (const auto& t : rec.tasks) task[t.task_id] = &t;
    const auto& as = rec.assignments;
    long choices = 0, behind = 0;
    for (const auto& r : as) {
      // A free worker's choice: its previous assignment ended at this very moment.
      bool free = std::any_of(as.begin(), as.end(), [&](const models::AssignmentRecord& b) {
        return b.worker_id == r.worker_id && b.finished == r.assigned;
      });
      if (!free) continue;
      double now = r.assigned;
      // The tasks open then: published, not closed, nobody working on them (redundancy 1). The
      // worker may take any of them, one it abandoned too (what it answered is closed).
      std::set<std::int64_t> busy;
      for (const auto& b : as)
        if (&b != &r && b.assigned <= now && b.finished > now) busy.insert(b.task_id);
      const models::TaskRecord* oldest = nullptr;
      bool returned_behind = false;  // an older task than the newest open one came back after an abandonment
      for (const auto& [id, t] : task) {
        if (t->created > now || t->closed <= now || busy.count(id)) continue;
        if (!oldest || std::tie(t->created, t->task_id) < std::tie(oldest->created, oldest->task_id)) oldest = t;
      }
      REQUIRE(oldest != nullptr);
      for (const auto& b : as)
        if (b.abandoned && b.task_id == oldest->task_id && b.finished <= now) returned_behind = true;
      ++choices;
      behind += returned_behind;
      INFO("replication " << replication << ": worker " << r.worker_id << " at " << now << " took task " << r.task_id
                          << ", the oldest open is " << oldest->task_id);
      CHECK(r.task_id == oldest->task_id);
    }
    INFO("replication " << replication << ": " << choices << " choices, " << behind << " of an abandoned task");
    CHECK(choices > 100);
    CHECK(behind > 10);  // the returned slots are exercised
  }
}

TEST_CASE("models::Platform: push and pull and batch policies see the open tasks in publication order", "[models][assignment]") {
  register_looking_policies();
  // Abandonment with slots coming back later, and adaptive redundancy opening one more slot at
  // a time: both put a task back on the open list.
  json abandon = abandoning();
  abandon["tasks"]["redundancy"] = 3;
  abandon["tasks"]["abandon_timeout"] = 120;
  json adaptive = small_scenario();
  adaptive["tasks"]["arrival"] = {{"process", "poisson"}, {"rate_per_hour", 500}};
  adaptive["tasks"]["redundancy"] = 7;
  adaptive["aggregation"] = {{"stop_at_confidence", 0.97}, {"min_answers", 2}};
  adaptive["workers"]["count"] = 12;
  for (const json& doc : {abandon, adaptive})
    for (const char* policy : {"looking_push_test", "looking_pull_test", "looking_batch_test"}) {
      looks = 0;
      unordered = 0;
      auto rec = run_in_memory(doc, {std::string("assignment.policy=") + policy});
      INFO(policy << ": " << unordered << " of " << looks << " looks found the open list out of order");
      CHECK(looks > 20);
      CHECK(unordered == 0);
      CHECK(rec.kpi("tasks_closed") == doc["tasks"]["count"].get<double>());  // none abandoned for good
    }
}
