#include "io/salvage.hpp"

// Rebuilding OUT.partial from an OUT.tmp its writer never closed. The crashed file is only read:
// HDF5 wrote its metadata when it chose to, so the file holds a mix of what it had written at the
// last flush and after. A finished run's own objects are written before its /summary row and never
// touched again, so each one listed there is checked and copied on its own into a new file.

#include "io/hdf5_recorder_impl.hpp"
#include "io/plane_deflate.hpp"
#include "sim/config.hpp"

#include <H5Cpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <vector>

namespace crowdsim::io {

namespace fs = std::filesystem;

namespace {

// When nothing of the file can be read back, what is left to do.
constexpr const char* kStartAgain = " (nothing in it can be kept: run again with --force instead of --resume)";

std::int64_t int_attr(const H5::H5Object& obj, const char* name) {
  std::int64_t v = 0;
  obj.openAttribute(name).read(H5::PredType::NATIVE_INT64, &v);
  return v;
}

// The position of the deflate filter in a chunked dataset's pipeline (its bit in a chunk's
// filter mask), or -1.
int deflate_filter(const H5::DataSet& ds) {
  H5::DSetCreatPropList props = ds.getCreatePlist();
  if (props.getLayout() != H5D_CHUNKED) return -1;
  for (int i = 0; i < props.getNfilters(); ++i) {
    unsigned flags = 0, config = 0;
    std::size_t n = 0;
    if (H5Pget_filter2(props.getId(), static_cast<unsigned>(i), &flags, &n, nullptr, 0, nullptr, &config) == H5Z_FILTER_DEFLATE)
      return i;
  }
  return -1;
}

// Every chunk of a deflated 1-D dataset inflates whole with its checksum right: a torn chunk, or an
// index entry pointing at the wrong bytes, fails here. Raw chunks inflated, not read through the
// whole pipeline: the shuffle and the type conversion cannot fail, and skipping them makes this
// several times faster (docs/reproducibility.md).
bool chunks_inflate(const H5::DataSet& ds, int deflate) {
  hsize_t rows = 0, chunk_rows = 0;
  ds.getSpace().getSimpleExtentDims(&rows);
  ds.getCreatePlist().getChunk(1, &chunk_rows);
  const std::size_t capacity = static_cast<std::size_t>(chunk_rows) * ds.getDataType().getSize();
  std::vector<unsigned char> in, out(capacity);
  for (hsize_t first = 0; first < rows; first += chunk_rows) {
    hsize_t bytes = 0;
    std::uint32_t mask = 0;
    if (H5Dget_chunk_storage_size(ds.getId(), &first, &bytes) < 0 || bytes == 0) return false;
    in.resize(static_cast<std::size_t>(bytes));
    if (H5Dread_chunk(ds.getId(), H5P_DEFAULT, &first, &mask, in.data()) < 0) return false;
    if (mask & (1u << deflate)) continue;  // stored as it is (deflating made it no smaller): no checksum
    if (!inflates(in.data(), in.size(), out.data(), capacity)) return false;
  }
  return true;
}

// Every dataset of `g` and its subgroups reads back: deflated row tables by chunks_inflate, any
// other dataset through HDF5 whole.
bool group_reads_back(const H5::Group& g) {
  for (hsize_t i = 0; i < g.getNumObjs(); ++i) {
    std::string name = g.getObjnameByIdx(i);
    H5G_obj_t kind = g.getObjTypeByIdx(i);
    if (kind == H5G_GROUP && !group_reads_back(g.openGroup(name))) return false;
    if (kind != H5G_DATASET) continue;
    H5::DataSet ds = g.openDataSet(name);
    int deflate = deflate_filter(ds);
    if (deflate >= 0 && ds.getSpace().getSimpleExtentNdims() == 1) {
      if (!chunks_inflate(ds, deflate)) return false;
    } else {
      H5::DataType type = ds.getDataType();
      std::vector<unsigned char> buf(static_cast<std::size_t>(ds.getSpace().getSelectNpoints()) * type.getSize());
      ds.read(buf.data(), type);
    }
  }
  return true;
}

// The checks of a run listed in /summary (salvage.hpp): true when it can be kept.
bool whole_run(const H5::Group& run, const H5::CompType& row_type, const unsigned char* row) {
  if (!run.attrExists("events_processed") || !run.attrExists("wall_seconds") || !run.nameExists("summary")) return false;
  std::int64_t point = 0, replication = 0;
  std::memcpy(&point, row + 8, 8);
  std::memcpy(&replication, row + 16, 8);
  if (int_attr(run, "point") != point || int_attr(run, "replication") != replication) return false;
  H5::DataSet own = run.openDataSet("summary");
  hsize_t n = 0;
  own.getSpace().getSimpleExtentDims(&n);
  H5::CompType own_file = own.getCompType();
  std::vector<std::string> names;
  for (int i = 0; i < own_file.getNmembers(); ++i) names.push_back(own_file.getMemberName(static_cast<unsigned>(i)));
  if (n != 1 || names.empty()) return false;
  std::vector<double> kpis(names.size());
  own.read(kpis.data(), kpi_type({}, names));
  for (std::size_t i = 0; i < names.size(); ++i) {
    int at = row_type.getMemberIndex(names[i]);  // throws when /summary has no such column
    std::size_t offset = row_type.getMemberOffset(static_cast<unsigned>(at));
    if (std::memcmp(row + offset, &kpis[i], 8) != 0) return false;
  }
  return group_reads_back(run);
}

// The root attributes of `from` but its status and warnings (written when a file is completed).
void copy_root_attributes(const H5::H5File& from, H5::H5File& to) {
  for (int i = 0; i < from.getNumAttrs(); ++i) {
    H5::Attribute a = from.openAttribute(static_cast<unsigned>(i));
    std::string name = a.getName();
    if (name == "status" || name == "warnings") continue;
    if (a.getTypeClass() == H5T_STRING) {
      std::string value;
      a.read(a.getStrType(), value);
      set_attr(to, name.c_str(), value);
    } else {
      H5::DataType type = a.getDataType();
      std::vector<unsigned char> value(type.getSize() * static_cast<std::size_t>(a.getSpace().getSelectNpoints()));
      a.read(type, value.data());
      to.createAttribute(name, type, a.getSpace()).write(type, value.data());
    }
  }
}

// The new file is at most about as large as the old one: refused up front (WriteError, as a full
// disk is) when the file system's free space or the file-size limit (ulimit -f) is smaller, so a
// write never fails halfway, where HDF5 would report it less clearly.
void check_room(const std::string& tmp, const std::string& rebuilt) {
  std::error_code ec;
  const std::uintmax_t need = fs::file_size(tmp, ec) + (1u << 20);
  if (ec) return;
  fs::path dir = fs::absolute(rebuilt, ec).parent_path();
  fs::space_info space = fs::space(dir, ec);
  auto mb = [](std::uintmax_t b) { return std::to_string(b / 1000000) + " MB"; };
  if (!ec && space.available < need)
    throw WriteError("cannot salvage " + tmp + ": the new " + rebuilt + " needs up to " + mb(need) + " and " +
                         dir.string() + " has " + mb(space.available) + " free (" + tmp +
                         " is left as it was: make room and run with --resume again)",
                     rebuilt, ENOSPC);
  rlimit limit{};
  if (getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < need)
    throw WriteError("cannot salvage " + tmp + ": the new " + rebuilt + " needs up to " + mb(need) +
                         ", above the file-size limit of " + mb(limit.rlim_cur) + " (" + tmp +
                         " is left as it was: raise the limit and run with --resume again)",
                     rebuilt, EFBIG);
}

}  // namespace

bool needs_salvage(const std::string& path) {
  std::error_code ec;
  return !fs::exists(path + ".partial", ec) && fs::exists(path + ".tmp", ec);
}

Salvaged salvage_output(const std::string& tmp, const std::string& partial, const std::string& scenario_json) {
  H5::Exception::dontPrint();
  const std::string rebuilt = partial + ".salvage";
  Salvaged result;
  std::unique_ptr<H5::H5File> src;
  try {
    src = std::make_unique<H5::H5File>(tmp, H5F_ACC_RDONLY);
  } catch (const H5::Exception& e) {
    int err = hdf5_errno();
    if (err == EAGAIN || err == EWOULDBLOCK)
      throw std::runtime_error("cannot salvage " + tmp + ": it is open in another process (is a crowdsim run still writing it?)");
    throw std::runtime_error("cannot salvage " + tmp + ": " + hdf5_cause(e) + kStartAgain);
  }
  // /summary as written by the recorder: int64 keys, then a float64 per column, 8-byte slots.
  std::vector<std::string> columns;
  std::vector<unsigned char> rows;
  hsize_t n = 0;
  try {
    if (string_attr(*src, "scenario") != scenario_json)
      throw sim::ConfigError("", "the scenario and settings that made " + tmp,
                             "a different scenario (resume with the same file, --set and --seed options)");
    if (src->nameExists("summary")) {
      H5::DataSet ds = src->openDataSet("summary");
      H5::CompType file_type = ds.getCompType();
      for (int i = static_cast<int>(kSummaryKeys.size()); i < file_type.getNmembers(); ++i)
        columns.push_back(file_type.getMemberName(static_cast<unsigned>(i)));
      ds.getSpace().getSimpleExtentDims(&n);
      rows.resize(static_cast<std::size_t>(n) * 8 * (kSummaryKeys.size() + columns.size()));
      if (n) ds.read(rows.data(), kpi_type(kSummaryKeys, columns));
    }
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot salvage " + tmp + ": " + hdf5_cause(e) + kStartAgain);
  }
  check_room(tmp, rebuilt);
  try {
    const H5::CompType row_type = kpi_type(kSummaryKeys, columns);
    const std::size_t row_size = row_type.getSize();
    H5::H5File dst(rebuilt, H5F_ACC_TRUNC, output_fcpl(), output_fapl());
    copy_root_attributes(*src, dst);
    set_attr(dst, "status", "partial");
    H5::Group dst_runs = dst.createGroup("runs");
    H5::Group src_runs = src->openGroup("runs");
    std::vector<unsigned char> kept;
    std::set<std::int64_t> seen;
    for (hsize_t r = 0; r < n; ++r) {
      const unsigned char* row = rows.data() + r * row_size;
      std::int64_t id = 0;
      std::memcpy(&id, row, 8);
      std::string name = run_group_name(static_cast<std::uint64_t>(id)).substr(6);  // "/runs/000042" -> "000042"
      bool ok = id >= 0 && seen.insert(id).second;
      try {
        ok = ok && src_runs.nameExists(name) && whole_run(src_runs.openGroup(name), row_type, row) &&
             H5Ocopy(src_runs.getId(), name.c_str(), dst_runs.getId(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT) >= 0;
      } catch (const H5::Exception&) {  // something of it does not read
        ok = false;
      }
      if (!ok) {
        // This run and the later ones are run again: resuming appends the missing runs to
        // /summary, which then stays in the order of an uninterrupted run.
        result.dropped = static_cast<std::size_t>(n - r);
        if (H5Lexists(dst_runs.getId(), name.c_str(), H5P_DEFAULT) > 0) dst_runs.unlink(name);
        break;
      }
      kept.insert(kept.end(), row, row + row_size);
      ++result.kept;
    }
    if (result.kept > 0) {
      Appender summary(dst.openGroup("/"), "summary", row_type, 64);  // as the recorder makes it
      summary.append(kept.data(), result.kept);
      summary.close();
    }
    dst.flush(H5F_SCOPE_GLOBAL);
    dst.close();
  } catch (const H5::Exception& e) {  // writing the new file failed: the old one is as it was
    std::string why = hdf5_cause(e);
    std::error_code ec;
    fs::remove(rebuilt, ec);
    throw std::runtime_error("cannot write " + rebuilt + " while salvaging " + tmp + ": " + why + " (" + tmp +
                             " is left as it was)");
  }
  catch (...) {
    std::error_code ec;
    fs::remove(rebuilt, ec);
    throw;
  }
  src->close();
  std::error_code ec;
  fs::rename(rebuilt, partial, ec);
  if (ec) throw std::runtime_error("cannot rename " + rebuilt + " to " + partial + ": " + ec.message());
  fs::remove(tmp, ec);  // resuming renames the partial file to tmp anyway
  return result;
}

}  // namespace crowdsim::io
