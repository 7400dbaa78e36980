// Writing the output. A full disk loses nothing already finished: with a file-size limit (RLIMIT_FSIZE, set in the
// child before exec, as `ulimit -f` would) the write fails with EFBIG at a chosen point of the
// output. crowdsim must exit 3 with one message naming the file and the cause, leave no OUT,
// keep every finished run intact in OUT.partial (status partial), and --resume without the
// limit must give a file equal to an uninterrupted run's. An output projected not to fit is
// refused before the run. The file does not depend on the number of compression threads.

#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include "io/hdf5_util.hpp"

#include <H5Cpp.h>
#include <fcntl.h>
#include <pty.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/hdf5_compare.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kDemo = std::string(CROWDSIM_SOURCE_DIR) + "/scenarios/demo.json";
// Eight runs of about 600 KB each at full detail: a cut lands inside a run, after some finished.
const std::vector<std::string> kArgs{"run", kDemo, "--replications", "8", "--set", "tasks.count=3000",
                                     "--detail", "full", "--quiet"};

// Runs crowdsim with `args`; its stderr goes to `err`. `fsize` > 0 limits the size of any file it writes.
int run(std::vector<std::string> args, const std::string& err, rlim_t fsize = 0, const char* writer_threads = nullptr) {
  pid_t pid = fork();
  if (pid == 0) {
    if (writer_threads) setenv("CROWDSIM_WRITER_THREADS", writer_threads, 1);
    int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, 2) < 0) _exit(126);
    if (fsize > 0) {
      rlimit lim{fsize, fsize};
      if (setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(126);
    }
    std::vector<char*> argv{const_cast<char*>(CROWDSIM_BINARY)};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(CROWDSIM_BINARY, argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

// Runs crowdsim on a pseudo-terminal; returns what it wrote there (stdout and stderr).
std::string run_on_terminal(std::vector<std::string> args) {
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(CROWDSIM_BINARY)};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(CROWDSIM_BINARY, argv.data());
    _exit(127);
  }
  std::string out;
  char buf[4096];
  for (ssize_t n; pid > 0 && (n = read(master, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  int status = 0;
  if (pid > 0) waitpid(pid, &status, 0);
  if (master >= 0) close(master);
  return out;
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string status_of(const H5::H5File& f) {
  H5::Attribute a = f.openAttribute("status");
  std::string v;
  a.read(a.getStrType(), v);
  return v;
}

}  // namespace

TEST_CASE("app::disk_full: a write refused for lack of room keeps the finished runs, and --resume completes them",
          "[app]") {
  H5::Exception::dontPrint();
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_disk_full_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string full = (dir / "full.h5").string(), cut = (dir / "cut.h5").string(), err = (dir / "stderr").string();
  REQUIRE(run(with(kArgs, {"-o", full}), err) == 0);
  const auto size = fs::file_size(full);
  REQUIRE(size > 400 * 1024);

  // Three cut points of the write, one of them with the runs computed on two threads.
  for (auto [fraction, threads] : {std::pair<double, const char*>{0.3, "1"}, {0.6, "2"}, {0.9, "1"}}) {
    rlim_t limit = static_cast<rlim_t>(fraction * static_cast<double>(size));
    INFO("cut at " << limit << " of " << size << " bytes, --threads " << threads);
    for (const char* suffix : {"", ".tmp", ".partial"}) fs::remove(cut + suffix);
    int status = run(with(kArgs, {"-o", cut, "--threads", threads}), err, limit);
    std::string message = slurp(err);
    INFO("stderr: " << message);
    CHECK(status == 3);
    CHECK(message.find(cut + ".tmp") != std::string::npos);  // names the file
    CHECK(message.find("File too large") != std::string::npos);  // and the cause (EFBIG)
    CHECK(message.find("--resume") != std::string::npos);
    CHECK_FALSE(fs::exists(cut));  // never a file that looks complete
    CHECK_FALSE(fs::exists(cut + ".tmp"));
    REQUIRE(fs::exists(cut + ".partial"));
    CHECK(fs::file_size(cut + ".partial") <= limit);

    std::vector<std::int64_t> finished;
    {
      H5::H5File f(cut + ".partial", H5F_ACC_RDONLY);
      CHECK(status_of(f) == "partial");
      finished = crowdsim::io::summary_run_ids(f);
      // Only finished runs: the one under way was dropped, not left half written.
      CHECK(f.openGroup("runs").getNumObjs() == finished.size());
    }
    CHECK(finished.size() >= 1);
    CHECK(finished.size() < 8);
    for (std::size_t i = 0; i < finished.size(); ++i) {
      CHECK(finished[i] == static_cast<std::int64_t>(i));
      char group[32];
      std::snprintf(group, sizeof group, "/runs/%06lld", static_cast<long long>(finished[i]));
      std::ostringstream diffs;
      CHECK(crowdsim::io::compare_files(full, cut + ".partial", diffs, group));
      INFO(diffs.str());
      CHECK(diffs.str().empty());
    }

    // Room again: --resume completes the file, equal to the uninterrupted run's.
    REQUIRE(run(with(kArgs, {"-o", cut, "--threads", threads, "--resume"}), err) == 0);
    CHECK_FALSE(fs::exists(cut + ".partial"));
    {
      H5::H5File f(cut, H5F_ACC_RDONLY);
      CHECK(status_of(f) == "complete");
    }
    std::ostringstream diffs;
    CHECK(crowdsim::io::compare_files(full, cut, diffs));
    INFO(diffs.str());
    CHECK(diffs.str().empty());
  }
  fs::remove_all(dir);
}

// No room even for the file's first objects (a limit of a few kilobytes): HDF5 crashed closing
// the file it could not flush (exit 139), leaving an unreadable OUT.tmp that blocked the next
// run. Now: exit 3, the file and the cause named, and nothing left behind.
TEST_CASE("app::disk_full: no room for a new file's first objects is a write failure that leaves nothing", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_no_room_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string out = (dir / "out.h5").string(), err = (dir / "stderr").string();
  for (rlim_t limit : {rlim_t{1024}, rlim_t{4096}, rlim_t{6144}}) {
    INFO("limit " << limit << " bytes");
    int status = run(with(kArgs, {"-o", out}), err, limit);
    std::string message = slurp(err);
    INFO("stderr: " << message);
    CHECK(status == 3);
    CHECK(message.find(out + ".tmp") != std::string::npos);
    CHECK(message.find("File too large") != std::string::npos);
    for (const char* suffix : {"", ".tmp", ".partial"}) CHECK_FALSE(fs::exists(out + suffix));
  }
  fs::remove_all(dir);
}

TEST_CASE("app::disk_full: salvaging a killed run's file without room for its copy leaves it as it was", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_salvage_room_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string full = (dir / "full.h5").string(), cut = (dir / "cut.h5").string(), err = (dir / "stderr").string();
  REQUIRE(run(with(kArgs, {"-o", full}), err) == 0);
  // What a writer killed just after its last run's flush leaves: every run in OUT.tmp, never renamed.
  fs::copy_file(full, cut + ".tmp");
  const auto size = fs::file_size(cut + ".tmp");
  CHECK(run(with(kArgs, {"-o", cut, "--resume"}), err, size / 2) == 3);
  std::string message = slurp(err);
  INFO("stderr: " << message);
  CHECK(message.find("file-size limit") != std::string::npos);
  CHECK(message.find("is left as it was") != std::string::npos);
  CHECK(fs::file_size(cut + ".tmp") == size);
  CHECK_FALSE(fs::exists(cut + ".partial"));
  CHECK_FALSE(fs::exists(cut + ".partial.salvage"));
  // With room, every run is kept and nothing is run again: the last run's own timing is the copy's.
  REQUIRE(run(with(kArgs, {"-o", cut, "--resume"}), err) == 0);
  auto wall = [](const std::string& file) {
    double w = 0;
    H5::H5File(file, H5F_ACC_RDONLY).openGroup("/runs/000007").openAttribute("wall_seconds").read(H5::PredType::NATIVE_DOUBLE, &w);
    return w;
  };
  CHECK(wall(cut) == wall(full));
  std::ostringstream diffs;
  CHECK(crowdsim::io::compare_files(full, cut, diffs));
  INFO(diffs.str());
  CHECK(diffs.str().empty());
  fs::remove_all(dir);
}

TEST_CASE("app::projection: an output projected beyond --max-output or the free space is refused up front", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_projection_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string out = (dir / "e.h5").string(), err = (dir / "stderr").string();
  auto refused = [&](std::vector<std::string> args, const char* why) {
    INFO(why);
    CHECK(run(with({"run", kDemo, "-o", out}, args), err) == 2);
    std::string message = slurp(err);
    INFO(message);
    CHECK(message.find("projected to take") != std::string::npos);
    CHECK(message.find(why) != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(out + ".tmp"));
    CHECK_FALSE(fs::exists(out + ".partial"));
    return message;
  };
  // 10^8 tasks x 3 answers at full detail: some 20 GB, refused at once (no file, no run).
  std::string m = refused({"--set", "tasks.count=100000000", "--max-output", "1G"}, "--max-output 1.1 GB");
  CHECK(m.find(" GB (1 run; rows: 1e+08 tasks, 3e+08 assignments") != std::string::npos);
  // 1000 replications of 10^9 tasks, some 160 TB: more than the disk has free, with no --max-output.
  refused({"--set", "tasks.count=1000000000", "--replications", "1000", "--quiet"}, "free on its file system");
  // A small limit refuses a small run; --force writes it anyway; a normal run is not refused.
  refused({"--set", "tasks.count=100", "--max-output", "1K", "--quiet"}, "--max-output 1.0 kB");
  CHECK(run({"run", kDemo, "-o", out, "--set", "tasks.count=100", "--max-output", "1K", "--force", "--quiet"}, err) == 0);
  CHECK(fs::exists(out));
  fs::remove(out);  // an existing output is refused on its own account (without --force)
  CHECK(run({"run", kDemo, "-o", out, "--set", "tasks.count=100", "--max-output", "1G", "--quiet"}, err) == 0);
  fs::remove(out);
  CHECK(run({"run", kDemo, "-o", out, "--max-output", "lots", "--quiet"}, err) == 2);
  CHECK(slurp(err).find("--max-output expects a size") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("app::writer: the file is the same whatever the number of compression threads", "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_writer_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string one = (dir / "one.h5").string(), three = (dir / "three.h5").string();
  std::string err1 = (dir / "stderr1").string(), err3 = (dir / "stderr3").string();
  int status1 = run(with(kArgs, {"-o", one}), err1, 0, "1");
  int status3 = run(with(kArgs, {"-o", three, "--threads", "2"}), err3, 0, "3");
  // Whatever fails below, its message shows what the two runs printed.
  INFO("one writer thread: exit " << status1 << ", stderr: " << slurp(err1));
  INFO("three writer threads: exit " << status3 << ", stderr: " << slurp(err3));
  REQUIRE(status1 == 0);
  REQUIRE(status3 == 0);
  std::ostringstream diffs;
  bool same = crowdsim::io::compare_files(one, three, diffs);
  INFO("differences: " << diffs.str());
  CHECK(same);
  CHECK(diffs.str().empty());
  // The same HDF5 calls in the same order: the same layout, byte for byte but for the timings.
  CHECK(fs::file_size(one) == fs::file_size(three));
  fs::remove_all(dir);
}

TEST_CASE("app::progress: a run on a terminal reports its progress while it runs, not elsewhere nor with --quiet",
          "[app]") {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_progress_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string out = (dir / "p.h5").string(), err = (dir / "stderr").string();
  // Long enough (a second or more) for the line, redrawn every 250 ms, to appear.
  // --force: the same output is written three times.
  // Under the sanitizers (slower) a fifth of the tasks still takes a second or more.
  std::vector<std::string> args{"run", kDemo, "-o", out, "--detail", "summary", "--set",
                                CROWDSIM_SANITIZED ? "tasks.count=200000" : "tasks.count=1000000", "--force"};
  std::string screen = run_on_terminal(args);
  INFO(screen);
  CHECK(screen.find("h simulated") != std::string::npos);
  CHECK(screen.find(CROWDSIM_SANITIZED ? "of 200000 tasks closed" : "of 1000000 tasks closed") != std::string::npos);
  CHECK(screen.find("ETA") != std::string::npos);
  CHECK(screen.find("MB written") != std::string::npos);
  // Events per second on every line drawn. Each closed task of the demo took three submissions,
  // each an event, so it is at least three times the tasks per second (both are rounded, hence
  // the 2); and as a line is drawn 250 ms after the run's start at the earliest, it is at most
  // four times all the events of the run, which the per-run line gives at the end.
  auto number_before = [&](std::size_t end) {  // the digits that end at `end`
    std::size_t begin = end;
    while (begin > 0 && std::isdigit(static_cast<unsigned char>(screen[begin - 1]))) --begin;
    REQUIRE(begin < end);
    return std::stod(screen.substr(begin, end - begin));
  };
  std::size_t report = screen.rfind(" events, ");  // the per-run line: "..., N events, W s"
  REQUIRE(report != std::string::npos);
  double events = number_before(report), fastest = 0;
  int lines = 0;
  for (std::size_t at = screen.find(" events/s, "); at != std::string::npos; at = screen.find(" events/s, ", at + 1), ++lines) {
    std::size_t tasks = screen.rfind(" tasks/s, ", at);  // "..., T tasks/s, E events/s, ETA ..."
    REQUIRE(tasks != std::string::npos);
    double tasks_per_s = number_before(tasks), events_per_s = number_before(at);
    INFO(tasks_per_s << " tasks/s, " << events_per_s << " events/s, " << events << " events in the run");
    CHECK(events_per_s >= 3 * tasks_per_s - 2);
    CHECK(events_per_s <= 4 * events + 1);
    fastest = std::max(fastest, events_per_s);
  }
  CHECK(lines > 0);
  CHECK(fastest > 0);
  CHECK(run_on_terminal(with(args, {"--quiet"})).find("simulated") == std::string::npos);
  REQUIRE(run(args, err) == 0);
  CHECK(slurp(err).find("simulated") == std::string::npos);  // not a terminal: the per-run line only
  CHECK(slurp(err).find(CROWDSIM_SANITIZED ? "tasks closed of 200000" : "tasks closed of 1000000") != std::string::npos);
  fs::remove_all(dir);
}
