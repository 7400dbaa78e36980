#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "io/hdf5_compare.hpp"
#include "io/hdf5_recorder.hpp"

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

struct Options {
  int runs = 2;
  double wall_seconds = 0.5;
  std::string scenario = "{}";
  std::string policy = "fifo";
  std::uint64_t seed = 7;
};

// A small file of hand-made records (with NaN and inf, which must compare equal to themselves).
fs::path write_file(const std::string& name, const Options& o) {
  fs::path p = scratch(name);
  io::Hdf5Recorder rec(p.string(), io::FileMetadata{o.scenario}, io::Detail::kFull);
  for (int r = 0; r < o.runs; ++r) {
    RunInfo info;
    info.run_id = static_cast<std::uint64_t>(r);
    info.seed = o.seed;
    info.replication = static_cast<std::uint32_t>(r);
    info.assignment_policy = o.policy;
    info.incentive_policy = "fixed";
    rec.begin_run(info);
    rec.task(TaskRecord{7, -1, 0, 1.5, kInf, 60, 3, 0.1, 1.2, kNaN, kNaN, TaskStatus::kOpen, 1, -1, -1, 0, 0.0});
    for (int i = 0; i < 20; ++i)
      rec.assignment(AssignmentRecord{i, i % 3, 1.0 * i, 2.0 * i, 1.0 * i, 0.5, 1, 0.0, 0.7, kNaN, 0.25 * r, 0.1 * r, i % 2, 0, 0});
    rec.worker(WorkerRecord{0, 0, 0, kNaN, 0.8, 1.0, 1.38, 12, 0, 3.0, 2.5, 720.0, kNaN});
    rec.snapshot(SnapshotRecord{0, 5, 2, 10, 2, 0, 0.0, kNaN, kNaN});
    rec.alert(AlertRecord{3.0, AlertKind::kTaskOverdue, 7, -1, 42.0});
    info.events_processed = 1000;
    info.wall_seconds = o.wall_seconds * (r + 1);
    rec.end_run(info, Kpis{{"tasks_closed", 1.0}, {"latency_mean", kNaN}});
  }
  rec.finish();
  return p;
}

struct Result {
  bool equal;
  std::string diffs;
};

Result compare(const fs::path& a, const fs::path& b) {
  std::ostringstream out;
  bool equal = io::compare_files(a.string(), b.string(), out);
  return {equal, out.str()};
}

void set_string_attr(H5::H5Object& o, const char* name, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  o.removeAttr(name);
  o.createAttribute(name, type, H5::DataSpace(H5S_SCALAR)).write(type, value);
}

}  // namespace

TEST_CASE("io::compare_files: files of the same records are equal despite their timing attributes", "[io]") {
  fs::path a = write_file("cmp_same_a.h5", {});
  Options slower;
  slower.wall_seconds = 9.5;
  fs::path b = write_file("cmp_same_b.h5", slower);
  {
    // Written within one second of each other, so force created_utc apart too.
    H5::H5File f(b.string(), H5F_ACC_RDWR);
    set_string_attr(f, "created_utc", "1999-12-31T23:59:59Z");
  }
  Result r = compare(a, b);
  CHECK(r.equal);
  CHECK(r.diffs.empty());
  CHECK(compare(a, a).equal);
}

TEST_CASE("io::compare_files: one changed value in one row is found and located", "[io]") {
  fs::path a = write_file("cmp_value_a.h5", {});
  fs::path b = write_file("cmp_value_b.h5", {});
  {
    H5::H5File f(b.string(), H5F_ACC_RDWR);
    H5::DataSet ds = f.openDataSet("/runs/000001/assignments");
    H5::CompType mem(sizeof(double));
    mem.insertMember("reward", 0, H5::PredType::NATIVE_DOUBLE);
    hsize_t row = 3, count = 1;
    H5::DataSpace file_space = ds.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, &count, &row);
    double reward = 123.0;
    ds.write(&reward, mem, H5::DataSpace(1, &count), file_space);
  }
  Result r = compare(a, b);
  CHECK_FALSE(r.equal);
  CHECK_THAT(r.diffs, Catch::Contains("/runs/000001/assignments") && Catch::Contains("row 3") &&
                          Catch::Contains("reward"));
  CHECK(std::count(r.diffs.begin(), r.diffs.end(), '\n') == 1);
}

TEST_CASE("io::compare_files: an extra run is found", "[io]") {
  fs::path a = write_file("cmp_runs_a.h5", {});
  Options more;
  more.runs = 3;
  fs::path b = write_file("cmp_runs_b.h5", more);
  Result r = compare(a, b);
  CHECK_FALSE(r.equal);
  CHECK_THAT(r.diffs, Catch::Contains("/runs/000002: only in the second file"));
  CHECK_THAT(r.diffs, Catch::Contains("/summary: shapes differ: (2) vs (3)"));
  CHECK_FALSE(compare(b, a).equal);
  CHECK_THAT(compare(b, a).diffs, Catch::Contains("/runs/000002: only in the first file"));
}

TEST_CASE("io::compare_files: a different attribute is found and named", "[io]") {
  fs::path a = write_file("cmp_attr_a.h5", {});
  Options policy;
  policy.policy = "random";
  Options scenario;
  scenario.scenario = "{\"seed\": 2}";
  Options seed;
  seed.seed = 8;
  Result r1 = compare(a, write_file("cmp_attr_policy.h5", policy));
  CHECK_FALSE(r1.equal);
  CHECK_THAT(r1.diffs, Catch::Contains("/runs/000000 @assignment_policy") && Catch::Contains("fifo") &&
                           Catch::Contains("random"));
  Result r2 = compare(a, write_file("cmp_attr_scenario.h5", scenario));
  CHECK_FALSE(r2.equal);
  CHECK_THAT(r2.diffs, Catch::Contains("/ @scenario"));
  Result r3 = compare(a, write_file("cmp_attr_seed.h5", seed));
  CHECK_FALSE(r3.equal);
  CHECK_THAT(r3.diffs, Catch::Contains("/runs/000001 @seed: 7 vs 8"));
}

TEST_CASE("io::compare_files: types and shapes are compared before bytes", "[io]") {
  auto make = [](const std::string& name, const H5::PredType& type, hsize_t n) {
    fs::path p = scratch(name);
    H5::H5File f(p.string(), H5F_ACC_TRUNC);
    std::vector<std::int64_t> zeros(n, 0);
    H5::DataSet ds = f.createDataSet("d", type, H5::DataSpace(1, &n));
    ds.write(zeros.data(), H5::PredType::NATIVE_INT64);
    return p;
  };
  fs::path i32 = make("cmp_i32.h5", H5::PredType::NATIVE_INT32, 3);
  fs::path i64 = make("cmp_i64.h5", H5::PredType::NATIVE_INT64, 3);
  fs::path longer = make("cmp_i32_4.h5", H5::PredType::NATIVE_INT32, 4);
  CHECK(compare(i32, i32).equal);
  Result t = compare(i32, i64);
  CHECK_FALSE(t.equal);
  CHECK_THAT(t.diffs, Catch::Contains("/d: types differ"));
  Result s = compare(i32, longer);
  CHECK_FALSE(s.equal);
  CHECK_THAT(s.diffs, Catch::Contains("/d: shapes differ: (3) vs (4)"));
}

TEST_CASE("io::compare_files: many differences are capped, a missing file is reported", "[io]") {
  Options many;
  many.runs = 30;
  fs::path a = write_file("cmp_many_a.h5", many);
  many.seed = 8;
  fs::path b = write_file("cmp_many_b.h5", many);
  Result r = compare(a, b);
  CHECK_FALSE(r.equal);
  CHECK(std::count(r.diffs.begin(), r.diffs.end(), '\n') == 21);
  CHECK_THAT(r.diffs, Catch::Contains("... and 10 more differences"));

  fs::path missing = scratch("cmp_missing.h5");
  Result m = compare(a, missing);
  CHECK_FALSE(m.equal);
  CHECK_THAT(m.diffs, Catch::Contains(missing.string()));
}
