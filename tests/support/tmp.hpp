#pragma once
// A scratch folder for this test process: two test runs on one machine (a Release and a
// sanitizer build, say) never share files.

#include <unistd.h>

#include <filesystem>
#include <string>

namespace crowdsim::testing {

inline std::filesystem::path test_tmp() {
  std::filesystem::path p = std::filesystem::temp_directory_path() / ("crowdsim-tests-" + std::to_string(getpid()));
  std::filesystem::create_directories(p);
  return p;
}

}  // namespace crowdsim::testing
