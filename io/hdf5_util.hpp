#pragma once
/// \file Small HDF5 helpers shared by the io files that read and write results: scalar
/// attributes, and what an HDF5 failure was underneath (private to io/: it includes H5Cpp.h,
/// which public headers keep out).

#include <H5Cpp.h>

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace crowdsim::io {

/// A string attribute of `obj`, "" when it has none.
inline std::string string_attr(const H5::H5Object& obj, const char* name) {
  if (!obj.attrExists(name)) return "";
  H5::Attribute a = obj.openAttribute(name);
  std::string value;
  a.read(a.getStrType(), value);
  return value;
}

/// Writes the scalar attribute `name` of `obj` (`value` of `type`), replacing one there.
void replace_attr(H5::H5Object& obj, const char* name, const H5::DataType& type, const void* value);

/// A numeric scalar attribute: int32, uint32, uint64 or double.
template <class T>
void set_attr(H5::H5Object& obj, const char* name, T value) {
  if constexpr (std::is_same_v<T, std::int32_t>) {
    replace_attr(obj, name, H5::PredType::NATIVE_INT32, &value);
  } else if constexpr (std::is_same_v<T, std::uint32_t>) {
    replace_attr(obj, name, H5::PredType::NATIVE_UINT32, &value);
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    replace_attr(obj, name, H5::PredType::NATIVE_UINT64, &value);
  } else if constexpr (std::is_same_v<T, double>) {
    replace_attr(obj, name, H5::PredType::NATIVE_DOUBLE, &value);
  } else {
    static_assert(sizeof(T) == 0, "no attribute type for this C++ type");
  }
}

/// The run ids of a results file's /summary, in its row order (none without a /summary).
std::vector<std::int64_t> summary_run_ids(const H5::H5File& f);

/// A string attribute, variable-length UTF-8: h5py reads it as str, and a long text (the
/// scenario) lives in the global heap instead of hitting the 64 KiB limit of an object header.
void set_attr(H5::H5Object& obj, const char* name, const std::string& value);
inline void set_attr(H5::H5Object& obj, const char* name, const char* value) { set_attr(obj, name, std::string(value)); }

/// The innermost message on HDF5's error stack (e.g. "unable to open file: ... errno = 2,
/// error message = 'No such file or directory'") after `e`'s: the C++ exception only names the API call.
std::string hdf5_cause(const H5::Exception& e);

/// The errno of the system call under an HDF5 failure, 0 if none: the sec2 driver records
/// "errno = 28, error message = 'No space left on device'" in the description of a failed write.
int hdf5_errno();

}  // namespace crowdsim::io
