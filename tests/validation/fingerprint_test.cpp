// Guards every shipped scenario's results against accidental change: a small run of each is
// hashed and compared with tests/fingerprints.json. A change that is meant to move results
// updates the file on purpose:  make fingerprints  (see docs/reproducibility.md).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/scenarios.hpp"

using namespace crowdsim;
namespace fs = std::filesystem;

namespace {

// FNV-1a over a text rendering of every record: %.17g round-trips doubles exactly, and text
// avoids hashing struct padding.
struct Hasher {
  std::uint64_t h = 1469598103934665603ull;
  void add(const char* fmt, double v) {
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, fmt, v);
    for (int i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(buf[i])) * 1099511628211ull;
  }
  void num(double v) { add("%.17g,", v); }
};

std::string fingerprint(const testing::MemoryRecorder& r) {
  Hasher h;
  for (const auto& t : r.tasks)
    for (double v : {double(t.task_id), double(t.parent_id), double(t.type), t.created, t.deadline, t.expected_duration,
                     double(t.redundancy), t.bounty, t.difficulty, t.first_assigned, t.closed, double(t.status),
                     double(t.true_label), double(t.final_label), double(t.correct)})
      h.num(v);
  for (const auto& t : r.tasks)
    for (double v : {double(t.late), t.cost}) h.num(v);
  for (const auto& a : r.assignments)
    for (double v : {double(a.task_id), double(a.worker_id), a.assigned, a.finished, a.duration, a.progress, a.effort,
                     a.quality, a.review, a.reward, double(a.answer), double(a.abandoned)})
      h.num(v);
  for (const auto& a : r.assignments) h.num(double(a.cancelled));
  for (const auto& w : r.workers)
    for (double v : {double(w.worker_id), double(w.group), w.arrived, w.departed, w.accuracy, w.speed,
                     w.reservation_wage, double(w.tasks_done), double(w.abandoned), w.earnings, w.busy_time, w.est_accuracy})
      h.num(v);
  for (const auto& s : r.snapshots)
    for (double v : {s.time, double(s.open_tasks), double(s.in_progress), double(s.online_workers), double(s.busy_workers),
                     double(s.completed), s.cum_cost, s.mean_quality, s.accuracy})
      h.num(v);
  for (const auto& a : r.alerts)
    for (double v : {a.time, double(a.kind), double(a.task_id), double(a.worker_id), a.value}) h.num(v);
  for (const auto& k : r.kpis)
    for (const auto& [name, v] : k) h.num(v);
  char out[20];
  std::snprintf(out, sizeof out, "%016" PRIx64, h.h);
  return out;
}

}  // namespace

TEST_CASE("validation::fingerprints: shipped scenarios give the recorded results", "[validation][fingerprint]") {
  fs::path dir = fs::path(CROWDSIM_SOURCE_DIR) / "scenarios";
  fs::path file = fs::path(CROWDSIM_SOURCE_DIR) / "tests" / "fingerprints.json";
  nlohmann::json recorded = fs::exists(file) ? io::read_json_file(file.string()) : nlohmann::json::object();
  nlohmann::json now = nlohmann::json::object();
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json" && e.path().filename() != "schema.json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    // Small and quick: at most 200 tasks and one replication per point, full detail.
    nlohmann::json doc = io::read_json_file(f.string());
    doc["replications"] = 1;
    doc["detail"] = "full";
    if (doc["tasks"].value("count", 100) > 200) doc["tasks"]["count"] = 200;
    io::Scenario s = io::parse_scenario(doc, dir.string());
    testing::MemoryRecorder rec;
    experiment::run_experiment(s, rec, {}, 2);  // two threads: the same records as one
    now[f.stem().string()] = fingerprint(rec);
  }
  if (std::getenv("CROWDSIM_UPDATE_FINGERPRINTS")) {
    std::ofstream(file) << now.dump(2) << "\n";
    WARN("wrote " << file.string());
    return;
  }
  for (const auto& [name, hash] : now.items()) {
    INFO(name << ": results changed. If that is intended, run `make fingerprints` and commit tests/fingerprints.json "
              "with a message saying why.");
    REQUIRE(recorded.contains(name));
    CHECK(recorded[name] == hash);
  }
  CHECK(recorded.size() == now.size());
}
