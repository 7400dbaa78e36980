#include <catch2/catch.hpp>

#include "support/hdf5_recorder_files.hpp"
#include "support/process.hpp"

#include <H5Cpp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "io/hdf5_recorder.hpp"

// The file's life: it appears at its path only once finished; interrupted, crashed or never
// finished it leaves its finished runs in path.partial or path.tmp; errors name the path.
// What is in the file: hdf5_recorder_test.cpp.

using namespace crowdsim;
using namespace crowdsim::models;
using namespace crowdsim::testing;
namespace fs = std::filesystem;

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
  // The child dies without destructors or atexit handlers, as if killed, in the middle of run 2.
  REQUIRE(in_killed_child([&] {
    auto* rec = new io::Hdf5Recorder(p.string(), io::FileMetadata{"{}"}, io::Detail::kFull);
    record(*rec, make_run(0, 5000));
    record(*rec, make_run(1));
    RunData d = make_run(2);
    rec->begin_run(d.info);
    for (const auto& a : d.assignments) rec->assignment(a);
  }) == 0);

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
