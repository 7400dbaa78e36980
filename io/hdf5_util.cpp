#include "io/hdf5_util.hpp"

#include <cstdlib>
#include <cstring>

namespace crowdsim::io {

void replace_attr(H5::H5Object& obj, const char* name, const H5::DataType& type, const void* value) {
  if (obj.attrExists(name)) obj.removeAttr(name);
  H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  a.write(type, value);
}

void set_attr(H5::H5Object& obj, const char* name, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  const char* p = value.c_str();
  replace_attr(obj, name, type, &p);
}

std::string hdf5_cause(const H5::Exception& e) {
  std::string innermost;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* err, void* data) -> herr_t {
        if (err->desc && *err->desc) *static_cast<std::string*>(data) = err->desc;
        return 0;
      },
      &innermost);
  std::string detail = e.getDetailMsg();
  return innermost.empty() ? detail : detail + ": " + innermost;
}

int hdf5_errno() {
  int err = 0;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* e, void* data) -> herr_t {
        const char* at = e->desc ? std::strstr(e->desc, "errno = ") : nullptr;
        if (at) *static_cast<int*>(data) = std::atoi(at + 8);
        return 0;
      },
      &err);
  return err;
}

std::vector<std::int64_t> summary_run_ids(const H5::H5File& f) {
  if (!f.nameExists("summary")) return {};
  H5::DataSet ds = f.openDataSet("summary");
  hsize_t rows = 0;
  ds.getSpace().getSimpleExtentDims(&rows);
  std::vector<std::int64_t> ids(rows);
  H5::CompType key(sizeof(std::int64_t));
  key.insertMember("run_id", 0, H5::PredType::NATIVE_INT64);
  if (rows) ds.read(ids.data(), key);
  return ids;
}

}  // namespace crowdsim::io
