#include "io/hdf5_recorder.hpp"

#include <H5Cpp.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <vector>

namespace crowdsim::io {

using namespace models;

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

constexpr int kSchemaVersion = 1;
constexpr hsize_t kChunkRows = 4096;

H5::EnumType enum_type(const std::vector<std::string>& labels) {
  H5::EnumType t(H5::PredType::NATIVE_UINT8);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::uint8_t v = static_cast<std::uint8_t>(i);
    t.insert(labels[i], &v);
  }
  return t;
}

// The compound types, member names = field names of models/records.hpp, in order.
#define CROWDSIM_MEMBER(type, S, field, h5) type.insertMember(#field, HOFFSET(S, field), h5)

H5::CompType task_type() {
  H5::CompType t(sizeof(TaskRecord));
  const auto& I64 = H5::PredType::NATIVE_INT64;
  const auto& I32 = H5::PredType::NATIVE_INT32;
  const auto& F64 = H5::PredType::NATIVE_DOUBLE;
  CROWDSIM_MEMBER(t, TaskRecord, task_id, I64);
  CROWDSIM_MEMBER(t, TaskRecord, parent_id, I64);
  CROWDSIM_MEMBER(t, TaskRecord, type, I32);
  CROWDSIM_MEMBER(t, TaskRecord, created, F64);
  CROWDSIM_MEMBER(t, TaskRecord, deadline, F64);
  CROWDSIM_MEMBER(t, TaskRecord, expected_duration, F64);
  CROWDSIM_MEMBER(t, TaskRecord, redundancy, I32);
  CROWDSIM_MEMBER(t, TaskRecord, bounty, F64);
  CROWDSIM_MEMBER(t, TaskRecord, difficulty, F64);
  CROWDSIM_MEMBER(t, TaskRecord, first_assigned, F64);
  CROWDSIM_MEMBER(t, TaskRecord, closed, F64);
  CROWDSIM_MEMBER(t, TaskRecord, status, enum_type(task_status_labels()));
  CROWDSIM_MEMBER(t, TaskRecord, true_label, I32);
  CROWDSIM_MEMBER(t, TaskRecord, final_label, I32);
  CROWDSIM_MEMBER(t, TaskRecord, correct, H5::PredType::NATIVE_INT8);
  return t;
}

H5::CompType assignment_type() {
  H5::CompType t(sizeof(AssignmentRecord));
  const auto& I64 = H5::PredType::NATIVE_INT64;
  const auto& F64 = H5::PredType::NATIVE_DOUBLE;
  CROWDSIM_MEMBER(t, AssignmentRecord, task_id, I64);
  CROWDSIM_MEMBER(t, AssignmentRecord, worker_id, I64);
  CROWDSIM_MEMBER(t, AssignmentRecord, assigned, F64);
  CROWDSIM_MEMBER(t, AssignmentRecord, finished, F64);
  CROWDSIM_MEMBER(t, AssignmentRecord, duration, F64);
  CROWDSIM_MEMBER(t, AssignmentRecord, progress, F64);
  CROWDSIM_MEMBER(t, AssignmentRecord, effort, F64);
  CROWDSIM_MEMBER(t, AssignmentRecord, quality, F64);
  CROWDSIM_MEMBER(t, AssignmentRecord, review, F64);
  CROWDSIM_MEMBER(t, AssignmentRecord, reward, F64);
  CROWDSIM_MEMBER(t, AssignmentRecord, answer, H5::PredType::NATIVE_INT32);
  CROWDSIM_MEMBER(t, AssignmentRecord, abandoned, H5::PredType::NATIVE_INT8);
  return t;
}

H5::CompType worker_type() {
  H5::CompType t(sizeof(WorkerRecord));
  const auto& I64 = H5::PredType::NATIVE_INT64;
  const auto& F64 = H5::PredType::NATIVE_DOUBLE;
  CROWDSIM_MEMBER(t, WorkerRecord, worker_id, I64);
  CROWDSIM_MEMBER(t, WorkerRecord, arrived, F64);
  CROWDSIM_MEMBER(t, WorkerRecord, departed, F64);
  CROWDSIM_MEMBER(t, WorkerRecord, accuracy, F64);
  CROWDSIM_MEMBER(t, WorkerRecord, speed, F64);
  CROWDSIM_MEMBER(t, WorkerRecord, reservation_wage, F64);
  CROWDSIM_MEMBER(t, WorkerRecord, tasks_done, I64);
  CROWDSIM_MEMBER(t, WorkerRecord, earnings, F64);
  CROWDSIM_MEMBER(t, WorkerRecord, busy_time, F64);
  CROWDSIM_MEMBER(t, WorkerRecord, est_accuracy, F64);
  return t;
}

H5::CompType snapshot_type() {
  H5::CompType t(sizeof(SnapshotRecord));
  const auto& I64 = H5::PredType::NATIVE_INT64;
  const auto& F64 = H5::PredType::NATIVE_DOUBLE;
  CROWDSIM_MEMBER(t, SnapshotRecord, time, F64);
  CROWDSIM_MEMBER(t, SnapshotRecord, open_tasks, I64);
  CROWDSIM_MEMBER(t, SnapshotRecord, in_progress, I64);
  CROWDSIM_MEMBER(t, SnapshotRecord, online_workers, I64);
  CROWDSIM_MEMBER(t, SnapshotRecord, busy_workers, I64);
  CROWDSIM_MEMBER(t, SnapshotRecord, completed, I64);
  CROWDSIM_MEMBER(t, SnapshotRecord, cum_cost, F64);
  CROWDSIM_MEMBER(t, SnapshotRecord, mean_quality, F64);
  CROWDSIM_MEMBER(t, SnapshotRecord, accuracy, F64);
  return t;
}

H5::CompType alert_type() {
  H5::CompType t(sizeof(AlertRecord));
  CROWDSIM_MEMBER(t, AlertRecord, time, H5::PredType::NATIVE_DOUBLE);
  CROWDSIM_MEMBER(t, AlertRecord, kind, enum_type(alert_kind_labels()));
  CROWDSIM_MEMBER(t, AlertRecord, task_id, H5::PredType::NATIVE_INT64);
  CROWDSIM_MEMBER(t, AlertRecord, worker_id, H5::PredType::NATIVE_INT64);
  CROWDSIM_MEMBER(t, AlertRecord, value, H5::PredType::NATIVE_DOUBLE);
  return t;
}

#undef CROWDSIM_MEMBER

// A chunked, compressed, extendible 1-D dataset of compound rows, appended to in buffers of
// one chunk. Rows are raw bytes of `row_size`, so one class serves every table. The file type
// is the packed copy of the in-memory struct type: padding bytes (uninitialised) never reach
// the file, so identical runs give identical bytes.
class Table {
 public:
  Table(H5::Group& group, const char* name, const H5::CompType& type, bool keep)
      : type_(type), row_size_(type.getSize()), keep_(keep) {
    hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = kChunkRows;
    H5::DataSpace space(1, &dims, &maxdims);
    H5::DSetCreatPropList props;
    props.setChunk(1, &chunk);
    props.setShuffle();
    props.setDeflate(4);
    H5::CompType packed;
    packed.copy(type_);  // a real copy: the copy constructor would share the HDF5 id
    packed.pack();
    dataset_ = group.createDataSet(name, packed, space, props);
    buffer_.reserve(kChunkRows * row_size_);
  }
  void append(const void* row) {
    if (!keep_) return;
    const auto* bytes = static_cast<const unsigned char*>(row);
    buffer_.insert(buffer_.end(), bytes, bytes + row_size_);
    if (buffer_.size() >= kChunkRows * row_size_) flush();
  }
  void flush() {
    hsize_t count = buffer_.size() / row_size_;
    if (count == 0) return;
    hsize_t total = rows_ + count;
    dataset_.extend(&total);
    H5::DataSpace file_space = dataset_.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, &count, &rows_);
    H5::DataSpace mem_space(1, &count);
    dataset_.write(buffer_.data(), type_, mem_space, file_space);
    rows_ = total;
    buffer_.clear();
  }

 private:
  H5::CompType type_;
  std::size_t row_size_;
  bool keep_;
  H5::DataSet dataset_;
  std::vector<unsigned char> buffer_;
  hsize_t rows_ = 0;
};

// Packs a KPI row (optionally preceded by int64 key columns) as 8-byte fields.
H5::CompType kpi_type(const std::vector<std::string>& int_columns, const Kpis& kpis) {
  H5::CompType t(8 * (int_columns.size() + kpis.size()));
  std::size_t off = 0;
  for (const auto& c : int_columns) t.insertMember(c, off, H5::PredType::NATIVE_INT64), off += 8;
  for (const auto& [name, value] : kpis) t.insertMember(name, off, H5::PredType::NATIVE_DOUBLE), off += 8;
  return t;
}

template <class T>
void set_attr(H5::H5Object& obj, const char* name, const H5::PredType& type, T value) {
  H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  a.write(type, &value);
}

void set_attr(H5::H5Object& obj, const char* name, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  if (obj.attrExists(name)) obj.removeAttr(name);
  H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  a.write(type, value);
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

struct Hdf5Recorder::Impl {
  struct Run {
    H5::Group group;
    Table tasks, assignments, workers, timeseries, alerts;
  };

  std::string path, tmp;
  Detail detail;
  std::unique_ptr<H5::H5File> file;
  std::optional<Run> run;
  std::optional<Table> summary;  // the root /summary
  std::vector<std::string> kpi_names;
  bool open = true;

  void flush_run() {
    if (!run) return;
    run->tasks.flush();
    run->assignments.flush();
    run->workers.flush();
    run->timeseries.flush();
    run->alerts.flush();
  }
  void close(const char* status, const std::string& target) {
    if (!open) return;
    open = false;
    flush_run();
    run.reset();
    if (summary) summary->flush();
    summary.reset();
    set_attr(*file, "status", status);
    file->flush(H5F_SCOPE_GLOBAL);
    file->close();
    std::filesystem::rename(tmp, target);
  }
};

Hdf5Recorder::Hdf5Recorder(std::string path, FileMetadata meta, Detail detail) : impl_(std::make_unique<Impl>()) {
  H5::Exception::dontPrint();
  impl_->path = path;
  impl_->tmp = path + ".tmp";
  impl_->detail = detail;
  try {
    impl_->file = std::make_unique<H5::H5File>(impl_->tmp, H5F_ACC_TRUNC);
  } catch (const H5::Exception&) {
    throw std::runtime_error("cannot create the output file " + impl_->tmp +
                             " (does its directory exist, and may it be written?)");
  }
  H5::H5File& f = *impl_->file;
  set_attr(f, "schema_version", H5::PredType::NATIVE_INT32, kSchemaVersion);
  set_attr(f, "crowdsim_version", CROWDSIM_VERSION);
  set_attr(f, "git_commit", CROWDSIM_GIT_COMMIT);
  set_attr(f, "created_utc", utc_now());
  set_attr(f, "scenario", meta.scenario_json);
  set_attr(f, "status", "partial");
  set_attr(f, "detail", detail_name(detail));
  f.createGroup("runs");
}

Hdf5Recorder::~Hdf5Recorder() {
  try {
    impl_->close("partial", impl_->path + ".partial");
  } catch (...) {
    // A destructor must not throw; the .tmp file stays behind for inspection.
  }
}

void Hdf5Recorder::begin_run(const RunInfo& info) {
  char name[32];
  std::snprintf(name, sizeof name, "/runs/%06llu", static_cast<unsigned long long>(info.run_id));
  H5::Group g = impl_->file->createGroup(name);
  set_attr(g, "seed", H5::PredType::NATIVE_UINT64, info.seed);
  set_attr(g, "replication", H5::PredType::NATIVE_UINT32, info.replication);
  set_attr(g, "point", H5::PredType::NATIVE_UINT32, info.point);
  set_attr(g, "params", info.params);
  set_attr(g, "assignment_policy", info.assignment_policy);
  set_attr(g, "incentive_policy", info.incentive_policy);
  set_attr(g, "detail", detail_name(impl_->detail));
  Detail d = impl_->detail;
  impl_->run.emplace(Impl::Run{g, Table(g, "tasks", task_type(), d == Detail::kFull),
                               Table(g, "assignments", assignment_type(), d != Detail::kSummary),
                               Table(g, "workers", worker_type(), true), Table(g, "timeseries", snapshot_type(), true),
                               Table(g, "alerts", alert_type(), true)});
}

void Hdf5Recorder::task(const TaskRecord& r) { impl_->run->tasks.append(&r); }
void Hdf5Recorder::assignment(const AssignmentRecord& r) { impl_->run->assignments.append(&r); }
void Hdf5Recorder::worker(const WorkerRecord& r) { impl_->run->workers.append(&r); }
void Hdf5Recorder::snapshot(const SnapshotRecord& r) { impl_->run->timeseries.append(&r); }
void Hdf5Recorder::alert(const AlertRecord& r) { impl_->run->alerts.append(&r); }

void Hdf5Recorder::end_run(const RunInfo& info, const Kpis& kpis) {
  Impl& m = *impl_;
  H5::Group& g = m.run->group;
  set_attr(g, "events_processed", H5::PredType::NATIVE_UINT64, info.events_processed);
  set_attr(g, "wall_seconds", H5::PredType::NATIVE_DOUBLE, info.wall_seconds);

  std::vector<std::string> names;
  std::vector<double> values;
  for (const auto& [n, v] : kpis) names.push_back(n), values.push_back(v);
  {
    Table one(g, "summary", kpi_type({}, kpis), true);
    one.append(values.data());
    one.flush();
  }
  if (!m.summary) {
    m.kpi_names = names;
    H5::Group root = m.file->openGroup("/");
    m.summary.emplace(root, "summary", kpi_type({"run_id", "point", "replication"}, kpis), true);
  } else if (names != m.kpi_names) {
    throw std::logic_error("runs of one file must report the same KPIs");
  }
  std::vector<double> row(3 + values.size());
  std::int64_t keys[3] = {static_cast<std::int64_t>(info.run_id), info.point, info.replication};
  std::memcpy(row.data(), keys, sizeof keys);  // int64 columns share the 8-byte slots
  std::copy(values.begin(), values.end(), row.begin() + 3);
  m.summary->append(row.data());
  m.summary->flush();

  m.flush_run();
  m.run.reset();
  m.file->flush(H5F_SCOPE_GLOBAL);  // a crash from here on leaves this run readable
}

void Hdf5Recorder::finish() { impl_->close("complete", impl_->path); }

}  // namespace crowdsim::io
