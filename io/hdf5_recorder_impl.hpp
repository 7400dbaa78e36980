#pragma once
/// \file The state of an Hdf5Recorder, shared by its two halves (private to io/: it includes
/// HDF5): hdf5_recorder.cpp opens, resumes, finishes and abandons the file; hdf5_recorder_runs.cpp
/// writes the runs into it (begin_run, the row hooks, end_run and its /summary row).

#include <H5Cpp.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "io/chunk_writer.hpp"
#include "io/hdf5_appender.hpp"
#include "io/hdf5_recorder.hpp"
#include "io/hdf5_tables.hpp"
#include "io/hdf5_util.hpp"
#include "io/run_warnings.hpp"

namespace crowdsim::io {

/// The key columns of /summary, before the swept parameters and the KPIs.
inline const std::vector<std::string> kSummaryKeys{"run_id", "point", "replication"};

/// How output files are created and opened (hdf5_recorder.cpp): the recorder's and salvage's.
H5::FileCreatPropList output_fcpl();
H5::FileAccPropList output_fapl();

/// "/runs/000042": a run's group.
inline std::string run_group_name(std::uint64_t run_id) {
  char name[40];
  std::snprintf(name, sizeof name, "/runs/%06llu", static_cast<unsigned long long>(run_id));
  return name;
}

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
    tables::Table<models::TaskRecord> tasks;
    tables::Table<models::AssignmentRecord> assignments;
    tables::Table<models::WorkerRecord> workers;
    tables::Table<models::SnapshotRecord> timeseries;
    tables::Table<models::AlertRecord> alerts;
    tables::Table<models::StrategyRecord> strategies;
  };

  std::string path, tmp;
  std::string warnings;  // the "warnings" attribute, once finished
  Detail detail = Detail::kFull;
  ChunkPipeline pipe{default_writer_threads(), default_codec()};
  FileReserve reserve;  // room on disk ahead of HDF5 (io/chunk_writer.hpp)
  std::unique_ptr<H5::H5File> file;
  bool open = false;  // file is open and neither finished nor abandoned
  std::optional<Run> run;
  std::uint64_t run_id = 0;
  std::optional<Appender> summary;  // the root /summary, created at the first end_run
  std::vector<std::string> kpi_names;
  std::set<std::uint64_t> finished;  // runs already in the file when resumed
  // The file's "warnings", counted as the runs end (in run-id order, as write_file_warnings
  // counts them): reading every run's workers back at finish() was serial time at the end of
  // every sweep. Unset for a resumed file, whose earlier runs only the file knows.
  std::optional<WarningCounter> tally;
  std::vector<double> group_tasks;  // the open run's tasks done, by worker group
  std::size_t unconverged = 0;      // the open run's strategies with converged = 0
  std::optional<std::uint64_t> last_tallied;
  bool write_failed = false;         // the system refused a write (WriteError was thrown)
  bool saved = false;                // abandon() closed the partial file cleanly
  bool resumed = false;              // made by resume(): path.partial is this file's own past
  Salvaged salvaged;                 // what resume() salvaged from a killed writer's path.tmp
  bool completing = false;           // finish() may have set status "complete"

  // HDF5's C++ exceptions do not derive from std::exception; callers only know std ones.
  // `what` is a view: the row hooks call this for every row, and a std::string made of
  // "writing assignments" (past the short-string buffer) was a malloc and a free per row.
  template <class F>
  void guarded(std::string_view what, F&& f) {
    try {
      f();
    } catch (const WriteError&) {  // the reserve could not grow: HDF5 is untouched
      write_failed = true;
      throw;
    } catch (const H5::Exception& e) {
      if (int err = hdf5_errno()) {
        write_failed = true;
        throw WriteError("cannot write the output file " + tmp + " (" + std::string(what) + "): " + std::strerror(err), tmp,
                         err);
      }
      throw std::runtime_error("HDF5 error " + std::string(what) + " in " + tmp + ": " + hdf5_cause(e));
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
  // out of the way of the final name (hdf5_recorder.cpp).
  void abandon() noexcept;
};

}  // namespace crowdsim::io
