#include "io/hdf5_recorder.hpp"
#include "io/file_warnings.hpp"

#include "crowdsim_commit.hpp"  // generated at build time
#include "io/hdf5_appender.hpp"
#include "io/hdf5_tables.hpp"
#include "io/hdf5_util.hpp"
#include "sim/config.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace crowdsim::io {

using namespace models;
namespace fs = std::filesystem;

Detail parse_detail(const std::string& name) {
  if (name == "full") return Detail::kFull;
  if (name == "assignments") return Detail::kAssignments;
  if (name == "summary") return Detail::kSummary;
  throw std::invalid_argument("detail must be one of full, assignments, summary, not \"" + name + "\"");
}

const char* detail_name(Detail d) {
  switch (d) {
    case Detail::kFull: return "full";
    case Detail::kAssignments: return "assignments";
    case Detail::kSummary: return "summary";
  }
  return "?";
}

namespace {

using tables::Table;
constexpr std::int32_t kSchemaVersion = 1;


// A KPI row type: optional int64 key columns, then one float64 per KPI, in 8-byte slots.
H5::CompType kpi_type(const std::vector<std::string>& keys, const std::vector<std::string>& kpis) {
  H5::CompType t(8 * (keys.size() + kpis.size()));
  std::size_t offset = 0;
  for (const auto& k : keys) t.insertMember(k, offset, H5::PredType::NATIVE_INT64), offset += 8;
  for (const auto& k : kpis) t.insertMember(k, offset, H5::PredType::NATIVE_DOUBLE), offset += 8;
  return t;
}

const std::vector<std::string> kSummaryKeys{"run_id", "point", "replication"};

// Compression threads of a recorder: CROWDSIM_WRITER_THREADS, else one per core (at most 4).
// The file is the same whatever their number (io/chunk_writer.hpp).
unsigned writer_threads() {
  const char* v = std::getenv("CROWDSIM_WRITER_THREADS");
  return v ? static_cast<unsigned>(std::clamp(std::atoi(v), 1, 64)) : 0;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string run_group_name(std::uint64_t run_id) {
  char name[40];
  std::snprintf(name, sizeof name, "/runs/%06llu", static_cast<unsigned long long>(run_id));
  return name;
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct Hdf5Recorder::Impl {
  // The open run: its group and its six streamed tables (the seventh, summary, is written
  // whole at end_run, when the KPI names are known).
  struct Run {
    Run(const H5::Group& g, Detail d, ChunkPipeline& pipe)
        : group(g),
          tasks(g, d == Detail::kFull, pipe),
          assignments(g, d != Detail::kSummary, pipe),
          workers(g, true, pipe),
          timeseries(g, true, pipe),
          alerts(g, true, pipe),
          strategies(g, true, pipe) {}
    template <class F>
    void each_table(F f) {
      f(tasks), f(assignments), f(workers), f(timeseries), f(alerts), f(strategies);
    }
    H5::Group group;
    Table<TaskRecord> tasks;
    Table<AssignmentRecord> assignments;
    Table<WorkerRecord> workers;
    Table<SnapshotRecord> timeseries;
    Table<AlertRecord> alerts;
    Table<StrategyRecord> strategies;
  };

  std::string path, tmp;
  std::string warnings;  // the "warnings" attribute, once finished
  Detail detail = Detail::kFull;
  ChunkPipeline pipe{writer_threads(), default_codec()};
  FileReserve reserve;  // room on disk ahead of HDF5 (io/chunk_writer.hpp)
  std::unique_ptr<H5::H5File> file;
  bool open = false;  // file is open and neither finished nor abandoned
  std::optional<Run> run;
  std::uint64_t run_id = 0;
  std::optional<Appender> summary;  // the root /summary, created at the first end_run
  std::vector<std::string> kpi_names;
  std::set<std::uint64_t> finished;  // runs already in the file when resumed
  bool write_failed = false;         // the system refused a write (WriteError was thrown)
  bool saved = false;                // abandon() closed the partial file cleanly
  bool completing = false;           // finish() may have set status "complete"

  // HDF5's C++ exceptions do not derive from std::exception; callers only know std ones.
  template <class F>
  void guarded(const std::string& what, F&& f) {
    try {
      f();
    } catch (const WriteError&) {  // the reserve could not grow: HDF5 is untouched
      write_failed = true;
      throw;
    } catch (const H5::Exception& e) {
      if (int err = hdf5_errno()) {
        write_failed = true;
        throw WriteError("cannot write the output file " + tmp + " (" + what + "): " + std::strerror(err), tmp, err);
      }
      throw std::runtime_error("HDF5 error " + what + " in " + tmp + ": " + hdf5_cause(e));
    }
  }

  // Follows the open file with the reserve, and the pipeline's writes with it.
  void attach() {
    reserve.attach(file->getId(), tmp);
    pipe.before_write = [this](std::uint64_t bytes) { reserve.ensure(bytes); };
  }

  // Flushes, then makes sure there is room for what comes next. The reserve stays in place
  // (it is cut back at the close only): truncating and reallocating it at every flush cost a
  // sweep of short runs three times its time in file-system journal waits.
  void flush_file() {
    file->flush(H5F_SCOPE_GLOBAL);
    reserve.ensure(0);
  }

  Run& current(const char* hook) {
    if (!run) {
      throw std::logic_error(std::string("Hdf5Recorder::") + hook + " called outside begin_run/end_run" +
                             (open ? "" : " (the recorder is already closed)"));
    }
    return *run;
  }

  // Best effort, never throws: keep everything written so far, mark it partial, and move it
  // out of the way of the final name. After a failed write the run under way is dropped
  // instead of flushed: the disk has no room for it, and --resume runs it again anyway.
  void abandon() noexcept {
    open = false;
    bool ok = true;
    if (run && write_failed) {
      pipe.discard();
      run.reset();  // closes its datasets (nothing of theirs is cached: chunks go straight to disk)
      try {
        file->unlink(run_group_name(run_id));  // frees its space for the metadata still to write
      } catch (...) {
      }
    } else if (run) {
      try {
        run->each_table([&](auto& t) { t.flush(); });
        pipe.drain();
      } catch (...) {
        pipe.discard();
        ok = false;
      }
    }
    run.reset();
    try {
      if (summary) summary->close();
    } catch (...) {
      ok = false;
    }
    summary.reset();
    if (file) {
      // finish() may have got as far as "complete". Otherwise the status is "partial" already,
      // and after a failed write rewriting it would only ask the full disk for more room.
      if (completing || !write_failed) {
        try {
          set_attr(*file, "status", "partial");
        } catch (...) {
          ok = false;
        }
      }
      try {
        ok = reserve.trim() && ok;  // metadata goes only where the reserve made room
        file->flush(H5F_SCOPE_GLOBAL);
      } catch (...) {
        ok = false;
      }
      try {
        file->close();
        file.reset();
      } catch (...) {
        ok = false;
        (void)file.release();  // its destructor would close the half-closed file again and crash
      }
    }
    std::error_code ec;
    fs::rename(tmp, path + ".partial", ec);  // on failure the .tmp stays, still marked partial
    saved = ok && !ec;
  }
};

Hdf5Recorder::Hdf5Recorder(std::string path, FileMetadata meta, Detail detail) : impl_(std::make_unique<Impl>()) {
  H5::Exception::dontPrint();  // errors become exceptions with messages; no stack dumps on stderr
  Impl& m = *impl_;
  m.path = std::move(path);
  m.tmp = m.path + ".tmp";
  m.detail = detail;

  std::error_code ec;
  if (fs::is_directory(m.path, ec)) throw std::runtime_error("cannot write the output file " + m.path + ": it is a directory");
  try {
    H5::FileCreatPropList fcpl;
    // Smaller chunk-index B-tree nodes: the default node (64 entries, ~2 KiB) dominates the size
    // of the many small per-run tables; a deeper tree for the few long ones costs nothing.
    fcpl.setIstorek(8);
    H5::FileAccPropList fapl;
    // Closing the file closes whatever is still open in it, so the bytes are on disk before a rename.
    fapl.setFcloseDegree(H5F_CLOSE_STRONG);
    m.file = std::make_unique<H5::H5File>(m.tmp, H5F_ACC_TRUNC, fcpl, fapl);
  } catch (const H5::Exception& e) {
    fs::path parent = fs::path(m.path).parent_path();
    std::string why = !parent.empty() && !fs::is_directory(parent, ec)
                          ? "directory " + parent.string() + " does not exist"
                          : hdf5_cause(e);
    throw std::runtime_error("cannot create the output file " + m.path + " (written first as " + m.tmp + "): " + why);
  }
  try {
    H5::H5File& f = *m.file;
    set_attr(f, "schema_version", kSchemaVersion);
    set_attr(f, "crowdsim_version", CROWDSIM_VERSION);
    set_attr(f, "git_commit", CROWDSIM_GIT_COMMIT);
    set_attr(f, "created_utc", utc_now());
    set_attr(f, "scenario", meta.scenario_json);
    set_attr(f, "status", "partial");
    set_attr(f, "detail", detail_name(detail));
    f.createGroup("runs");
    f.flush(H5F_SCOPE_GLOBAL);
    m.attach();
  } catch (const H5::Exception& e) {
    std::string why = hdf5_cause(e);
    try {
      m.file->close();
    } catch (...) {
    }
    m.file.reset();
    fs::remove(m.tmp, ec);  // nothing worth keeping: no run was written
    throw std::runtime_error("cannot write the output file " + m.tmp + ": " + why);
  }
  m.open = true;
}

Hdf5Recorder::~Hdf5Recorder() {
  if (impl_ && impl_->open) impl_->abandon();
}

bool Hdf5Recorder::save_partial() {
  if (impl_->open) impl_->abandon();
  return impl_->saved;
}

Hdf5Recorder::Hdf5Recorder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

const std::set<std::uint64_t>& Hdf5Recorder::finished_runs() const { return impl_->finished; }

std::uint64_t Hdf5Recorder::file_size() const {
  return impl_->open ? impl_->reserve.used() : 0;
}

std::unique_ptr<Hdf5Recorder> Hdf5Recorder::resume(std::string path, FileMetadata meta, Detail detail) {
  H5::Exception::dontPrint();
  auto m = std::make_unique<Impl>();
  m->path = std::move(path);
  m->tmp = m->path + ".tmp";
  m->detail = detail;
  std::string partial = m->path + ".partial";
  std::error_code ec;
  if (!fs::exists(partial, ec))
    throw sim::ConfigError("", "an interrupted output to resume (" + partial + ")", "no such file");
  try {
    auto file = std::make_unique<H5::H5File>(partial, H5F_ACC_RDWR);
    if (string_attr(*file, "scenario") != meta.scenario_json)
      throw sim::ConfigError("", "the scenario and settings that made " + partial,
                             "a different scenario (resume with the same file, --set and --seed options)");
    std::set<std::uint64_t> done;
    if (file->nameExists("summary")) {
      H5::DataSet ds = file->openDataSet("summary");
      hsize_t rows = 0;
      ds.getSpace().getSimpleExtentDims(&rows);
      std::vector<std::int64_t> ids(rows);
      H5::CompType key(sizeof(std::int64_t));
      key.insertMember("run_id", 0, H5::PredType::NATIVE_INT64);
      if (rows) ds.read(ids.data(), key);
      done.insert(ids.begin(), ids.end());
      H5::CompType ct = ds.getCompType();
      for (int i = 0; i < ct.getNmembers(); ++i) {
        std::string n = ct.getMemberName(static_cast<unsigned>(i));
        if (std::find(kSummaryKeys.begin(), kSummaryKeys.end(), n) == kSummaryKeys.end()) m->kpi_names.push_back(n);
      }
    }
    // A run that began but never ended is removed: it will be run again in full.
    H5::Group runs = file->openGroup("runs");
    std::vector<std::string> stale;
    for (hsize_t i = 0; i < runs.getNumObjs(); ++i) {
      std::string name = runs.getObjnameByIdx(i);
      if (!done.count(std::stoull(name))) stale.push_back(name);
    }
    for (const auto& name : stale) runs.unlink(name);
    file->flush(H5F_SCOPE_GLOBAL);
    file->close();
    m->finished = std::move(done);
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot resume " + partial + ": " + hdf5_cause(e));
  }
  // Work under the temporary name again: an interruption puts it back as .partial.
  fs::rename(partial, m->tmp, ec);
  if (ec) throw std::runtime_error("cannot rename " + partial + " to " + m->tmp + ": " + ec.message());
  H5::FileAccPropList fapl;
  fapl.setFcloseDegree(H5F_CLOSE_STRONG);
  try {
    m->file = std::make_unique<H5::H5File>(m->tmp, H5F_ACC_RDWR, H5::FileCreatPropList::DEFAULT, fapl);
    m->attach();
    if (!m->kpi_names.empty())
      m->summary.emplace(m->file->openGroup("/"), "summary", kpi_type(kSummaryKeys, m->kpi_names), nullptr);
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot reopen " + m->tmp + ": " + hdf5_cause(e));
  }
  m->open = true;
  return std::unique_ptr<Hdf5Recorder>(new Hdf5Recorder(std::move(m)));
}

models::Keeps Hdf5Recorder::keeps() const {
  return models::Keeps{impl_->detail == Detail::kFull, impl_->detail != Detail::kSummary};
}

void Hdf5Recorder::begin_run(const RunInfo& info) {
  Impl& m = *impl_;
  if (!m.open) throw std::logic_error("Hdf5Recorder::begin_run called after the recorder was closed");
  if (m.run) {
    throw std::logic_error("Hdf5Recorder::begin_run(" + std::to_string(info.run_id) + ") while run " +
                           std::to_string(m.run_id) + " is still open");
  }
  std::string name = run_group_name(info.run_id);
  m.guarded("creating " + name, [&] {
    m.reserve.ensure(0);
    if (m.file->nameExists(name)) throw std::runtime_error("run " + name + " already exists in " + m.tmp);
    H5::Group g = m.file->createGroup(name);
    set_attr(g, "seed", info.seed);
    set_attr(g, "replication", info.replication);
    set_attr(g, "point", info.point);
    set_attr(g, "params", info.params);
    set_attr(g, "assignment_policy", info.assignment_policy);
    set_attr(g, "incentive_policy", info.incentive_policy);
    set_attr(g, "detail", detail_name(m.detail));
    m.run.emplace(g, m.detail, m.pipe);
  });
  m.run_id = info.run_id;
}

void Hdf5Recorder::task(const TaskRecord& r) {
  Impl& m = *impl_;
  m.guarded("writing tasks", [&] { m.current("task").tasks.append(r); });
}

void Hdf5Recorder::assignment(const AssignmentRecord& r) {
  Impl& m = *impl_;
  m.guarded("writing assignments", [&] { m.current("assignment").assignments.append(r); });
}

void Hdf5Recorder::worker(const WorkerRecord& r) {
  Impl& m = *impl_;
  m.guarded("writing workers", [&] { m.current("worker").workers.append(r); });
}

void Hdf5Recorder::snapshot(const SnapshotRecord& r) {
  Impl& m = *impl_;
  m.guarded("writing timeseries", [&] { m.current("snapshot").timeseries.append(r); });
}

void Hdf5Recorder::alert(const AlertRecord& r) {
  Impl& m = *impl_;
  m.guarded("writing alerts", [&] { m.current("alert").alerts.append(r); });
}

void Hdf5Recorder::strategy(const StrategyRecord& r) {
  Impl& m = *impl_;
  m.guarded("writing strategies", [&] { m.current("strategy").strategies.append(r); });
}

void Hdf5Recorder::end_run(const RunInfo& info, const Kpis& kpis) {
  Impl& m = *impl_;
  Impl::Run& run = m.current("end_run");
  if (info.run_id != m.run_id) {
    throw std::logic_error("Hdf5Recorder::end_run(" + std::to_string(info.run_id) + ") but the open run is " +
                           std::to_string(m.run_id));
  }
  std::vector<std::string> names;
  std::vector<double> values;
  for (const auto& [n, v] : kpis) names.push_back(n), values.push_back(v);
  // Checked before anything is written, so a bad run leaves the file as it was.
  const std::string name = run_group_name(info.run_id);
  if (names.empty()) throw std::runtime_error("run " + name + " reports no KPIs; its summary row needs at least one");
  std::set<std::string> seen(kSummaryKeys.begin(), kSummaryKeys.end());
  for (const auto& n : names) {
    if (n.empty() || !seen.insert(n).second) {
      throw std::runtime_error("run " + name + " reports a KPI named \"" + n +
                               "\": KPI names must be non-empty, distinct and not run_id, point or replication");
    }
  }
  // /summary also carries the numeric swept parameters, between the keys and the KPIs.
  std::vector<std::string> columns;
  std::vector<double> row_values;
  for (const auto& [n, v] : info.swept) {
    if (n.empty() || !seen.insert(n).second)
      throw std::runtime_error("run " + name + " has a swept parameter named \"" + n +
                               "\" that is empty or clashes with a key or KPI column");
    columns.push_back(n), row_values.push_back(v);
  }
  columns.insert(columns.end(), names.begin(), names.end());
  row_values.insert(row_values.end(), values.begin(), values.end());
  if (m.summary && columns != m.kpi_names) {
    throw std::runtime_error("run " + name + " reports the columns (" + join(columns) + ") but earlier runs of " + m.tmp +
                             " reported (" + join(m.kpi_names) + "); one file has one set of summary columns");
  }

  // The run's rows reach the disk before its /summary row exists: a run in /summary is whole.
  m.guarded("ending " + name, [&] {
    set_attr(run.group, "events_processed", info.events_processed);
    set_attr(run.group, "wall_seconds", info.wall_seconds);
    Appender(run.group, "summary", kpi_type({}, names), 1).append(values.data(), 1);
    run.each_table([](auto& t) { t.flush(); });
    m.pipe.drain();
    run.each_table([](auto& t) { t.close(); });
    m.flush_file();
  });
  m.run.reset();
  m.guarded("recording " + name + " in /summary", [&] {
    if (!m.summary) {
      m.summary.emplace(m.file->openGroup("/"), "summary", kpi_type(kSummaryKeys, columns), 64);
      m.kpi_names = columns;
    }
    // int64 keys and float64 values share 8-byte slots; memcpy keeps it free of aliasing tricks.
    std::vector<std::uint64_t> row(kSummaryKeys.size() + row_values.size());
    const std::int64_t keys[3] = {static_cast<std::int64_t>(info.run_id), static_cast<std::int64_t>(info.point),
                                  static_cast<std::int64_t>(info.replication)};
    std::memcpy(row.data(), keys, sizeof keys);
    std::memcpy(row.data() + 3, row_values.data(), row_values.size() * sizeof(double));
    m.summary->append(row.data(), 1);
    m.flush_file();  // a crash now keeps this run
  });
}

const std::string& Hdf5Recorder::warnings() const { return impl_->warnings; }

void Hdf5Recorder::finish() {
  Impl& m = *impl_;
  if (!m.open) throw std::logic_error("Hdf5Recorder::finish called twice");
  if (m.run) {
    throw std::logic_error("Hdf5Recorder::finish called inside run " + std::to_string(m.run_id) +
                           " (call end_run first)");
  }
  // A failure here leaves `open` set, so the destructor still saves the file as .partial.
  m.completing = true;
  m.guarded("finishing", [&] {
    m.reserve.ensure(0);
    if (m.summary) m.summary->close();
    m.summary.reset();
    m.warnings = write_file_warnings(*m.file);
    set_attr(*m.file, "status", "complete");
    m.reserve.trim();
    m.file->flush(H5F_SCOPE_GLOBAL);
    m.file->close();
  });
  m.file.reset();
  m.open = false;
  std::error_code ec;
  fs::rename(m.tmp, m.path, ec);  // atomic on POSIX: replaces an older file in one step
  if (ec) {
    throw std::runtime_error("cannot rename " + m.tmp + " to " + m.path + ": " + ec.message() +
                             " (the complete output is in " + m.tmp + ")");
  }
}

}  // namespace crowdsim::io
