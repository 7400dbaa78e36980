#pragma once
// The HDF5 recorder's tests (tests/io/hdf5_recorder*_test.cpp): hand-made runs to record, and
// the file read back with the plain HDF5 C++ API only, so the tests check the file contract of
// docs/hdf5-layout.md (names, types, values), not the recorder's own description of it.

#include <catch2/catch.hpp>

#include <H5Cpp.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "io/hdf5_recorder.hpp"
#include "support/tmp.hpp"

namespace crowdsim::testing {

using namespace crowdsim::models;
namespace fs = std::filesystem;

inline const double kNaN = std::numeric_limits<double>::quiet_NaN();
inline const double kInf = std::numeric_limits<double>::infinity();

inline fs::path scratch(const std::string& name) {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_io_test";
  fs::create_directories(dir);
  fs::path p = dir / name;
  for (const char* suffix : {"", ".tmp", ".partial"}) fs::remove(p.string() + suffix);
  return p;
}

// Everything one run emits, hand-made; values depend on the run id so runs cannot be mixed up.
struct RunData {
  RunInfo info;
  std::vector<TaskRecord> tasks;
  std::vector<AssignmentRecord> assignments;
  std::vector<WorkerRecord> workers;
  std::vector<SnapshotRecord> snapshots;
  std::vector<AlertRecord> alerts;
  std::vector<StrategyRecord> strategies;
  Kpis kpis;
};

inline RunData make_run(std::uint64_t id, std::size_t n_assignments = 3) {
  RunData d;
  auto r = static_cast<std::int64_t>(id);
  double x = static_cast<double>(id);
  d.info.run_id = id;
  d.info.seed = (std::uint64_t{1} << 63) + 5 + id;  // above int64: must stay uint64
  d.info.replication = static_cast<std::uint32_t>(id % 2);
  d.info.point = static_cast<std::uint32_t>(id / 2);
  d.info.params = "{\"tasks.bounty\": " + std::to_string(id) + "}";
  d.info.assignment_policy = "fifo";
  d.info.incentive_policy = "exponential_progress";
  d.tasks = {
      {100 + r, -1, 0, 1.5 + x, kInf, 60, 3, 0.1, 1.2, 2.0, 9.0, TaskStatus::kClosed, 1, 1, 1, 0, 0.3},
      {200 + r, 100 + r, 2, 2.5, 100, 60, 1, 0.25, 0.8, kNaN, kNaN, TaskStatus::kOpen, -1, -1, -1, 0, 0.0},
      {300 + r, -1, 1, 3.5, 50, 30, 5, 1e-3, 1.0, 4.0, 51.0, TaskStatus::kExpired, 0, 1, 0, 1, 2.5e-3 + x},
  };
  for (std::size_t i = 0; i < n_assignments; ++i) {
    auto k = static_cast<std::int64_t>(i);
    double t = static_cast<double>(i);
    d.assignments.push_back({k + r, k % 13, t, 2 * t + x, t + x, 0.5 + t, 1, 0.5 * t, 0.7, i % 7 ? 0.7 : kNaN, 0.25 * t,
                             0.2 * t - 1, static_cast<std::int32_t>(i % 3) - 1, static_cast<std::int8_t>(i % 2),
                             static_cast<std::int8_t>(i % 3 == 2)});
  }
  d.workers = {{0, 0, 0, kNaN, 0.8, 1.0, 1.38, 12 + r, 1, 3.0, 1.5, 720.0, kNaN},
               {1, 1, 10 + x, 500, 0.55, 2.0, 0.5, 0, 0, 0, -0.5, 0, 0.5}};
  d.snapshots = {{0, 5, 2, 10, 2, 0, 0.0, kNaN, kNaN}, {60 + x, 4, 3, 9, 3, 1 + r, 0.35, 0.7, 1.0}};
  d.alerts = {{3.0, AlertKind::kTaskOverdue, 100 + r, -1, 42.0},
              {4.0, AlertKind::kQueueAboveThreshold, -1, -1, kInf},
              {5.0, AlertKind::kAbandonmentSpike, -1, 7, 0.5}};
  d.strategies = {{0, 0, 1.0, 0.8, 6.0, 12 + r, 1.25, 30.0, 150.0 + x, 0.85, 0.5, 0.2, 1},
                  {1, 2, 1.05, 0.61, kNaN, 1, 0.25, 0.0, 40.0, 0.6, 0.1, -0.01 * x, 0}};
  d.info.events_processed = 1000 + id;
  d.info.wall_seconds = 0.25 + x;
  d.kpis = {{"tasks_closed", 2.0 + x}, {"latency_mean", kNaN}, {"cost_per_correct", kInf}};
  return d;
}

inline void record(io::Hdf5Recorder& rec, const RunData& d) {
  rec.begin_run(d.info);
  for (const auto& t : d.tasks) rec.task(t);
  for (const auto& a : d.assignments) rec.assignment(a);
  for (const auto& w : d.workers) rec.worker(w);
  for (const auto& s : d.snapshots) rec.snapshot(s);
  for (const auto& a : d.alerts) rec.alert(a);
  for (const auto& s : d.strategies) rec.strategy(s);
  rec.end_run(d.info, d.kpis);
}

// --- reading back ---------------------------------------------------------------------------

inline const char* const kTables[] = {"tasks", "assignments", "workers", "timeseries", "alerts", "strategies", "summary"};

inline hsize_t rows(const H5::H5File& f, const std::string& path) {
  H5::DataSpace s = f.openDataSet(path).getSpace();
  REQUIRE(s.getSimpleExtentNdims() == 1);
  hsize_t n = 0;
  s.getSimpleExtentDims(&n);
  return n;
}

inline std::vector<std::string> columns(const H5::H5File& f, const std::string& path) {
  H5::CompType t = f.openDataSet(path).getCompType();
  std::vector<std::string> names;
  for (int i = 0; i < t.getNmembers(); ++i) names.push_back(t.getMemberName(static_cast<unsigned>(i)));
  return names;
}

// One column, converted by HDF5 to double (exact for the small integers used here).
inline std::vector<double> column(const H5::H5File& f, const std::string& path, const std::string& name) {
  H5::CompType mem(sizeof(double));
  mem.insertMember(name, 0, H5::PredType::NATIVE_DOUBLE);
  std::vector<double> out(rows(f, path));
  if (!out.empty()) f.openDataSet(path).read(out.data(), mem);
  return out;
}

// One enum column, as its labels.
inline std::vector<std::string> labels_of(const H5::H5File& f, const std::string& path, const std::string& name) {
  H5::CompType file_type = f.openDataSet(path).getCompType();
  H5::EnumType et = file_type.getMemberEnumType(static_cast<unsigned>(file_type.getMemberIndex(name)));
  H5::CompType mem(sizeof(std::uint8_t));
  mem.insertMember(name, 0, et);
  std::vector<std::uint8_t> raw(rows(f, path));
  if (!raw.empty()) f.openDataSet(path).read(raw.data(), mem);
  std::vector<std::string> out;
  for (auto v : raw) out.push_back(et.nameOf(&v, 64));
  return out;
}

inline std::string str_attr(const H5::H5Object& o, const char* name) {
  H5::Attribute a = o.openAttribute(name);
  std::string s;
  a.read(a.getDataType(), s);
  return s;
}

inline bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// A column of the contract: name, type ('l' int64, 'i' int32, 'b' int8, 'd' float64, 'S' task
// status enum, 'A' alert kind enum) and the field it comes from.
template <class Row>
struct Col {
  const char* name;
  char kind;
  double (*get)(const Row&);
};

template <class Row>
void check_table(const H5::H5File& f, const std::string& path, const std::vector<Col<Row>>& cols,
                 const std::vector<Row>& expected) {
  INFO(path);
  std::vector<std::string> names;
  for (const auto& c : cols) names.push_back(c.name);
  REQUIRE(columns(f, path) == names);
  REQUIRE(rows(f, path) == expected.size());
  H5::CompType type = f.openDataSet(path).getCompType();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const Col<Row>& c = cols[i];
    INFO("column " << c.name);
    H5::DataType m = type.getMemberDataType(static_cast<unsigned>(i));
    if (c.kind == 'd') {
      CHECK(m.getClass() == H5T_FLOAT);
      CHECK(m.getSize() == 8);
    } else if (c.kind == 'S' || c.kind == 'A') {
      REQUIRE(m.getClass() == H5T_ENUM);
      CHECK(m.getSize() == 1);
      const auto& want = c.kind == 'S' ? task_status_labels() : alert_kind_labels();
      H5::EnumType et = type.getMemberEnumType(static_cast<unsigned>(i));
      REQUIRE(et.getNmembers() == static_cast<int>(want.size()));
      for (std::size_t v = 0; v < want.size(); ++v) {
        auto value = static_cast<std::uint8_t>(v);
        CHECK(et.nameOf(&value, 64) == want[v]);
      }
      std::vector<std::string> got = labels_of(f, path, c.name);
      for (std::size_t r = 0; r < expected.size(); ++r)
        CHECK(got[r] == want[static_cast<std::size_t>(c.get(expected[r]))]);
      continue;
    } else {
      CHECK(m.getClass() == H5T_INTEGER);
      CHECK(m.getSize() == (c.kind == 'l' ? 8u : c.kind == 'i' ? 4u : 1u));
      CHECK(H5::IntType(m.getId()).getSign() == H5T_SGN_2);
    }
    std::vector<double> got = column(f, path, c.name);
    for (std::size_t r = 0; r < expected.size(); ++r) {
      INFO("row " << r << ": " << got[r] << " vs " << c.get(expected[r]));
      CHECK(same(got[r], c.get(expected[r])));
    }
  }
}

#define COL(Row, field, kind) \
  Col<Row> { #field, kind, [](const Row& r) { return static_cast<double>(r.field); } }

inline const std::vector<Col<TaskRecord>> kTaskCols{
    COL(TaskRecord, task_id, 'l'),        COL(TaskRecord, parent_id, 'l'),   COL(TaskRecord, type, 'i'),
    COL(TaskRecord, created, 'd'),        COL(TaskRecord, deadline, 'd'),    COL(TaskRecord, expected_duration, 'd'),
    COL(TaskRecord, redundancy, 'i'),     COL(TaskRecord, bounty, 'd'),      COL(TaskRecord, difficulty, 'd'),
    COL(TaskRecord, first_assigned, 'd'), COL(TaskRecord, closed, 'd'),      COL(TaskRecord, status, 'S'),
    COL(TaskRecord, true_label, 'i'),     COL(TaskRecord, final_label, 'i'), COL(TaskRecord, correct, 'b'),
    COL(TaskRecord, late, 'b'),           COL(TaskRecord, cost, 'd'),
};
inline const std::vector<Col<AssignmentRecord>> kAssignmentCols{
    COL(AssignmentRecord, task_id, 'l'),  COL(AssignmentRecord, worker_id, 'l'), COL(AssignmentRecord, assigned, 'd'),
    COL(AssignmentRecord, finished, 'd'), COL(AssignmentRecord, duration, 'd'),  COL(AssignmentRecord, progress, 'd'),
    COL(AssignmentRecord, effort, 'd'),   COL(AssignmentRecord, delay, 'd'),     COL(AssignmentRecord, quality, 'd'),
    COL(AssignmentRecord, review, 'd'),   COL(AssignmentRecord, reward, 'd'),    COL(AssignmentRecord, utility, 'd'),
    COL(AssignmentRecord, answer, 'i'),   COL(AssignmentRecord, abandoned, 'b'), COL(AssignmentRecord, cancelled, 'b'),
};
inline const std::vector<Col<WorkerRecord>> kWorkerCols{
    COL(WorkerRecord, worker_id, 'l'),        COL(WorkerRecord, group, 'i'),      COL(WorkerRecord, arrived, 'd'),
    COL(WorkerRecord, departed, 'd'),         COL(WorkerRecord, accuracy, 'd'),   COL(WorkerRecord, speed, 'd'),
    COL(WorkerRecord, reservation_wage, 'd'), COL(WorkerRecord, tasks_done, 'l'), COL(WorkerRecord, abandoned, 'l'),
    COL(WorkerRecord, earnings, 'd'),         COL(WorkerRecord, utility, 'd'),    COL(WorkerRecord, busy_time, 'd'),
    COL(WorkerRecord, est_accuracy, 'd'),
};
inline const std::vector<Col<StrategyRecord>> kStrategyCols{
    COL(StrategyRecord, group, 'i'),           COL(StrategyRecord, type, 'i'),
    COL(StrategyRecord, speed, 'd'),           COL(StrategyRecord, accuracy, 'd'),
    COL(StrategyRecord, reservation_wage, 'd'), COL(StrategyRecord, workers, 'l'),
    COL(StrategyRecord, effort, 'd'),          COL(StrategyRecord, delay, 'd'),
    COL(StrategyRecord, expected_time, 'd'),   COL(StrategyRecord, expected_quality, 'd'),
    COL(StrategyRecord, expected_pay, 'd'),    COL(StrategyRecord, expected_utility, 'd'),
    COL(StrategyRecord, converged, 'b'),
};
inline const std::vector<Col<SnapshotRecord>> kSnapshotCols{
    COL(SnapshotRecord, time, 'd'),         COL(SnapshotRecord, open_tasks, 'l'),     COL(SnapshotRecord, in_progress, 'l'),
    COL(SnapshotRecord, online_workers, 'l'), COL(SnapshotRecord, busy_workers, 'l'), COL(SnapshotRecord, completed, 'l'),
    COL(SnapshotRecord, cum_cost, 'd'),     COL(SnapshotRecord, mean_quality, 'd'),   COL(SnapshotRecord, accuracy, 'd'),
};
inline const std::vector<Col<AlertRecord>> kAlertCols{
    COL(AlertRecord, time, 'd'),      COL(AlertRecord, kind, 'A'),  COL(AlertRecord, task_id, 'l'),
    COL(AlertRecord, worker_id, 'l'), COL(AlertRecord, value, 'd'),
};

#undef COL

inline std::string run_path(std::uint64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "/runs/%06llu", static_cast<unsigned long long>(id));
  return buf;
}

}  // namespace crowdsim::testing
