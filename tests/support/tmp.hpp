#pragma once
// A scratch folder for this test process: two test runs on one machine (a Release and a
// sanitizer build, say) never share files. It is removed when the process ends normally, so a
// test run leaves nothing in /tmp (ctest starts one process per test case: a thousand folders a
// run otherwise); set CROWDSIM_KEEP_TEST_TMP=1 to keep it for a look after a failure.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace crowdsim::testing {

namespace detail {

struct ProcessTmp {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("crowdsim-tests-" + std::to_string(getpid()));
  ~ProcessTmp() {
    const char* keep = std::getenv("CROWDSIM_KEEP_TEST_TMP");
    std::error_code ec;
    if (!(keep && *keep && std::string(keep) != "0") && getpid() == owner) std::filesystem::remove_all(path, ec);
  }
  pid_t owner = getpid();  // a forked child that exits normally must not remove its parent's folder
};

}  // namespace detail

inline std::filesystem::path test_tmp() {
  static detail::ProcessTmp tmp;
  std::filesystem::create_directories(tmp.path);
  return tmp.path;
}

}  // namespace crowdsim::testing
