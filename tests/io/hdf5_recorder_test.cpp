#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <H5Cpp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/hdf5_recorder.hpp"

// HDF5's exceptions are not std::exceptions: without this Catch reports "Unknown exception".
CATCH_TRANSLATE_EXCEPTION(const H5::Exception& e) { return e.getFuncName() + ": " + e.getDetailMsg(); }

// Reads files back with the plain HDF5 C++ API only, so these tests check the file contract
// of docs/hdf5-layout.md (names, types, values), not the recorder's own description of it.

using namespace crowdsim;
using namespace crowdsim::models;
namespace fs = std::filesystem;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

fs::path scratch(const std::string& name) {
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

RunData make_run(std::uint64_t id, std::size_t n_assignments = 3) {
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

void record(io::Hdf5Recorder& rec, const RunData& d) {
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

const char* const kTables[] = {"tasks", "assignments", "workers", "timeseries", "alerts", "strategies", "summary"};

hsize_t rows(const H5::H5File& f, const std::string& path) {
  H5::DataSpace s = f.openDataSet(path).getSpace();
  REQUIRE(s.getSimpleExtentNdims() == 1);
  hsize_t n = 0;
  s.getSimpleExtentDims(&n);
  return n;
}

std::vector<std::string> columns(const H5::H5File& f, const std::string& path) {
  H5::CompType t = f.openDataSet(path).getCompType();
  std::vector<std::string> names;
  for (int i = 0; i < t.getNmembers(); ++i) names.push_back(t.getMemberName(static_cast<unsigned>(i)));
  return names;
}

// One column, converted by HDF5 to double (exact for the small integers used here).
std::vector<double> column(const H5::H5File& f, const std::string& path, const std::string& name) {
  H5::CompType mem(sizeof(double));
  mem.insertMember(name, 0, H5::PredType::NATIVE_DOUBLE);
  std::vector<double> out(rows(f, path));
  if (!out.empty()) f.openDataSet(path).read(out.data(), mem);
  return out;
}

// One enum column, as its labels.
std::vector<std::string> labels_of(const H5::H5File& f, const std::string& path, const std::string& name) {
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

// What the build should have written: the source tree's commit as git sees it now (12 hex
// digits, "-dirty" with uncommitted changes to tracked files), or "unknown" outside git. The
// commit is read at build time, so a new commit followed by a build shows here.
std::string current_commit() {
  auto run = [](const std::string& cmd) {
    std::string out;
    FILE* p = popen(("git -C " CROWDSIM_SOURCE_DIR " " + cmd + " 2>/dev/null").c_str(), "r");
    char buf[256];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    return std::make_pair(pclose(p) == 0, out);
  };
  auto [ok, head] = run("rev-parse --short=12 HEAD");
  while (!head.empty() && std::isspace(static_cast<unsigned char>(head.back()))) head.pop_back();
  if (!ok || head.empty()) return "unknown";
  auto [ok2, changes] = run("status --porcelain --untracked-files=no");
  return head + (ok2 && !changes.empty() ? "-dirty" : "");
}

std::string str_attr(const H5::H5Object& o, const char* name) {
  H5::Attribute a = o.openAttribute(name);
  std::string s;
  a.read(a.getDataType(), s);
  return s;
}

template <class T>
T num_attr(const H5::H5Object& o, const char* name, const H5::PredType& as) {
  T v{};
  o.openAttribute(name).read(as, &v);
  return v;
}

// Class, size and signedness of an attribute, e.g. "integer/8/unsigned".
std::string attr_kind(const H5::H5Object& o, const char* name) {
  H5::DataType t = o.openAttribute(name).getDataType();
  switch (t.getClass()) {
    case H5T_INTEGER:
      return "integer/" + std::to_string(t.getSize()) +
             (H5::IntType(t.getId()).getSign() == H5T_SGN_NONE ? "/unsigned" : "/signed");
    case H5T_FLOAT: return "float/" + std::to_string(t.getSize());
    case H5T_STRING: return "string";
    default: return "other";
  }
}

// ISO 8601 in UTC, to the second: 2026-11-22T10:00:00Z.
bool is_utc_timestamp(const std::string& s) {
  const std::string pattern = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool ok = pattern[i] == 'd' ? std::isdigit(static_cast<unsigned char>(s[i])) != 0 : s[i] == pattern[i];
    if (!ok) return false;
  }
  return true;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

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

const std::vector<Col<TaskRecord>> kTaskCols{
    COL(TaskRecord, task_id, 'l'),        COL(TaskRecord, parent_id, 'l'),   COL(TaskRecord, type, 'i'),
    COL(TaskRecord, created, 'd'),        COL(TaskRecord, deadline, 'd'),    COL(TaskRecord, expected_duration, 'd'),
    COL(TaskRecord, redundancy, 'i'),     COL(TaskRecord, bounty, 'd'),      COL(TaskRecord, difficulty, 'd'),
    COL(TaskRecord, first_assigned, 'd'), COL(TaskRecord, closed, 'd'),      COL(TaskRecord, status, 'S'),
    COL(TaskRecord, true_label, 'i'),     COL(TaskRecord, final_label, 'i'), COL(TaskRecord, correct, 'b'),
    COL(TaskRecord, late, 'b'),           COL(TaskRecord, cost, 'd'),
};
const std::vector<Col<AssignmentRecord>> kAssignmentCols{
    COL(AssignmentRecord, task_id, 'l'),  COL(AssignmentRecord, worker_id, 'l'), COL(AssignmentRecord, assigned, 'd'),
    COL(AssignmentRecord, finished, 'd'), COL(AssignmentRecord, duration, 'd'),  COL(AssignmentRecord, progress, 'd'),
    COL(AssignmentRecord, effort, 'd'),   COL(AssignmentRecord, delay, 'd'),     COL(AssignmentRecord, quality, 'd'),
    COL(AssignmentRecord, review, 'd'),   COL(AssignmentRecord, reward, 'd'),    COL(AssignmentRecord, utility, 'd'),
    COL(AssignmentRecord, answer, 'i'),   COL(AssignmentRecord, abandoned, 'b'), COL(AssignmentRecord, cancelled, 'b'),
};
const std::vector<Col<WorkerRecord>> kWorkerCols{
    COL(WorkerRecord, worker_id, 'l'),        COL(WorkerRecord, group, 'i'),      COL(WorkerRecord, arrived, 'd'),
    COL(WorkerRecord, departed, 'd'),         COL(WorkerRecord, accuracy, 'd'),   COL(WorkerRecord, speed, 'd'),
    COL(WorkerRecord, reservation_wage, 'd'), COL(WorkerRecord, tasks_done, 'l'), COL(WorkerRecord, abandoned, 'l'),
    COL(WorkerRecord, earnings, 'd'),         COL(WorkerRecord, utility, 'd'),    COL(WorkerRecord, busy_time, 'd'),
    COL(WorkerRecord, est_accuracy, 'd'),
};
const std::vector<Col<StrategyRecord>> kStrategyCols{
    COL(StrategyRecord, group, 'i'),           COL(StrategyRecord, type, 'i'),
    COL(StrategyRecord, speed, 'd'),           COL(StrategyRecord, accuracy, 'd'),
    COL(StrategyRecord, reservation_wage, 'd'), COL(StrategyRecord, workers, 'l'),
    COL(StrategyRecord, effort, 'd'),          COL(StrategyRecord, delay, 'd'),
    COL(StrategyRecord, expected_time, 'd'),   COL(StrategyRecord, expected_quality, 'd'),
    COL(StrategyRecord, expected_pay, 'd'),    COL(StrategyRecord, expected_utility, 'd'),
    COL(StrategyRecord, converged, 'b'),
};
const std::vector<Col<SnapshotRecord>> kSnapshotCols{
    COL(SnapshotRecord, time, 'd'),         COL(SnapshotRecord, open_tasks, 'l'),     COL(SnapshotRecord, in_progress, 'l'),
    COL(SnapshotRecord, online_workers, 'l'), COL(SnapshotRecord, busy_workers, 'l'), COL(SnapshotRecord, completed, 'l'),
    COL(SnapshotRecord, cum_cost, 'd'),     COL(SnapshotRecord, mean_quality, 'd'),   COL(SnapshotRecord, accuracy, 'd'),
};
const std::vector<Col<AlertRecord>> kAlertCols{
    COL(AlertRecord, time, 'd'),      COL(AlertRecord, kind, 'A'),  COL(AlertRecord, task_id, 'l'),
    COL(AlertRecord, worker_id, 'l'), COL(AlertRecord, value, 'd'),
};

#undef COL

std::string run_path(std::uint64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "/runs/%06llu", static_cast<unsigned long long>(id));
  return buf;
}

}  // namespace

TEST_CASE("io::Hdf5Recorder: every column of every table round-trips, with NaN, inf and enum labels", "[io]") {
  fs::path p = scratch("roundtrip.h5");
  std::vector<RunData> runs{make_run(0), make_run(1, 20)};
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, io::Detail::kFull);
    for (const auto& d : runs) record(rec, d);
    rec.finish();
  }
  H5::H5File f(p.string(), H5F_ACC_RDONLY);
  for (const auto& d : runs) {
    std::string run = run_path(d.info.run_id);
    check_table(f, run + "/tasks", kTaskCols, d.tasks);
    check_table(f, run + "/assignments", kAssignmentCols, d.assignments);
    check_table(f, run + "/workers", kWorkerCols, d.workers);
    check_table(f, run + "/timeseries", kSnapshotCols, d.snapshots);
    check_table(f, run + "/alerts", kAlertCols, d.alerts);
    check_table(f, run + "/strategies", kStrategyCols, d.strategies);

    // The run's summary: one row, one float64 column per KPI, in the Kpis order.
    INFO(run);
    REQUIRE(columns(f, run + "/summary") == std::vector<std::string>{"tasks_closed", "latency_mean", "cost_per_correct"});
    REQUIRE(rows(f, run + "/summary") == 1);
    for (const auto& [name, value] : d.kpis) CHECK(same(column(f, run + "/summary", name)[0], value));
  }
}

TEST_CASE("io::Hdf5Recorder: root and run attributes describe the file", "[io]") {
  fs::path p = scratch("attrs.h5");
  // Longer than the 64 KiB an attribute may hold in an object header: must still round-trip.
  std::string scenario = "{\"name\": \"\u00e9t\u00e9\", \"pad\": \"" + std::string(100000, 'x') + "\"}";
  RunData d = make_run(3);
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{scenario}, io::Detail::kAssignments);
    record(rec, d);
    rec.finish();
  }
  H5::H5File f(p.string(), H5F_ACC_RDONLY);
  CHECK(attr_kind(f, "schema_version") == "integer/4/signed");
  CHECK(num_attr<std::int32_t>(f, "schema_version", H5::PredType::NATIVE_INT32) == 1);
  CHECK_FALSE(str_attr(f, "crowdsim_version").empty());
  CHECK(str_attr(f, "git_commit") == current_commit());
  CHECK(is_utc_timestamp(str_attr(f, "created_utc")));
  CHECK(str_attr(f, "scenario") == scenario);
  CHECK(str_attr(f, "status") == "complete");
  CHECK(str_attr(f, "detail") == "assignments");

  H5::Group g = f.openGroup("/runs/000003");
  CHECK(attr_kind(g, "seed") == "integer/8/unsigned");
  CHECK(num_attr<std::uint64_t>(g, "seed", H5::PredType::NATIVE_UINT64) == d.info.seed);
  CHECK(attr_kind(g, "replication") == "integer/4/unsigned");
  CHECK(num_attr<std::uint32_t>(g, "replication", H5::PredType::NATIVE_UINT32) == 1);
  CHECK(attr_kind(g, "point") == "integer/4/unsigned");
  CHECK(num_attr<std::uint32_t>(g, "point", H5::PredType::NATIVE_UINT32) == 1);
  CHECK(str_attr(g, "params") == d.info.params);
  CHECK(str_attr(g, "assignment_policy") == "fifo");
  CHECK(str_attr(g, "incentive_policy") == "exponential_progress");
  CHECK(str_attr(g, "detail") == "assignments");
  CHECK(attr_kind(g, "events_processed") == "integer/8/unsigned");
  CHECK(num_attr<std::uint64_t>(g, "events_processed", H5::PredType::NATIVE_UINT64) == 1003);
  CHECK(attr_kind(g, "wall_seconds") == "float/8");
  CHECK(num_attr<double>(g, "wall_seconds", H5::PredType::NATIVE_DOUBLE) == 3.25);
}

TEST_CASE("io::Hdf5Recorder: the file appears at its path only after finish, replacing an old one", "[io]") {
  fs::path p = scratch("finish.h5");
  { std::ofstream(p) << "an old result"; }
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, io::Detail::kFull);
    record(rec, make_run(0));
    CHECK(fs::exists(p.string() + ".tmp"));
    {
      std::ifstream old(p);
      std::string text;
      std::getline(old, text);
      CHECK(text == "an old result");  // untouched while the new file is being written
    }
    rec.finish();
    CHECK_THROWS_AS(rec.finish(), std::logic_error);
    CHECK_THROWS_AS(rec.begin_run(make_run(1).info), std::logic_error);
  }
  CHECK_FALSE(fs::exists(p.string() + ".tmp"));
  CHECK_FALSE(fs::exists(p.string() + ".partial"));
  REQUIRE(H5::H5File::isHdf5(p.string()));
  H5::H5File f(p.string(), H5F_ACC_RDONLY);
  CHECK(str_attr(f, "status") == "complete");
  CHECK(rows(f, "/summary") == 1);
}

TEST_CASE("io::Hdf5Recorder: destroyed without finish it leaves path.partial with the finished runs", "[io]") {
  fs::path p = scratch("crash.h5");
  {
    io::Hdf5Recorder old(p.string(), io::FileMetadata{"{\"old\": true}"}, io::Detail::kFull);
    record(old, make_run(0));
    old.finish();
  }
  auto interrupted = [&] {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{\"new\": true}"}, io::Detail::kFull);
    record(rec, make_run(0, 5000));
    record(rec, make_run(1));
    RunData d = make_run(2);
    rec.begin_run(d.info);  // interrupted in the middle of run 2
    rec.task(d.tasks[0]);
    rec.assignment(d.assignments[0]);
    throw std::runtime_error("interrupted");
  };
  CHECK_THROWS_WITH(interrupted(), "interrupted");

  CHECK_FALSE(fs::exists(p.string() + ".tmp"));
  REQUIRE(fs::exists(p.string() + ".partial"));
  {
    H5::H5File f(p.string() + ".partial", H5F_ACC_RDONLY);
    CHECK(str_attr(f, "status") == "partial");
    CHECK(str_attr(f, "scenario") == "{\"new\": true}");
    CHECK(rows(f, "/summary") == 2);
    check_table(f, "/runs/000000/assignments", kAssignmentCols, make_run(0, 5000).assignments);
    check_table(f, "/runs/000001/alerts", kAlertCols, make_run(1).alerts);
    for (const char* t : kTables) CHECK(rows(f, std::string("/runs/000001/") + t) > 0);
    // The unfinished run keeps what it buffered, but no end-of-run attributes or summary.
    H5::Group g = f.openGroup("/runs/000002");
    CHECK_FALSE(g.attrExists("events_processed"));
    CHECK(rows(f, "/runs/000002/tasks") == 1);
  }
  // The previous complete file is not destroyed.
  H5::H5File old(p.string(), H5F_ACC_RDONLY);
  CHECK(str_attr(old, "status") == "complete");
  CHECK(str_attr(old, "scenario") == "{\"old\": true}");
}

TEST_CASE("io::Hdf5Recorder: a hard crash after end_run leaves the finished runs readable in path.tmp", "[io]") {
  fs::path p = scratch("killed.h5");
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // The child dies without destructors or atexit handlers, as if killed, in the middle of run 2.
    try {
      auto* rec = new io::Hdf5Recorder(p.string(), io::FileMetadata{"{}"}, io::Detail::kFull);
      record(*rec, make_run(0, 5000));
      record(*rec, make_run(1));
      RunData d = make_run(2);
      rec->begin_run(d.info);
      for (const auto& a : d.assignments) rec->assignment(a);
    } catch (...) {
      _exit(2);
    }
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);

  CHECK_FALSE(fs::exists(p));
  REQUIRE(fs::exists(p.string() + ".tmp"));
  H5::H5File f(p.string() + ".tmp", H5F_ACC_RDONLY);
  CHECK(str_attr(f, "status") == "partial");
  CHECK(rows(f, "/summary") == 2);
  check_table(f, "/runs/000000/assignments", kAssignmentCols, make_run(0, 5000).assignments);
  check_table(f, "/runs/000001/tasks", kTaskCols, make_run(1).tasks);
}

TEST_CASE("io::Hdf5Recorder: a recorder that never finished leaves nothing at path", "[io]") {
  fs::path p = scratch("never.h5");
  { io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, io::Detail::kFull); }
  CHECK_FALSE(fs::exists(p));
  CHECK_FALSE(fs::exists(p.string() + ".tmp"));
  H5::H5File f(p.string() + ".partial", H5F_ACC_RDONLY);
  CHECK(str_attr(f, "status") == "partial");
  CHECK(f.nameExists("runs"));
}

TEST_CASE("io::Hdf5Recorder: detail levels drop exactly their tables' rows and keep every table", "[io]") {
  struct Case {
    io::Detail detail;
    const char* name;
    hsize_t tasks, assignments;
  };
  auto c = GENERATE(Case{io::Detail::kFull, "full", 3, 7}, Case{io::Detail::kAssignments, "assignments", 0, 7},
                    Case{io::Detail::kSummary, "summary", 0, 0});
  INFO(c.name);
  fs::path p = scratch(std::string("detail_") + c.name + ".h5");
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, c.detail);
    record(rec, make_run(0, 7));
    record(rec, make_run(1, 7));
    rec.finish();
  }
  H5::H5File f(p.string(), H5F_ACC_RDONLY);
  CHECK(str_attr(f, "detail") == c.name);
  for (std::string run : {"/runs/000000", "/runs/000001"}) {
    CHECK(str_attr(f.openGroup(run), "detail") == c.name);
    for (const char* t : kTables) CHECK(f.nameExists(run + "/" + t));
    CHECK(rows(f, run + "/tasks") == c.tasks);
    CHECK(rows(f, run + "/assignments") == c.assignments);
    CHECK(rows(f, run + "/workers") == 2);
    CHECK(rows(f, run + "/timeseries") == 2);
    CHECK(rows(f, run + "/alerts") == 3);
    CHECK(rows(f, run + "/summary") == 1);
    // Empty tables keep their full schema.
    CHECK(columns(f, run + "/tasks").size() == kTaskCols.size());
    CHECK(columns(f, run + "/assignments").size() == kAssignmentCols.size());
  }
  CHECK(rows(f, "/summary") == 2);
}

TEST_CASE("io::Hdf5Recorder: tables longer than one chunk round-trip in order", "[io]") {
  fs::path p = scratch("long.h5");
  RunData d = make_run(0, 10000);
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, io::Detail::kFull);
    record(rec, d);
    rec.finish();
  }
  H5::H5File f(p.string(), H5F_ACC_RDONLY);
  check_table(f, "/runs/000000/assignments", kAssignmentCols, d.assignments);

  // Chunked, shuffled, deflated and extendible, as docs/hdf5-layout.md promises.
  H5::DataSet ds = f.openDataSet("/runs/000000/assignments");
  H5::DSetCreatPropList props = ds.getCreatePlist();
  REQUIRE(props.getLayout() == H5D_CHUNKED);
  hsize_t chunk = 0;
  props.getChunk(1, &chunk);
  CHECK(chunk > 1);
  CHECK(chunk <= 4096);
  CHECK(chunk < 10000);  // so this test crosses chunk boundaries
  bool shuffle = false, deflate = false;
  for (int i = 0; i < props.getNfilters(); ++i) {
    unsigned flags = 0, level = 0;
    std::size_t n = 1;
    char name[64];
    unsigned config = 0;
    H5Z_filter_t filter = props.getFilter(i, flags, n, &level, sizeof name, name, config);
    shuffle |= filter == H5Z_FILTER_SHUFFLE;
    if (filter == H5Z_FILTER_DEFLATE) {
      deflate = true;
      CHECK(level == 4);
    }
  }
  CHECK(shuffle);
  CHECK(deflate);
  hsize_t dims = 0, maxdims = 0;
  ds.getSpace().getSimpleExtentDims(&dims, &maxdims);
  CHECK(maxdims == H5S_UNLIMITED);
}

TEST_CASE("io::Hdf5Recorder: /summary has one row per run: run_id, point, replication, KPIs", "[io]") {
  fs::path p = scratch("summary.h5");
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, io::Detail::kSummary);
    for (std::uint64_t id : {0, 1, 2, 3, 7}) record(rec, make_run(id));
    rec.finish();
  }
  H5::H5File f(p.string(), H5F_ACC_RDONLY);
  CHECK(columns(f, "/summary") ==
        std::vector<std::string>{"run_id", "point", "replication", "tasks_closed", "latency_mean", "cost_per_correct"});
  H5::CompType t = f.openDataSet("/summary").getCompType();
  for (unsigned i = 0; i < 3; ++i) {
    CHECK(t.getMemberDataType(i).getClass() == H5T_INTEGER);
    CHECK(t.getMemberDataType(i).getSize() == 8);
  }
  for (unsigned i = 3; i < 6; ++i) CHECK(t.getMemberDataType(i).getClass() == H5T_FLOAT);
  REQUIRE(rows(f, "/summary") == 5);
  CHECK(column(f, "/summary", "run_id") == std::vector<double>{0, 1, 2, 3, 7});
  CHECK(column(f, "/summary", "point") == std::vector<double>{0, 0, 1, 1, 3});
  CHECK(column(f, "/summary", "replication") == std::vector<double>{0, 1, 0, 1, 1});
  CHECK(column(f, "/summary", "tasks_closed") == std::vector<double>{2, 3, 4, 5, 9});
  for (double v : column(f, "/summary", "latency_mean")) CHECK(std::isnan(v));
  for (double v : column(f, "/summary", "cost_per_correct")) CHECK(v == kInf);
}

TEST_CASE("io::Hdf5Recorder: runs with other KPI names are refused", "[io]") {
  fs::path p = scratch("kpis.h5");
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, io::Detail::kSummary);
    record(rec, make_run(0));
    RunData d = make_run(1);
    d.kpis.pop_back();
    CHECK_THROWS_WITH(record(rec, d), Catch::Contains("cost_per_correct") && Catch::Contains("/runs/000001"));
    rec.end_run(d.info, make_run(1).kpis);  // run 1 is still open: end it properly
    RunData dup = make_run(2);
    dup.kpis.push_back({"tasks_closed", 1.0});
    rec.begin_run(dup.info);
    CHECK_THROWS_WITH(rec.end_run(dup.info, dup.kpis), Catch::Contains("tasks_closed"));
  }
  CHECK_FALSE(fs::exists(p));  // never finished
}

TEST_CASE("io::Hdf5Recorder: errors name the path, hooks out of order are refused", "[io]") {
  CHECK_THROWS_WITH(io::Hdf5Recorder("/nonexistent-dir/out.h5", io::FileMetadata{"{}"}, io::Detail::kFull),
                    Catch::Contains("/nonexistent-dir/out.h5") && Catch::Contains("does not exist"));
  fs::path dir = scratch("a_directory.h5");
  fs::create_directories(dir);
  CHECK_THROWS_WITH(io::Hdf5Recorder(dir.string(), io::FileMetadata{"{}"}, io::Detail::kFull),
                    Catch::Contains(dir.string()) && Catch::Contains("directory"));
  fs::remove(dir);

  fs::path p = scratch("order.h5");
  io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, io::Detail::kFull);
  RunData d = make_run(4);
  CHECK_THROWS_AS(rec.task(d.tasks[0]), std::logic_error);
  CHECK_THROWS_AS(rec.end_run(d.info, d.kpis), std::logic_error);
  rec.begin_run(d.info);
  CHECK_THROWS_AS(rec.begin_run(make_run(5).info), std::logic_error);
  CHECK_THROWS_AS(rec.finish(), std::logic_error);
  rec.end_run(d.info, d.kpis);
  CHECK_THROWS_WITH(rec.begin_run(d.info), Catch::Contains("000004") && Catch::Contains("already exists"));
  rec.finish();
  CHECK(fs::exists(p));
}

TEST_CASE("io::parse_detail: names map both ways, an unknown name lists the valid ones", "[io]") {
  for (io::Detail d : {io::Detail::kSummary, io::Detail::kAssignments, io::Detail::kFull})
    CHECK(io::parse_detail(io::detail_name(d)) == d);
  CHECK_THROWS_AS(io::parse_detail("everything"), std::invalid_argument);
  CHECK_THROWS_WITH(io::parse_detail("everything"), Catch::Contains("full, assignments, summary"));
}
