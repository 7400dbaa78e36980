#include <catch2/catch.hpp>

#include "support/hdf5_recorder_files.hpp"

#include <H5Cpp.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "io/file_warnings.hpp"
#include "io/hdf5_appender.hpp"
#include "io/hdf5_recorder.hpp"

// The /summary tables' appender writes its chunks itself (shuffled and deflated, as HDF5's
// filters would); the "warnings" attribute is counted as runs end. Both must leave the file as
// HDF5's own paths would: the values, the filters, the warnings read back from the file.

using namespace crowdsim;
using namespace crowdsim::testing;

namespace {

// Row i: key i, then values that depend on i (the high bytes vary too, so shuffling matters).
std::vector<std::uint64_t> rows_from(std::uint64_t first, std::size_t n) {
  std::vector<std::uint64_t> v;
  for (std::uint64_t i = first; i < first + n; ++i) {
    double x = 0.5 + static_cast<double>(i) * 1.25, y = -1e9 / (1.0 + static_cast<double>(i));
    std::uint64_t bx, by;
    std::memcpy(&bx, &x, 8);
    std::memcpy(&by, &y, 8);
    v.insert(v.end(), {i, bx, by});
  }
  return v;
}

}  // namespace

TEST_CASE("io::Appender: rows across chunks and a reopened, half-full chunk read back as written", "[io]") {
  fs::path p = scratch("appender.h5");
  H5::CompType type = io::kpi_type({"run_id"}, {"x", "y"});
  std::uint64_t written = 0;
  std::vector<std::uint64_t> bytes_asked;
  {
    H5::H5File f(p.string(), H5F_ACC_TRUNC);
    io::Appender a(f.openGroup("/"), "summary", type, 4);
    a.before_write = [&](std::uint64_t b) { bytes_asked.push_back(b); };
    for (std::size_t n : {1u, 3u, 6u}) {  // fills chunk 0, then chunk 1 and half of chunk 2
      auto r = rows_from(written, n);
      a.append(r.data(), n);
      written += n;
    }
    a.close();
  }
  CHECK(bytes_asked.size() == 4);  // one chunk written per append, two by the append that crosses
  {
    H5::H5File f(p.string(), H5F_ACC_RDWR);
    io::Appender a(f.openGroup("/"), "summary", type, nullptr);  // 10 rows: chunk 2 holds two
    auto r = rows_from(written, 5);  // completes chunk 2 and starts chunk 3
    a.append(r.data(), 5);
    written += 5;
    a.close();
  }
  H5::H5File f(p.string(), H5F_ACC_RDONLY);
  H5::DataSet ds = f.openDataSet("summary");
  hsize_t n = 0;
  ds.getSpace().getSimpleExtentDims(&n);
  REQUIRE(n == written);
  std::vector<std::uint64_t> back(3 * n);
  ds.read(back.data(), type);
  CHECK(back == rows_from(0, written));
  // What every reader sees: shuffle, then deflate at level 4, as HDF5's own appends made it.
  H5::DSetCreatPropList props = ds.getCreatePlist();
  REQUIRE(props.getNfilters() == 2);
  unsigned flags = 0, level = 0;
  size_t nelmts = 1;
  unsigned config = 0;
  char name[64];
  CHECK(props.getFilter(0, flags, nelmts, &level, sizeof name, name, config) == H5Z_FILTER_SHUFFLE);
  nelmts = 1;
  CHECK(props.getFilter(1, flags, nelmts, &level, sizeof name, name, config) == H5Z_FILTER_DEFLATE);
  CHECK(level == 4);
  // Each chunk is stored compressed (the keys and the repeating high bytes shrink).
  hsize_t offset = 0;
  hsize_t stored = 0;
  REQUIRE(H5Dget_chunk_storage_size(ds.getId(), &offset, &stored) >= 0);
  CHECK(stored > 0);
  CHECK(stored < 4 * 24);
}

TEST_CASE("io::Hdf5Recorder: the warnings counted as runs end are those the file's runs give", "[io]") {
  // Two worker groups; run 1 closes no task, and group "idle" (worker 1) does a task in run 2 only.
  // Batch Dawid-Skene stops at its EM cap in two batches of run 0 and one of run 2.
  const std::string scenario = R"({"workers": {"groups": [{"name": "busy"}, {"name": "idle"}]}})";
  fs::path p = scratch("warnings.h5");
  io::Hdf5Recorder rec(p.string(), io::FileMetadata{scenario}, io::Detail::kSummary);
  for (std::uint64_t id : {0u, 1u, 2u}) {
    RunData d = make_run(id);
    d.kpis = {{"tasks_closed", id == 1 ? 0.0 : 3.0}, {"tasks_expired", id == 2 ? 4.0 : 0.0},
              {"accuracy_ds", 0.7}, {"em_capped_ds", id == 0 ? 2.0 : id == 2 ? 1.0 : 0.0},
              {"em_moved_ds", id == 0 ? 0.004 : id == 2 ? 0.03 : 1e-9}};
    d.workers[1].tasks_done = id == 2 ? 5 : 0;
    record(rec, d);
  }
  rec.finish();
  const std::string counted = rec.warnings();
  CHECK_THAT(counted, Catch::Contains("\"no_task_closed\":1"));
  CHECK_THAT(counted, Catch::Contains("\"worker_group_unused\":2"));
  CHECK_THAT(counted, Catch::Contains("\"em_not_converged\":2"));
  CHECK_THAT(counted, Catch::Contains("ds stopped at its cap of 100 EM iterations before converging in 2 of 3 runs "
                                      "(runs 0, 2; 3 batches") &&
                          Catch::Contains("still moved by up to 0.03 at the last iteration (tolerance 1e-07"));
  H5::H5File f(p.string(), H5F_ACC_RDWR);
  CHECK(io::write_file_warnings(f) == counted);  // the same text from what the file holds
}
