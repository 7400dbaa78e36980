#include <catch2/catch.hpp>

#include "support/hdf5_recorder_files.hpp"

#include <H5Cpp.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "io/hdf5_recorder.hpp"

// What the recorder writes: every table's columns, the attributes, the detail levels, the
// chunked layout and /summary. The file's life (finish, interruption, crash, errors):
// hdf5_recorder_lifecycle_test.cpp.

// HDF5's exceptions are not std::exceptions: without this Catch reports "Unknown exception"
// (for the whole test_io binary: a translator is registered once per program).
CATCH_TRANSLATE_EXCEPTION(const H5::Exception& e) { return e.getFuncName() + ": " + e.getDetailMsg(); }

using namespace crowdsim;
using namespace crowdsim::models;
using namespace crowdsim::testing;
namespace fs = std::filesystem;

namespace {

// What the build should have written: the source tree's commit as `git rev-parse --short HEAD`
// prints it ("-dirty" added with uncommitted changes to tracked files), or "unknown" outside git. The
// commit is read at build time, so a new commit followed by a build shows here.
std::string current_commit() {
  auto run = [](const std::string& cmd) {
    std::string out;
    FILE* p = popen(("git -C " CROWDSIM_SOURCE_DIR " " + cmd + " 2>/dev/null").c_str(), "r");
    char buf[256];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    return std::make_pair(pclose(p) == 0, out);
  };
  auto [ok, head] = run("rev-parse --short HEAD");
  while (!head.empty() && std::isspace(static_cast<unsigned char>(head.back()))) head.pop_back();
  if (!ok || head.empty()) return "unknown";
  auto [ok2, changes] = run("status --porcelain --untracked-files=no");
  return head + (ok2 && !changes.empty() ? "-dirty" : "");
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

TEST_CASE("io::parse_detail: names map both ways, an unknown name lists the valid ones", "[io]") {
  for (io::Detail d : {io::Detail::kSummary, io::Detail::kAssignments, io::Detail::kFull})
    CHECK(io::parse_detail(io::detail_name(d)) == d);
  CHECK_THROWS_AS(io::parse_detail("everything"), std::invalid_argument);
  CHECK_THROWS_WITH(io::parse_detail("everything"), Catch::Contains("full, assignments, summary"));
}
