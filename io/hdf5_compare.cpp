#include "io/hdf5_compare.hpp"

#include <H5Cpp.h>

#include <set>
#include <vector>

namespace crowdsim::io {

namespace {

// Attributes that record when or how fast, not what: they differ between identical runs.
const std::set<std::string> kTimingAttributes{"created_utc", "wall_seconds"};

class Comparer {
 public:
  explicit Comparer(std::ostream& out) : out_(out) {}
  bool equal() const { return differences_ == 0; }

  void objects(const H5::Group& a, const H5::Group& b, const std::string& path) {
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
      H5O_type_t ta = a.childObjType(n), tb = b.childObjType(n);
      if (ta != tb) {
        differ(p, "different object kinds");
      } else if (ta == H5O_TYPE_GROUP) {
        objects(a.openGroup(n), b.openGroup(n), p);
      } else if (ta == H5O_TYPE_DATASET) {
        dataset(a.openDataSet(n), b.openDataSet(n), p);
      }
    }
  }

 private:
  void differ(const std::string& path, const std::string& what) {
    if (++differences_ <= 20) out_ << path << ": " << what << "\n";
  }

  void dataset(const H5::DataSet& a, const H5::DataSet& b, const std::string& path) {
    attributes(a, b, path);
    H5::DataType ta = a.getDataType(), tb = b.getDataType();
    if (!(ta == tb)) return differ(path, "different types");
    H5::DataSpace sa = a.getSpace(), sb = b.getSpace();
    hssize_t na = sa.getSimpleExtentNpoints(), nb = sb.getSimpleExtentNpoints();
    if (na != nb) return differ(path, "different sizes (" + std::to_string(na) + " and " + std::to_string(nb) + ")");
    std::vector<unsigned char> ba(static_cast<std::size_t>(na) * ta.getSize()), bb(ba.size());
    if (na > 0) {
      a.read(ba.data(), ta);
      b.read(bb.data(), tb);
    }
    if (ba != bb) differ(path, "different values");
  }

  void attributes(const H5::H5Object& a, const H5::H5Object& b, const std::string& path) {
    std::set<std::string> names;
    for (int i = 0; i < a.getNumAttrs(); ++i) names.insert(a.openAttribute(static_cast<unsigned>(i)).getName());
    for (int i = 0; i < b.getNumAttrs(); ++i) names.insert(b.openAttribute(static_cast<unsigned>(i)).getName());
    for (const auto& n : names) {
      if (kTimingAttributes.count(n)) continue;
      std::string p = path + " @" + n;
      if (!a.attrExists(n) || !b.attrExists(n)) {
        differ(p, a.attrExists(n) ? "only in the first file" : "only in the second file");
        continue;
      }
      H5::Attribute aa = a.openAttribute(n), ab = b.openAttribute(n);
      H5::DataType ta = aa.getDataType(), tb = ab.getDataType();
      if (!(ta == tb)) {
        differ(p, "different types");
      } else if (ta.getClass() == H5T_STRING) {
        std::string va, vb;
        aa.read(ta, va);
        ab.read(tb, vb);
        if (va != vb) differ(p, "\"" + va.substr(0, 40) + "\" vs \"" + vb.substr(0, 40) + "\"");
      } else {
        std::vector<unsigned char> va(aa.getInMemDataSize()), vb(ab.getInMemDataSize());
        aa.read(ta, va.data());
        ab.read(tb, vb.data());
        if (va != vb) differ(p, "different values");
      }
    }
  }

  std::ostream& out_;
  int differences_ = 0;
};

}  // namespace

bool compare_files(const std::string& a, const std::string& b, std::ostream& diffs) {
  H5::Exception::dontPrint();
  try {
    H5::H5File fa(a, H5F_ACC_RDONLY), fb(b, H5F_ACC_RDONLY);
    Comparer c(diffs);
    c.objects(fa.openGroup("/"), fb.openGroup("/"), "/");
    return c.equal();
  } catch (const H5::Exception& e) {
    diffs << "cannot compare " << a << " and " << b << ": " << e.getDetailMsg() << "\n";
    return false;
  }
}

}  // namespace crowdsim::io
