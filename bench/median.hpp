#pragma once
// What the C++ benchmarks share: the median of repeated timings.

#include <algorithm>
#include <vector>

namespace crowdsim::bench {

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace crowdsim::bench
