#include "io/hdf5_recorder.hpp"

// The file's life: created (or resumed from path.partial), finished and renamed to its path,
// or abandoned as path.partial. Writing the runs into it: hdf5_recorder_runs.cpp.

#include "crowdsim_commit.hpp"  // generated at build time
#include "io/file_warnings.hpp"
#include "io/hdf5_recorder_impl.hpp"
#include "sim/config.hpp"

#include <H5Cpp.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <vector>

namespace crowdsim::io {

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

constexpr std::int32_t kSchemaVersion = 1;

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

// Smaller chunk-index B-tree nodes: the default node (64 entries, ~2 KiB) dominates the size
// of the many small per-run tables; a deeper tree for the few long ones costs nothing.
H5::FileCreatPropList output_fcpl() {
  H5::FileCreatPropList fcpl;
  fcpl.setIstorek(8);
  return fcpl;
}

// How the output file is opened, created or resumed: closing the file closes whatever is still
// open in it, so the bytes are on disk before a rename; and a closed run's objects leave HDF5's
// metadata cache (evict on close). Each flush (two per run, so a crash keeps every finished run)
// walks every entry of that cache, so a sweep's writer got slower with each run it had written:
// 5.5% of a 480-run sweep's CPU samples went to that walk (docs/performance.md, "Sweeps on two
// threads"). Datasets and file size are the same either way. A parallel HDF5 before 1.14.3 refuses
// evict on close: then the cache keeps the entries, as before.
H5::FileAccPropList output_fapl() {
  H5::FileAccPropList fapl;
  fapl.setFcloseDegree(H5F_CLOSE_STRONG);
  (void)H5Pset_evict_on_close(fapl.getId(), 1);
  return fapl;
}

// Keeps everything written so far, marks it partial, and moves it out of the way of the final
// name. After a failed write the run under way is dropped instead of flushed: the disk has no
// room for it, and --resume runs it again anyway.
void Hdf5Recorder::Impl::abandon() noexcept {
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

namespace {

// Room for a new file's first objects, probed with plain writes before HDF5 makes them: when a
// write fails while HDF5 creates its first groups and flushes them, closing the file crashes it
// (exit 139 on a file-size limit of a few kilobytes, an audit found). A disk or a limit without
// this much room is a write failure (exit 3) with its cause, and nothing is left behind.
void probe_room(const std::string& tmp) {
  constexpr std::size_t kRoom = 64 * 1024;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;  // HDF5 reports it, with the cause
  static const std::vector<char> zeros(kRoom, 0);
  std::size_t done = 0;
  int err = 0;
  while (done < kRoom) {
    ssize_t n = ::pwrite(fd, zeros.data() + done, kRoom - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      err = n < 0 ? errno : ENOSPC;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::error_code ec;
  fs::remove(tmp, ec);
  if (err)
    throw WriteError("cannot write the output file " + tmp + ": " + std::strerror(err) + " (no room for its first " +
                         std::to_string(kRoom / 1024) + " KiB)",
                     tmp, err);
}

// HDF5's failure in making file `tmp`: its cause (read from HDF5's error stack, so before
// anything else calls HDF5) and the system's errno, if it gave one.
struct Failure {
  std::string cause;
  int err;
  explicit Failure(const H5::Exception& e) : cause(hdf5_cause(e)), err(hdf5_errno()) {
    if (err) cause += std::string(" (") + std::strerror(err) + ")";
  }
  // Told as `what` + the cause: a WriteError (exit 3) when the system refused the write.
  [[noreturn]] void raise(const std::string& what, const std::string& tmp) const {
    if (err == ENOSPC || err == EFBIG || err == EIO || err == EDQUOT) throw WriteError(what + cause, tmp, err);
    throw std::runtime_error(what + cause);
  }
};

}  // namespace

Hdf5Recorder::Hdf5Recorder(std::string path, FileMetadata meta, Detail detail) : impl_(std::make_unique<Impl>()) {
  H5::Exception::dontPrint();  // errors become exceptions with messages; no stack dumps on stderr
  Impl& m = *impl_;
  m.path = std::move(path);
  m.tmp = m.path + ".tmp";
  m.detail = detail;

  std::error_code ec;
  if (fs::is_directory(m.path, ec)) throw std::runtime_error("cannot write the output file " + m.path + ": it is a directory");
  probe_room(m.tmp);
  try {
    m.file = std::make_unique<H5::H5File>(m.tmp, H5F_ACC_TRUNC, output_fcpl(), output_fapl());
  } catch (const H5::Exception& e) {
    const Failure failure(e);
    fs::path parent = fs::path(m.path).parent_path();
    std::string what = "cannot create the output file " + m.path + " (written first as " + m.tmp + "): ";
    if (!parent.empty() && !fs::is_directory(parent, ec))
      throw std::runtime_error(what + "directory " + parent.string() + " does not exist");
    if (fs::exists(m.tmp, ec) && fs::file_size(m.tmp, ec) == 0) fs::remove(m.tmp, ec);  // ours, and empty
    failure.raise(what, m.tmp);
  }
  try {
    H5::H5File& f = *m.file;
    set_attr(f, "schema_version", kSchemaVersion);
    set_attr(f, "crowdsim_version", CROWDSIM_VERSION);
    set_attr(f, "git_commit", CROWDSIM_GIT_COMMIT);
    set_attr(f, "created_utc", utc_now());
    set_attr(f, "scenario", meta.scenario_json);
    m.tally.emplace(group_names(meta.scenario_json));
    set_attr(f, "status", "partial");
    set_attr(f, "detail", detail_name(detail));
    f.createGroup("runs");
    f.flush(H5F_SCOPE_GLOBAL);
    m.attach();
  } catch (const H5::Exception& e) {
    const Failure failure(e);  // before the close below writes HDF5's error stack again
    bool closed = true;
    try {
      m.file->close();
    } catch (...) {
      closed = false;
    }
    // A file whose close failed must not be closed again by its destructor (HDF5 crashes there,
    // exit 139, on a file-size limit of a few kilobytes): it is let go, the process ends soon.
    if (closed) m.file.reset();
    else static_cast<void>(m.file.release());
    fs::remove(m.tmp, ec);  // nothing worth keeping: no run was written
    failure.raise("cannot write the output file " + m.tmp + ": ", m.tmp);
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
  m->resumed = true;
  if (needs_salvage(m->path)) m->salvaged = salvage_output(m->tmp, partial, meta.scenario_json);
  if (!fs::exists(partial, ec))
    throw sim::ConfigError("", "an interrupted output to resume (" + partial + ", or " + m->tmp + " left by a killed run)",
                           "neither file");
  try {
    auto file = std::make_unique<H5::H5File>(partial, H5F_ACC_RDWR);
    if (string_attr(*file, "scenario") != meta.scenario_json)
      throw sim::ConfigError("", "the scenario and settings that made " + partial,
                             "a different scenario (resume with the same file, --set and --seed options)");
    std::set<std::uint64_t> done;
    if (file->nameExists("summary")) {
      std::vector<std::int64_t> ids = summary_run_ids(*file);
      done.insert(ids.begin(), ids.end());
      H5::CompType ct = file->openDataSet("summary").getCompType();
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
  try {
    m->file = std::make_unique<H5::H5File>(m->tmp, H5F_ACC_RDWR, H5::FileCreatPropList::DEFAULT, output_fapl());
    m->attach();
    if (!m->kpi_names.empty()) {
      m->summary.emplace(m->file->openGroup("/"), "summary", kpi_type(kSummaryKeys, m->kpi_names), nullptr);
      m->summary->before_write = m->pipe.before_write;
    }
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot reopen " + m->tmp + ": " + hdf5_cause(e));
  }
  m->open = true;
  return std::unique_ptr<Hdf5Recorder>(new Hdf5Recorder(std::move(m)));
}

const Salvaged& Hdf5Recorder::salvaged() const { return impl_->salvaged; }

const std::string& Hdf5Recorder::warnings() const { return impl_->warnings; }

void Hdf5Recorder::finish(const std::vector<std::pair<std::string, std::string>>& extra) {
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
    if (m.tally) {
      m.warnings = m.tally->json();
      set_attr(*m.file, "warnings", m.warnings);
    } else {
      m.warnings = write_file_warnings(*m.file);
    }
    for (const auto& [name, text] : extra) set_attr(*m.file, name.c_str(), text);
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
  if (!m.resumed) fs::remove(m.path + ".partial", ec);  // an earlier attempt's, started again (--force)
}

}  // namespace crowdsim::io
