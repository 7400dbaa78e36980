#pragma once
/// \file Small HDF5 helpers shared by the io files that read results (private to io/: it
/// includes H5Cpp.h, which public headers keep out).

#include <H5Cpp.h>

#include <string>

namespace crowdsim::io {

/// A string attribute of `obj`, "" when it has none.
inline std::string string_attr(const H5::H5Object& obj, const char* name) {
  if (!obj.attrExists(name)) return "";
  H5::Attribute a = obj.openAttribute(name);
  std::string value;
  a.read(a.getStrType(), value);
  return value;
}

}  // namespace crowdsim::io
