#include <catch2/catch.hpp>

#include <H5Cpp.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

#include "io/hdf5_compare.hpp"
#include "io/hdf5_recorder.hpp"

using namespace crowdsim;
using namespace crowdsim::models;
namespace fs = std::filesystem;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / "crowdsim_io_test";
  fs::create_directories(dir);
  fs::path p = dir / name;
  fs::remove(p);
  fs::remove(p.string() + ".tmp");
  fs::remove(p.string() + ".partial");
  return p;
}

// Writes `runs` runs of a few hand-made records each, `assignments` assignments per run.
void write_runs(io::Hdf5Recorder& rec, int runs, int assignments, double wall = 0.5) {
  for (int r = 0; r < runs; ++r) {
    RunInfo info;
    info.run_id = r, info.seed = 99, info.replication = r, info.assignment_policy = "fifo";
    info.incentive_policy = "fixed";
    rec.begin_run(info);
    rec.task(TaskRecord{7, -1, 0, 1.5, kInf, 60, 3, 0.1, 1.2, 2.0, 9.0, TaskStatus::kClosed, 1, 1, 1});
    rec.task(TaskRecord{8, -1, 0, 2.5, 100, 60, 3, 0.1, 0.8, kNaN, kNaN, TaskStatus::kOpen, 0, -1, -1});
    for (int i = 0; i < assignments; ++i)
      rec.assignment(AssignmentRecord{i, i % 13, 1.0 * i, 2.0 * i, 1.0 * i, 0.5, 1, 0.7, 0.7, 0.25, i % 2, 0});
    rec.worker(WorkerRecord{0, 0, kNaN, 0.8, 1.0, 1.38, 12, 3.0, 720.0, kNaN});
    rec.snapshot(SnapshotRecord{0, 5, 2, 10, 2, 0, 0.0, kNaN, kNaN});
    rec.alert(AlertRecord{3.0, AlertKind::kQueueAboveThreshold, -1, -1, 42.0});
    info.events_processed = 1000 + r;
    info.wall_seconds = wall;
    rec.end_run(info, Kpis{{"latency_mean", 10.0 + r}, {"accuracy", kNaN}});
  }
}

hsize_t rows(const H5::H5File& f, const std::string& path) {
  hsize_t n = 0;
  f.openDataSet(path).getSpace().getSimpleExtentDims(&n);
  return n;
}

std::string str_attr(const H5::H5Object& o, const char* name) {
  H5::Attribute a = o.openAttribute(name);
  std::string s;
  a.read(a.getDataType(), s);
  return s;
}

template <class Row>
std::vector<Row> read_rows(const H5::H5File& f, const std::string& path, const H5::CompType& mem) {
  std::vector<Row> out(rows(f, path));
  if (!out.empty()) f.openDataSet(path).read(out.data(), mem);
  return out;
}

H5::CompType task_mem_type() {
  H5::CompType t(sizeof(TaskRecord));
  t.insertMember("task_id", HOFFSET(TaskRecord, task_id), H5::PredType::NATIVE_INT64);
  t.insertMember("deadline", HOFFSET(TaskRecord, deadline), H5::PredType::NATIVE_DOUBLE);
  t.insertMember("first_assigned", HOFFSET(TaskRecord, first_assigned), H5::PredType::NATIVE_DOUBLE);
  t.insertMember("correct", HOFFSET(TaskRecord, correct), H5::PredType::NATIVE_INT8);
  return t;
}

}  // namespace

TEST_CASE("io::Hdf5Recorder: tables round-trip with every column, NaN, inf and enum labels", "[io]") {
  fs::path p = scratch("roundtrip.h5");
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{\"name\": \"t\"}"}, io::Detail::kFull);
    write_runs(rec, 2, 10000);  // more rows than one chunk
    CHECK(fs::exists(p.string() + ".tmp"));
    CHECK_FALSE(fs::exists(p));
    rec.finish();
  }
  REQUIRE(fs::exists(p));
  CHECK_FALSE(fs::exists(p.string() + ".tmp"));
  H5::H5File f(p.string(), H5F_ACC_RDONLY);
  CHECK(str_attr(f, "status") == "complete");
  CHECK(str_attr(f, "scenario") == "{\"name\": \"t\"}");
  CHECK(str_attr(f, "detail") == "full");
  for (const char* a : {"schema_version", "crowdsim_version", "git_commit", "created_utc"}) CHECK(f.attrExists(a));

  // Every column of every table, by name and in order.
  auto columns = [&](const std::string& path) {
    H5::CompType t = f.openDataSet(path).getCompType();
    std::vector<std::string> names;
    for (int i = 0; i < t.getNmembers(); ++i) names.push_back(t.getMemberName(static_cast<unsigned>(i)));
    return names;
  };
  using V = std::vector<std::string>;
  CHECK(columns("/runs/000000/tasks") ==
        V{"task_id", "parent_id", "type", "created", "deadline", "expected_duration", "redundancy", "bounty",
          "difficulty", "first_assigned", "closed", "status", "true_label", "final_label", "correct"});
  CHECK(columns("/runs/000000/assignments") == V{"task_id", "worker_id", "assigned", "finished", "duration", "progress",
                                                 "effort", "quality", "review", "reward", "answer", "abandoned"});
  CHECK(columns("/runs/000000/workers") == V{"worker_id", "arrived", "departed", "accuracy", "speed", "reservation_wage",
                                             "tasks_done", "earnings", "busy_time", "est_accuracy"});
  CHECK(columns("/runs/000000/timeseries") == V{"time", "open_tasks", "in_progress", "online_workers", "busy_workers",
                                                "completed", "cum_cost", "mean_quality", "accuracy"});
  CHECK(columns("/runs/000000/alerts") == V{"time", "kind", "task_id", "worker_id", "value"});
  CHECK(columns("/runs/000001/summary") == V{"latency_mean", "accuracy"});
  CHECK(columns("/summary") == V{"run_id", "point", "replication", "latency_mean", "accuracy"});

  auto tasks = read_rows<TaskRecord>(f, "/runs/000001/tasks", task_mem_type());
  REQUIRE(tasks.size() == 2);
  CHECK(tasks[0].task_id == 7);
  CHECK(tasks[0].deadline == kInf);
  CHECK(std::isnan(tasks[1].first_assigned));
  CHECK(tasks[1].correct == -1);

  H5::EnumType status = f.openDataSet("/runs/000000/tasks").getCompType().getMemberEnumType(11);
  std::uint8_t v = 1;
  CHECK(status.nameOf(&v, 32) == "closed");

  H5::CompType amem(sizeof(AssignmentRecord));
  amem.insertMember("task_id", HOFFSET(AssignmentRecord, task_id), H5::PredType::NATIVE_INT64);
  amem.insertMember("finished", HOFFSET(AssignmentRecord, finished), H5::PredType::NATIVE_DOUBLE);
  auto as = read_rows<AssignmentRecord>(f, "/runs/000001/assignments", amem);
  REQUIRE(as.size() == 10000);
  for (int i = 0; i < 10000; i += 997) {
    CHECK(as[i].task_id == i);
    CHECK(as[i].finished == 2.0 * i);
  }
  CHECK(rows(f, "/summary") == 2);
  H5::CompType smem(static_cast<std::size_t>(16));
  smem.insertMember("run_id", 0, H5::PredType::NATIVE_INT64);
  smem.insertMember("latency_mean", 8, H5::PredType::NATIVE_DOUBLE);
  struct S { std::int64_t run_id; double latency; } s[2];
  f.openDataSet("/summary").read(s, smem);
  CHECK(s[1].run_id == 1);
  CHECK(s[1].latency == 11.0);
}

TEST_CASE("io::Hdf5Recorder: without finish the file is left as .partial, runs readable", "[io]") {
  fs::path p = scratch("crash.h5");
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, io::Detail::kFull);
    write_runs(rec, 1, 5);
    RunInfo info;
    info.run_id = 1;
    rec.begin_run(info);  // interrupted in the middle of run 1
    rec.task(TaskRecord{1, -1, 0, 0, kInf, 1, 1, 1, 1, kNaN, kNaN, TaskStatus::kOpen, 0, -1, -1});
  }
  CHECK_FALSE(fs::exists(p));
  CHECK_FALSE(fs::exists(p.string() + ".tmp"));
  REQUIRE(fs::exists(p.string() + ".partial"));
  H5::H5File f(p.string() + ".partial", H5F_ACC_RDONLY);
  CHECK(str_attr(f, "status") == "partial");
  CHECK(rows(f, "/summary") == 1);
  CHECK(rows(f, "/runs/000000/assignments") == 5);
}

TEST_CASE("io::Hdf5Recorder: detail levels drop tables' rows but keep the tables", "[io]") {
  struct Case {
    io::Detail detail;
    hsize_t tasks, assignments;
  };
  auto c = GENERATE(Case{io::Detail::kFull, 2, 7}, Case{io::Detail::kAssignments, 0, 7}, Case{io::Detail::kSummary, 0, 0});
  fs::path p = scratch("detail.h5");
  {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{"{}"}, c.detail);
    write_runs(rec, 1, 7);
    rec.finish();
  }
  H5::H5File f(p.string(), H5F_ACC_RDONLY);
  CHECK(rows(f, "/runs/000000/tasks") == c.tasks);
  CHECK(rows(f, "/runs/000000/assignments") == c.assignments);
  CHECK(rows(f, "/runs/000000/workers") == 1);
  CHECK(rows(f, "/runs/000000/timeseries") == 1);
  CHECK(rows(f, "/runs/000000/alerts") == 1);
  CHECK(rows(f, "/runs/000000/summary") == 1);
}

TEST_CASE("io::compare_files: equal despite timing attributes, unequal on any real change", "[io]") {
  fs::path a = scratch("cmp_a.h5"), b = scratch("cmp_b.h5"), c = scratch("cmp_c.h5"), d = scratch("cmp_d.h5");
  auto write = [](const fs::path& p, int runs, double wall, const std::string& scenario) {
    io::Hdf5Recorder rec(p.string(), io::FileMetadata{scenario}, io::Detail::kFull);
    write_runs(rec, runs, 20, wall);
    rec.finish();
  };
  write(a, 2, 0.5, "{}");
  write(b, 2, 9.5, "{}");  // other wall time
  write(c, 3, 0.5, "{}");  // an extra run
  write(d, 2, 0.5, "{\"seed\": 2}");  // another scenario attribute
  std::ostringstream ab, ac, ad;
  CHECK(io::compare_files(a.string(), b.string(), ab));
  CHECK(ab.str().empty());
  CHECK_FALSE(io::compare_files(a.string(), c.string(), ac));
  CHECK_THAT(ac.str(), Catch::Contains("/runs/000002"));
  CHECK_FALSE(io::compare_files(a.string(), d.string(), ad));
  CHECK_THAT(ad.str(), Catch::Contains("@scenario"));
}
