#include "io/merge.hpp"
#include "io/file_warnings.hpp"

#include "io/hdf5_util.hpp"
#include "io/scenario.hpp"
#include "io/sweep.hpp"
#include "sim/config.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>

namespace crowdsim::io {

namespace fs = std::filesystem;

namespace {

// How many runs the scenario (JSON text, as run) makes: its sweep's points times replications.
std::uint64_t expected_runs(const std::string& scenario) {
  nlohmann::json doc = nlohmann::json::parse(scenario);
  const Scenario defaults;  // what the keys mean when absent, as declared
  std::uint64_t replications = doc.value("replications", std::uint64_t{defaults.replications});
  std::uint64_t points =
      doc.contains("sweep") ? expand_sweep(doc["sweep"], doc.value("seed", defaults.model.seed)).size() : 1;
  return points * replications;
}

}  // namespace

void merge_shards(const std::string& out, const std::vector<std::string>& shards) {
  if (shards.empty()) throw std::runtime_error("merge: no shards to merge into " + out);
  H5::Exception::dontPrint();
  std::string tmp = out + ".tmp";
  std::string current;
  try {
    // The first shard is the base: its root attributes, its runs. The others' runs are copied in.
    // Checked before anything is written: one scenario, every run once, and every run there.
    std::string scenario;
    std::map<std::int64_t, std::string> held;  // run id -> the shard that holds it
    for (const auto& s : shards) {
      current = s;
      H5::H5File f(s, H5F_ACC_RDONLY);
      if (string_attr(f, "status") != "complete") throw std::runtime_error(s + " is not complete");
      std::string sc = string_attr(f, "scenario");
      if (scenario.empty()) scenario = sc;
      else if (sc != scenario) throw std::runtime_error(s + " was made by another scenario than " + shards[0]);
      for (std::int64_t id : summary_run_ids(f))
        if (auto [it, added] = held.emplace(id, s); !added)
          throw sim::ConfigError(s, "shards that hold each run once",
                                 "run " + std::to_string(id) + ", also in " + it->second + " (a shard given twice?)");
    }
    std::uint64_t expected = 0;
    try {
      expected = expected_runs(scenario);
    } catch (const std::exception&) {
      expected = 0;  // a scenario this crowdsim cannot expand: only the gaps below are checked
    }
    std::uint64_t top = held.empty() ? 0 : static_cast<std::uint64_t>(held.rbegin()->first) + 1;
    std::vector<std::int64_t> missing;
    for (std::uint64_t id = 0; id < std::max(expected, top); ++id)
      if (!held.count(static_cast<std::int64_t>(id))) missing.push_back(static_cast<std::int64_t>(id));
    if (!missing.empty()) {
      std::string list;
      for (std::size_t i = 0; i < missing.size() && i < 10; ++i) list += (i ? ", " : "") + std::to_string(missing[i]);
      if (missing.size() > 10) list += ", ...";
      throw sim::ConfigError("merge", "shards that together hold every run of the scenario (" +
                                          std::to_string(std::max(expected, top)) + ")",
                             std::to_string(held.size()) + " runs: " + std::to_string(missing.size()) +
                                 " missing (run " + list + "); give every shard (--shard K/N for K = 0 .. N-1)");
    }
    fs::copy_file(shards[0], tmp, fs::copy_options::overwrite_existing);
    current = tmp;
    H5::H5File f(tmp, H5F_ACC_RDWR);
    H5::Group runs = f.openGroup("runs");
    // Rows of every shard's /summary, keyed by run id.
    H5::DataType row_type;
    std::size_t row_size = 0;
    std::map<std::int64_t, std::vector<char>> rows;
    for (std::size_t k = 0; k < shards.size(); ++k) {
      current = shards[k];
      H5::H5File s(shards[k], H5F_ACC_RDONLY);
      if (k > 0) {
        H5::Group from = s.openGroup("runs");
        for (hsize_t i = 0; i < from.getNumObjs(); ++i) {
          std::string name = from.getObjnameByIdx(i);
          if (runs.nameExists(name)) throw std::runtime_error("run " + name + " is in two shards");
          if (H5Ocopy(from.getId(), name.c_str(), runs.getId(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
            throw std::runtime_error("cannot copy run " + name);
        }
      }
      if (!s.nameExists("summary")) continue;
      H5::DataSet ds = s.openDataSet("summary");
      hsize_t n = 0;
      ds.getSpace().getSimpleExtentDims(&n);
      H5::CompType t = ds.getCompType();
      if (row_size == 0) row_type = t, row_size = t.getSize();
      std::vector<char> buf(n * row_size);
      if (n) ds.read(buf.data(), t);
      std::size_t id_offset = t.getMemberOffset(static_cast<unsigned>(t.getMemberIndex("run_id")));
      for (hsize_t r = 0; r < n; ++r) {
        std::int64_t id;
        std::memcpy(&id, buf.data() + r * row_size + id_offset, sizeof id);
        if (!rows.emplace(id, std::vector<char>(buf.begin() + static_cast<std::ptrdiff_t>(r * row_size),
                                                 buf.begin() + static_cast<std::ptrdiff_t>((r + 1) * row_size)))
                 .second)
          throw std::runtime_error("run " + std::to_string(id) + " is in two shards' /summary");
      }
    }
    current = tmp;
    if (f.nameExists("summary")) f.unlink("summary");
    if (!rows.empty()) {
      hsize_t n = rows.size(), chunk = 64, maxdims = H5S_UNLIMITED;
      H5::DSetCreatPropList props;  // as the recorder makes it
      props.setChunk(1, &chunk);
      props.setShuffle();
      props.setDeflate(4);
      H5::DataSet ds = f.createDataSet("summary", row_type, H5::DataSpace(1, &n, &maxdims), props);
      std::vector<char> all;
      for (const auto& [id, r] : rows) all.insert(all.end(), r.begin(), r.end());
      ds.write(all.data(), row_type);
    }
    write_file_warnings(f);  // of every shard's runs, as one file would have
    f.flush(H5F_SCOPE_GLOBAL);
    f.close();
  } catch (const H5::Exception& e) {
    throw std::runtime_error("merge: HDF5 error in " + current + ": " + e.getDetailMsg());
  } catch (const fs::filesystem_error& e) {
    throw std::runtime_error(std::string("merge: ") + e.what());
  }
  fs::rename(tmp, out);
}

}  // namespace crowdsim::io
