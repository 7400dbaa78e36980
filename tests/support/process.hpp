#pragma once
// Runs the crowdsim binary in a child process, optionally sending it a signal after a delay
// (to interrupt a run midway), and returns its exit status (-1 when it did not exit).

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace crowdsim::testing {

inline int run_crowdsim(std::vector<std::string> args, int signal_after_ms = -1, int sig = SIGTERM) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(CROWDSIM_BINARY)};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(CROWDSIM_BINARY, argv.data());
    _exit(127);
  }
  if (signal_after_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(signal_after_ms));
    kill(pid, sig);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Runs `body` in a child process that then ends without destructors, atexit handlers or
/// HDF5's close, as SIGKILL would leave it; returns its exit status: 0 when `body` returned,
/// 2 when it threw, -1 when the child did not exit.
inline int in_killed_child(const std::function<void()>& body) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    try {
      body();
    } catch (...) {
      _exit(2);
    }
    _exit(0);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// `a` followed by `more`.
inline std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

}  // namespace crowdsim::testing
