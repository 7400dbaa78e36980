#include "io/hdf5_compare.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <set>
#include <vector>

namespace crowdsim::io {

namespace {

// Attributes that record when or how fast, not what: they differ between identical runs.
const std::set<std::string> kTimingAttributes{"created_utc", "wall_seconds"};
constexpr int kMaxLines = 20;

// Reads every value of a dataset or attribute into `buffer` as `type` (their read() signatures differ).
using Reader = std::function<void(void* buffer, const H5::DataType& type)>;

// Variable-length data and references hold pointers or file addresses, not values: their raw
// bytes say nothing about equality. Variable-length strings at the top level are read as strings.
bool has_indirect_parts(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_STRING: return H5Tis_variable_str(type) > 0;
    case H5T_VLEN:
    case H5T_REFERENCE: return true;
    case H5T_COMPOUND: {
      int n = H5Tget_nmembers(type);
      for (int i = 0; i < n; ++i) {
        hid_t m = H5Tget_member_type(type, static_cast<unsigned>(i));
        bool indirect = has_indirect_parts(m);
        H5Tclose(m);
        if (indirect) return true;
      }
      return false;
    }
    case H5T_ARRAY: {
      hid_t base = H5Tget_super(type);
      bool indirect = has_indirect_parts(base);
      H5Tclose(base);
      return indirect;
    }
    default: return false;
  }
}

const char* class_name(H5T_class_t c) {
  switch (c) {
    case H5T_INTEGER: return "integer";
    case H5T_FLOAT: return "float";
    case H5T_STRING: return "string";
    case H5T_COMPOUND: return "compound";
    case H5T_ENUM: return "enum";
    case H5T_ARRAY: return "array";
    case H5T_VLEN: return "vlen";
    case H5T_BITFIELD: return "bitfield";
    case H5T_OPAQUE: return "opaque";
    case H5T_REFERENCE: return "reference";
    default: return "other";
  }
}

// Says how two unequal types differ, as precisely as is cheap: usually a renamed, added or
// retyped column of a table.
std::string type_difference(const H5::DataType& a, const H5::DataType& b) {
  H5T_class_t ca = a.getClass(), cb = b.getClass();
  if (ca != cb) return std::string("types differ (") + class_name(ca) + " vs " + class_name(cb) + ")";
  if (ca == H5T_COMPOUND) {
    H5::CompType xa(a.getId()), xb(b.getId());  // views: the hid_t constructor takes its own reference
    int na = xa.getNmembers(), nb = xb.getNmembers();
    for (int i = 0; i < std::min(na, nb); ++i) {
      auto u = static_cast<unsigned>(i);
      std::string ma = xa.getMemberName(u), mb = xb.getMemberName(u);
      if (ma != mb) return "column " + std::to_string(i) + " is \"" + ma + "\" vs \"" + mb + "\"";
      if (!(xa.getMemberDataType(u) == xb.getMemberDataType(u))) return "column \"" + ma + "\" has another type";
    }
    if (na != nb) return "types differ (" + std::to_string(na) + " vs " + std::to_string(nb) + " columns)";
  }
  return "types differ (" + std::string(class_name(ca)) + " of " + std::to_string(a.getSize()) + " vs " +
         std::to_string(b.getSize()) + " bytes, or another byte order, sign or labels)";
}

std::string shape_of(const H5::DataSpace& s) {
  if (s.getSimpleExtentType() == H5S_SCALAR) return "scalar";
  if (s.getSimpleExtentType() == H5S_NULL) return "null";
  std::vector<hsize_t> dims(static_cast<std::size_t>(s.getSimpleExtentNdims()));
  if (!dims.empty()) s.getSimpleExtentDims(dims.data());
  std::string r = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) r += (i ? ", " : "") + std::to_string(dims[i]);
  return r + ")";
}

std::string excerpt(const std::string& s, std::size_t at) {
  std::size_t from = at > 15 ? at - 15 : 0;
  std::string e = s.substr(from, 40);
  for (char& c : e)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return (from > 0 ? "\"..." : "\"") + e + (from + 40 < s.size() ? "...\"" : "\"");
}

// A one-element number, printed, for messages like "@seed: 42 vs 43".
std::string scalar_text(const Reader& read, const H5::DataType& type) {
  char buf[64];
  if (type.getClass() == H5T_INTEGER) {
    H5::IntType it(type.getId());
    if (it.getSign() == H5T_SGN_NONE) {
      unsigned long long v = 0;
      read(&v, H5::PredType::NATIVE_ULLONG);
      std::snprintf(buf, sizeof buf, "%llu", v);
    } else {
      long long v = 0;
      read(&v, H5::PredType::NATIVE_LLONG);
      std::snprintf(buf, sizeof buf, "%lld", v);
    }
    return buf;
  }
  if (type.getClass() == H5T_FLOAT) {
    double v = 0;
    read(&v, H5::PredType::NATIVE_DOUBLE);
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
  }
  return "";
}

class Comparer {
 public:
  explicit Comparer(std::ostream& out) : out_(out) {}
  bool equal() const { return differences_ == 0; }
  void differ(const std::string& path, const std::string& what) {
    if (++differences_ <= kMaxLines) out_ << path << ": " << what << "\n";
  }
  void finish() {
    if (differences_ > kMaxLines) out_ << "... and " << differences_ - kMaxLines << " more differences\n";
  }

  void group(const H5::Group& a, const H5::Group& b, const std::string& path) {
    attributes(a, b, path);
    std::set<std::string> names;
    for (hsize_t i = 0; i < a.getNumObjs(); ++i) names.insert(a.getObjnameByIdx(i));
    for (hsize_t i = 0; i < b.getNumObjs(); ++i) names.insert(b.getObjnameByIdx(i));
    for (const auto& n : names) {
      std::string p = path == "/" ? "/" + n : path + "/" + n;
      bool in_a = a.nameExists(n), in_b = b.nameExists(n);
      if (!in_a || !in_b) {
        differ(p, in_a ? "only in the first file" : "only in the second file");
        continue;
      }
      H5O_type_t ka = a.childObjType(n), kb = b.childObjType(n);
      if (ka != kb) {
        differ(p, "a different kind of object (group, dataset or named type)");
      } else if (ka == H5O_TYPE_GROUP) {
        group(a.openGroup(n), b.openGroup(n), p);
      } else if (ka == H5O_TYPE_DATASET) {
        H5::DataSet da = a.openDataSet(n), db = b.openDataSet(n);
        attributes(da, db, p);
        values(
            p, da, db, [&](void* buf, const H5::DataType& t) { da.read(buf, t); },
            [&](void* buf, const H5::DataType& t) { db.read(buf, t); });
      } else if (ka == H5O_TYPE_NAMED_DATATYPE) {
        hid_t ta = H5Topen2(a.getId(), n.c_str(), H5P_DEFAULT), tb = H5Topen2(b.getId(), n.c_str(), H5P_DEFAULT);
        if (H5Tequal(ta, tb) <= 0) differ(p, "named types differ");
        H5Tclose(ta), H5Tclose(tb);
      }
    }
  }

 private:
  void attributes(const H5::H5Object& a, const H5::H5Object& b, const std::string& path) {
    std::set<std::string> names;
    for (int i = 0; i < a.getNumAttrs(); ++i) names.insert(a.openAttribute(static_cast<unsigned>(i)).getName());
    for (int i = 0; i < b.getNumAttrs(); ++i) names.insert(b.openAttribute(static_cast<unsigned>(i)).getName());
    for (const auto& n : names) {
      if (kTimingAttributes.count(n)) continue;
      std::string p = path + " @" + n;
      bool in_a = a.attrExists(n), in_b = b.attrExists(n);
      if (!in_a || !in_b) {
        differ(p, in_a ? "only in the first file" : "only in the second file");
        continue;
      }
      H5::Attribute aa = a.openAttribute(n), ab = b.openAttribute(n);
      values(
          p, aa, ab, [&](void* buf, const H5::DataType& t) { aa.read(t, buf); },
          [&](void* buf, const H5::DataType& t) { ab.read(t, buf); });
    }
  }

  // Types, then shapes, then values; stops at the first of these that differs.
  void values(const std::string& path, const H5::AbstractDs& a, const H5::AbstractDs& b, const Reader& read_a,
              const Reader& read_b) {
    H5::DataType ta = a.getDataType(), tb = b.getDataType();
    if (!(ta == tb)) return differ(path, type_difference(ta, tb));
    H5::DataSpace sa = a.getSpace(), sb = b.getSpace();
    std::string shape_a = shape_of(sa), shape_b = shape_of(sb);
    if (shape_a != shape_b) return differ(path, "shapes differ: " + shape_a + " vs " + shape_b);
    auto n = static_cast<std::size_t>(sa.getSimpleExtentNpoints());
    if (n == 0) return;
    const char* unit = sa.getSimpleExtentNdims() == 1 ? "row " : "element ";

    if (ta.getClass() == H5T_STRING && ta.isVariableStr()) {
      std::vector<std::string> va = strings(read_a, ta, sa, n), vb = strings(read_b, tb, sb, n);
      for (std::size_t i = 0; i < n; ++i) {
        if (va[i] == vb[i]) continue;
        std::size_t at = 0;
        while (at < va[i].size() && at < vb[i].size() && va[i][at] == vb[i][at]) ++at;
        std::string where = n == 1 ? "" : unit + std::to_string(i) + ": ";
        return differ(path, where + "strings differ at character " + std::to_string(at) + ": " + excerpt(va[i], at) +
                                " vs " + excerpt(vb[i], at));
      }
      return;
    }
    if (has_indirect_parts(ta.getId())) {
      return differ(path, "holds variable-length data or references, which this comparison cannot check");
    }

    // Read as the file type itself: no conversion, so these are the stored bytes (NaN included).
    std::size_t size = ta.getSize();
    std::vector<unsigned char> va(n * size), vb(n * size);
    read_a(va.data(), ta);
    read_b(vb.data(), tb);
    auto mismatch = std::mismatch(va.begin(), va.end(), vb.begin());
    if (mismatch.first == va.end()) return;
    auto byte = static_cast<std::size_t>(mismatch.first - va.begin());
    std::size_t element = byte / size, offset = byte % size;
    if (n == 1 && (ta.getClass() == H5T_INTEGER || ta.getClass() == H5T_FLOAT)) {
      return differ(path, scalar_text(read_a, ta) + " vs " + scalar_text(read_b, tb));
    }
    std::string what = "values differ from " + std::string(unit) + std::to_string(element);
    if (ta.getClass() == H5T_COMPOUND) {
      H5::CompType ct(ta.getId());
      for (int i = 0; i < ct.getNmembers(); ++i) {
        auto u = static_cast<unsigned>(i);
        std::size_t begin = ct.getMemberOffset(u), end = begin + ct.getMemberDataType(u).getSize();
        if (offset >= begin && offset < end) what += " (column " + ct.getMemberName(u) + ")";
      }
    }
    differ(path, what);
  }

  static std::vector<std::string> strings(const Reader& read, const H5::DataType& type, const H5::DataSpace& space,
                                          std::size_t n) {
    std::vector<char*> raw(n, nullptr);
    read(raw.data(), type);
    std::vector<std::string> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = raw[i] ? raw[i] : "";
    H5Dvlen_reclaim(type.getId(), space.getId(), H5P_DEFAULT, raw.data());
    return out;
  }

  std::ostream& out_;
  int differences_ = 0;
};

}  // namespace

bool compare_files(const std::string& a, const std::string& b, std::ostream& diffs, const std::string& group) {
  H5::Exception::dontPrint();
  for (const auto& p : {a, b}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) {
      diffs << p << ": no such file\n";
      return false;
    }
  }
  try {
    H5::H5File fa(a, H5F_ACC_RDONLY), fb(b, H5F_ACC_RDONLY);
    Comparer c(diffs);
    c.group(fa.openGroup(group), fb.openGroup(group), group);
    c.finish();
    return c.equal();
  } catch (const H5::Exception& e) {
    diffs << "cannot compare " << a << " and " << b << ": " << e.getFuncName() << ": " << e.getDetailMsg() << "\n";
    return false;
  }
}

}  // namespace crowdsim::io
