#include "io/hdf5_recorder.hpp"

// Writing the runs into the file: a run's group and its tables (begin_run), its rows (the row
// hooks, buffered and streamed by io/hdf5_tables.hpp), its KPIs and its /summary row (end_run).
// The file's own life (create, resume, finish, abandon): hdf5_recorder.cpp.

#include "io/hdf5_recorder_impl.hpp"

#include <H5Cpp.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace crowdsim::io {

using namespace models;

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

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
  m.group_tasks.clear();
  m.unconverged = 0;
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
  count_tasks(m.group_tasks, r);  // as write_file_warnings sums the workers table (always kept)
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
  m.unconverged += r.converged == 0;  // as write_file_warnings reads the strategies table
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
    Appender run_summary(run.group, "summary", kpi_type({}, names), 1);
    run_summary.before_write = m.pipe.before_write;
    run_summary.append(values.data(), 1);
    run.each_table([](auto& t) { t.flush(); });
    m.pipe.drain();
    run.each_table([](auto& t) { t.close(); });
    m.flush_file();
  });
  m.run.reset();
  m.guarded("recording " + name + " in /summary", [&] {
    if (!m.summary) {
      m.summary.emplace(m.file->openGroup("/"), "summary", kpi_type(kSummaryKeys, columns), 64);
      m.summary->before_write = m.pipe.before_write;
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
  if (m.tally && m.last_tallied && info.run_id <= *m.last_tallied) m.tally.reset();  // out of order: read back at finish
  if (m.tally) {
    m.tally->add(info.run_id, kpis, m.group_tasks, m.unconverged);
    m.last_tallied = info.run_id;
  }
}

}  // namespace crowdsim::io
