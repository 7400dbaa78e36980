// The platform's task steps come in two instantiations (models/platform.hpp): the general one,
// which checks every feature, and the simple one, which leaves out the checks of features the
// scenario does not have. Both must give the same run, record for record, bit for bit.

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "io/scenario.hpp"
#include "models/platform.hpp"
#include "support/memory_recorder.hpp"
#include "support/scenarios.hpp"

using namespace crowdsim;
using crowdsim::testing::MemoryRecorder;
using crowdsim::testing::small_scenario;

namespace {

// Every recorded number as text (%.17g round-trips a double; NaN prints as nan): equal text,
// equal runs.
struct Text {
  std::string s;
  void add(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g,", v);
    s += buf;
  }
};

std::string render(const MemoryRecorder& r) {
  Text t;
  for (const auto& x : r.tasks)
    for (double v : {double(x.task_id), double(x.parent_id), double(x.type), x.created, x.deadline, x.difficulty,
                     x.first_assigned, x.closed, double(x.status), double(x.true_label), double(x.final_label),
                     double(x.correct), double(x.late), x.cost})
      t.add(v);
  for (const auto& a : r.assignments)
    for (double v : {double(a.task_id), double(a.worker_id), a.assigned, a.finished, a.duration, a.effort, a.quality,
                     a.review, a.reward, a.utility, double(a.answer), double(a.abandoned), double(a.cancelled)})
      t.add(v);
  for (const auto& w : r.workers)
    for (double v : {double(w.worker_id), w.arrived, w.departed, double(w.tasks_done), w.earnings, w.utility,
                     w.busy_time, w.est_accuracy})
      t.add(v);
  for (const auto& x : r.snapshots)
    for (double v : {x.time, double(x.open_tasks), double(x.in_progress), double(x.busy_workers), double(x.completed),
                     x.cum_cost, x.mean_quality, x.accuracy})
      t.add(v);
  for (const auto& a : r.alerts) t.add(a.time), t.add(a.value);
  for (const auto& k : r.kpis)
    for (const auto& [name, v] : k) t.s += name, t.add(v);
  return t.s;
}

struct Outcome {
  bool simple;
  std::string records;
  std::uint64_t events;
};

// One run of `doc` (with `overrides`), in its own instantiation or forced to the general one.
Outcome run(nlohmann::json doc, const std::vector<std::string>& overrides, bool force_general) {
  for (const auto& o : overrides) io::apply_override(doc, o);
  io::Scenario s = io::parse_scenario(doc, ".");
  MemoryRecorder rec;
  models::RunInfo info;
  rec.begin_run(info);
  models::Platform platform(s.points.at(0).model, 0, rec);
  bool simple = platform.simple();
  if (force_general) platform.force_general();
  models::Kpis kpis = platform.run(info);
  rec.end_run(info, kpis);
  return {simple, render(rec), info.events_processed};
}

}  // namespace

TEST_CASE("models::Platform: the simple steps give the general steps' run, bit for bit", "[models]") {
  const std::vector<std::vector<std::string>> cases = {
      {},                                                                // batch arrivals, redundancy 3
      {"detail=summary"},                                                // nothing recorded per task
      {"tasks.arrival.process=poisson", "tasks.arrival.rate_per_hour=400", "tasks.redundancy=1"},
      {"assignment.policy=random", "tasks.classes=4"},
      {"workers.max_tasks=15", "workers.session=20000"},                // departures, and tasks left open
      {"tasks.arrival.process=poisson", "tasks.arrival.rate_per_hour=700", "monitor.alerts.open_tasks_above=6"},  // alerts
      {"incentive.policy=exponential_progress"},
  };
  for (const auto& overrides : cases) {
    std::string name;
    for (const auto& o : overrides) name += o + " ";
    INFO("overrides: " << name);
    Outcome own = run(small_scenario(), overrides, false);
    Outcome general = run(small_scenario(), overrides, true);
    CHECK(own.simple);
    CHECK(own.events == general.events);
    CHECK(own.records.size() > 1000);
    CHECK(own.records == general.records);
  }
}

TEST_CASE("models::Platform: the shipped M/M/c scenario takes the simple steps, with the same results", "[models]") {
  nlohmann::json doc = io::read_json_file((std::filesystem::path(CROWDSIM_SOURCE_DIR) / "scenarios" / "mmc.json").string());
  Outcome own = run(doc, {"tasks.count=20000", "detail=full"}, false);
  Outcome general = run(doc, {"tasks.count=20000", "detail=full"}, true);
  CHECK(own.simple);
  CHECK(own.records == general.records);
}

TEST_CASE("models::Platform: a feature the simple steps leave out makes a run take the general ones", "[models]") {
  // One override each that brings in a feature whose checks the simple steps do not make.
  const std::vector<std::string> features = {
      "budget=50",                          // budget reservations and the backlog
      "tasks.deadline=600",                 // deadline events
      "workers.abandon_hazard=0.5",         // abandonment
      "aggregation.online=weighted",        // one-coin posteriors
      "aggregation.stop_at_confidence=0.9", // adaptive redundancy
      "review.model=gold",                  // gold tasks
      "incentive.policy=tournament",        // paid at close (a contest)
      "aggregation.batch=[\"ds\"]",       // answers kept for batch aggregation
      "workers.behavior.model=strategic",   // planning workers
  };
  for (const std::string& f : features) {
    INFO(f);
    nlohmann::json doc = small_scenario();
    Outcome o = run(doc, {f}, false);
    CHECK_FALSE(o.simple);
  }
}
