#pragma once
/// \file The per-run row tables of the HDF5 recorder (private to io/: it includes H5Cpp.h):
/// each row struct's columns, and the table that streams its rows to the chunk pipeline.

#include <H5Cpp.h>

#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "io/chunk_writer.hpp"
#include "models/records.hpp"

namespace crowdsim::io::tables {

using namespace models;

// ---------------------------------------------------------------------------------------------
// Column types. One mapping from C++ field type to HDF5 type, so every table's columns have
// exactly the native type of their struct field and the two cannot drift apart.

inline H5::EnumType enum_type(const std::vector<std::string>& labels) {
  H5::EnumType t(H5::PredType::NATIVE_UINT8);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    auto v = static_cast<std::uint8_t>(i);
    t.insert(labels[i], &v);
  }
  return t;
}

template <class T>
void insert_column(H5::CompType& t, const char* name, std::size_t offset) {
  if constexpr (std::is_same_v<T, std::int64_t>) {
    t.insertMember(name, offset, H5::PredType::NATIVE_INT64);
  } else if constexpr (std::is_same_v<T, std::int32_t>) {
    t.insertMember(name, offset, H5::PredType::NATIVE_INT32);
  } else if constexpr (std::is_same_v<T, std::int8_t>) {
    t.insertMember(name, offset, H5::PredType::NATIVE_INT8);
  } else if constexpr (std::is_same_v<T, double>) {
    t.insertMember(name, offset, H5::PredType::NATIVE_DOUBLE);
  } else if constexpr (std::is_same_v<T, TaskStatus>) {
    static_assert(sizeof(TaskStatus) == 1, "enum columns are stored over uint8");
    t.insertMember(name, offset, enum_type(task_status_labels()));
  } else if constexpr (std::is_same_v<T, AlertKind>) {
    static_assert(sizeof(AlertKind) == 1, "enum columns are stored over uint8");
    t.insertMember(name, offset, enum_type(alert_kind_labels()));
  } else {
    static_assert(sizeof(T) == 0, "no HDF5 column type for this field type; add one here");
  }
}

// Member name = field name, type = the field's own type.
#define CROWDSIM_COLUMN(Row, field) insert_column<decltype(Row::field)>(t, #field, HOFFSET(Row, field))

// Everything the file needs to know about one per-run table, in one place per row struct:
// its dataset name, its chunk size in rows, and its columns (in the struct's order).
template <class Row>
struct TableSpec;

template <>
struct TableSpec<TaskRecord> {
  static constexpr const char* kName = "tasks";
  static constexpr hsize_t kChunkRows = 4096;
  static H5::CompType describe() {
    H5::CompType t(sizeof(TaskRecord));
    CROWDSIM_COLUMN(TaskRecord, task_id);
    CROWDSIM_COLUMN(TaskRecord, parent_id);
    CROWDSIM_COLUMN(TaskRecord, type);
    CROWDSIM_COLUMN(TaskRecord, created);
    CROWDSIM_COLUMN(TaskRecord, deadline);
    CROWDSIM_COLUMN(TaskRecord, expected_duration);
    CROWDSIM_COLUMN(TaskRecord, redundancy);
    CROWDSIM_COLUMN(TaskRecord, bounty);
    CROWDSIM_COLUMN(TaskRecord, difficulty);
    CROWDSIM_COLUMN(TaskRecord, first_assigned);
    CROWDSIM_COLUMN(TaskRecord, closed);
    CROWDSIM_COLUMN(TaskRecord, status);
    CROWDSIM_COLUMN(TaskRecord, true_label);
    CROWDSIM_COLUMN(TaskRecord, final_label);
    CROWDSIM_COLUMN(TaskRecord, correct);
    CROWDSIM_COLUMN(TaskRecord, late);
    CROWDSIM_COLUMN(TaskRecord, cost);
    return t;
  }
};

template <>
struct TableSpec<AssignmentRecord> {
  static constexpr const char* kName = "assignments";
  static constexpr hsize_t kChunkRows = 4096;
  static H5::CompType describe() {
    H5::CompType t(sizeof(AssignmentRecord));
    CROWDSIM_COLUMN(AssignmentRecord, task_id);
    CROWDSIM_COLUMN(AssignmentRecord, worker_id);
    CROWDSIM_COLUMN(AssignmentRecord, assigned);
    CROWDSIM_COLUMN(AssignmentRecord, finished);
    CROWDSIM_COLUMN(AssignmentRecord, duration);
    CROWDSIM_COLUMN(AssignmentRecord, progress);
    CROWDSIM_COLUMN(AssignmentRecord, effort);
    CROWDSIM_COLUMN(AssignmentRecord, delay);
    CROWDSIM_COLUMN(AssignmentRecord, quality);
    CROWDSIM_COLUMN(AssignmentRecord, review);
    CROWDSIM_COLUMN(AssignmentRecord, reward);
    CROWDSIM_COLUMN(AssignmentRecord, utility);
    CROWDSIM_COLUMN(AssignmentRecord, answer);
    CROWDSIM_COLUMN(AssignmentRecord, abandoned);
    CROWDSIM_COLUMN(AssignmentRecord, cancelled);
    return t;
  }
};

// The smaller tables get smaller chunks: an edge chunk is allocated (and compressed) whole,
// and most runs write only a handful of these rows. (At 1024 rows, deflating the partial
// chunks of a short run was 40% of its instructions; 256 rows of ~100 bytes is still a
// 25 KiB chunk, inside HDF5's advice of 10 KiB to 1 MiB.)
template <>
struct TableSpec<WorkerRecord> {
  static constexpr const char* kName = "workers";
  static constexpr hsize_t kChunkRows = 256;
  static H5::CompType describe() {
    H5::CompType t(sizeof(WorkerRecord));
    CROWDSIM_COLUMN(WorkerRecord, worker_id);
    CROWDSIM_COLUMN(WorkerRecord, group);
    CROWDSIM_COLUMN(WorkerRecord, arrived);
    CROWDSIM_COLUMN(WorkerRecord, departed);
    CROWDSIM_COLUMN(WorkerRecord, accuracy);
    CROWDSIM_COLUMN(WorkerRecord, speed);
    CROWDSIM_COLUMN(WorkerRecord, reservation_wage);
    CROWDSIM_COLUMN(WorkerRecord, tasks_done);
    CROWDSIM_COLUMN(WorkerRecord, abandoned);
    CROWDSIM_COLUMN(WorkerRecord, earnings);
    CROWDSIM_COLUMN(WorkerRecord, utility);
    CROWDSIM_COLUMN(WorkerRecord, busy_time);
    CROWDSIM_COLUMN(WorkerRecord, est_accuracy);
    return t;
  }
};

template <>
struct TableSpec<SnapshotRecord> {
  static constexpr const char* kName = "timeseries";
  static constexpr hsize_t kChunkRows = 256;
  static H5::CompType describe() {
    H5::CompType t(sizeof(SnapshotRecord));
    CROWDSIM_COLUMN(SnapshotRecord, time);
    CROWDSIM_COLUMN(SnapshotRecord, open_tasks);
    CROWDSIM_COLUMN(SnapshotRecord, in_progress);
    CROWDSIM_COLUMN(SnapshotRecord, online_workers);
    CROWDSIM_COLUMN(SnapshotRecord, busy_workers);
    CROWDSIM_COLUMN(SnapshotRecord, completed);
    CROWDSIM_COLUMN(SnapshotRecord, cum_cost);
    CROWDSIM_COLUMN(SnapshotRecord, mean_quality);
    CROWDSIM_COLUMN(SnapshotRecord, accuracy);
    return t;
  }
};

template <>
struct TableSpec<AlertRecord> {
  static constexpr const char* kName = "alerts";
  static constexpr hsize_t kChunkRows = 256;
  static H5::CompType describe() {
    H5::CompType t(sizeof(AlertRecord));
    CROWDSIM_COLUMN(AlertRecord, time);
    CROWDSIM_COLUMN(AlertRecord, kind);
    CROWDSIM_COLUMN(AlertRecord, task_id);
    CROWDSIM_COLUMN(AlertRecord, worker_id);
    CROWDSIM_COLUMN(AlertRecord, value);
    return t;
  }
};

template <>
struct TableSpec<StrategyRecord> {
  static constexpr const char* kName = "strategies";
  static constexpr hsize_t kChunkRows = 256;
  static H5::CompType describe() {
    H5::CompType t(sizeof(StrategyRecord));
    CROWDSIM_COLUMN(StrategyRecord, group);
    CROWDSIM_COLUMN(StrategyRecord, type);
    CROWDSIM_COLUMN(StrategyRecord, speed);
    CROWDSIM_COLUMN(StrategyRecord, accuracy);
    CROWDSIM_COLUMN(StrategyRecord, reservation_wage);
    CROWDSIM_COLUMN(StrategyRecord, workers);
    CROWDSIM_COLUMN(StrategyRecord, effort);
    CROWDSIM_COLUMN(StrategyRecord, delay);
    CROWDSIM_COLUMN(StrategyRecord, expected_time);
    CROWDSIM_COLUMN(StrategyRecord, expected_quality);
    CROWDSIM_COLUMN(StrategyRecord, expected_pay);
    CROWDSIM_COLUMN(StrategyRecord, expected_utility);
    CROWDSIM_COLUMN(StrategyRecord, converged);
    return t;
  }
};

#undef CROWDSIM_COLUMN

// ---------------------------------------------------------------------------------------------
// Tables.

// A per-run table of Row: rows accumulate in a buffer of one chunk, which goes to the chunk
// pipeline when full and on flush() (compressed there on other threads, written in order:
// io/chunk_writer.hpp), so memory holds a few chunks, not the run's history. A table that its
// detail level drops is still created (a stable schema) but ignores rows.
// The file type is the packed copy of the in-memory type: struct padding (whose bytes are
// indeterminate) never reaches the file, so identical runs give identical dataset bytes.
template <class Row>
class Table {
 public:
  using Spec = TableSpec<Row>;
  static_assert(std::is_trivially_copyable_v<Row>, "rows are written as raw memory");

  Table(const H5::Group& run, bool keep, ChunkPipeline& pipe) : pipe_(pipe), keep_(keep) {
    H5::CompType mem = Spec::describe();
    hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = Spec::kChunkRows;
    H5::DataSpace space(1, &dims, &maxdims);
    H5::DSetCreatPropList props;
    props.setChunk(1, &chunk);
    if (pipe.codec().shuffle) props.setShuffle();
    if (pipe.codec().level > 0) props.setDeflate(pipe.codec().level);
    H5::CompType packed;
    packed.copy(mem);  // a real copy: the copy constructor would share (and pack) mem's id
    packed.pack();
    dataset_ = run.createDataSet(Spec::kName, packed, space, props);
    // The same for every table of this Row (offsets only, no HDF5 ids): made once per process.
    static const std::shared_ptr<const PackPlan> plan = std::make_shared<const PackPlan>(PackPlan::of(mem, packed, chunk));
    plan_ = plan;
  }

  void append(const Row& row) {
    if (!keep_) return;
    // Room for a whole chunk, left uninitialised (the rows fill it), handed to the pipeline
    // as it is when full: no copy on the simulation's thread.
    if (!chunk_) chunk_.reset(new unsigned char[Spec::kChunkRows * sizeof(Row)]);
    std::memcpy(chunk_.get() + n_ * sizeof(Row), &row, sizeof(Row));
    if (++n_ >= Spec::kChunkRows) flush();
  }

  // Hands the buffered rows to the pipeline as the next chunk. A partial chunk is the table's
  // last (end of run), so chunks never overlap.
  void flush() {
    if (n_ == 0) return;
    hsize_t total = rows_ + n_;
    dataset_.extend(&total);
    // The chunk is the pipeline's from here on (queued even when submit throws writing older
    // ones): the table moves on first, so it never holds a count without its rows. The next
    // row allocates the next chunk.
    std::size_t n = std::exchange(n_, 0);
    hsize_t first = std::exchange(rows_, total);
    pipe_.submit(dataset_.getId(), first, plan_, std::move(chunk_), n);
  }

  // Closes the dataset, reporting errors (the destructor would only print them).
  void close() { dataset_.close(); }

 private:
  ChunkPipeline& pipe_;
  bool keep_;
  H5::DataSet dataset_;
  std::shared_ptr<const PackPlan> plan_;
  hsize_t rows_ = 0;
  std::unique_ptr<unsigned char[]> chunk_;  // the rows of the chunk being filled, raw
  std::size_t n_ = 0;                       // how many
};

}  // namespace crowdsim::io::tables
