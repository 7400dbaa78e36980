// The command line's results side: warnings of degenerate runs, files it refuses to overwrite
// or cannot read, numbers it refuses, and a help page per command.

#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <H5Cpp.h>

namespace fs = std::filesystem;

namespace {

struct Result {
  int status;
  std::string out, err;
};

// stdout and stderr apart: warnings belong on stderr.
Result run_cli(const std::string& args) {
  fs::path err = crowdsim::testing::test_tmp() / "crowdsim_cli_results_stderr.txt";
  std::string cmd = std::string(CROWDSIM_BINARY) + " " + args + " 2>" + err.string();
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int st = pclose(p);
  std::ifstream in(err);
  std::string e((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out, e};
}

fs::path scratch(const std::string& name) {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_cli_results_test";
  fs::create_directories(dir);
  return dir / name;
}

const std::string kDemo = std::string(CROWDSIM_SOURCE_DIR) + "/scenarios/demo.json";

std::string root_attribute(const std::string& path, const char* name) {
  H5::H5File f(path, H5F_ACC_RDONLY);
  H5::Attribute a = f.openAttribute(name);
  std::string v;
  a.read(a.getStrType(), v);
  return v;
}

}  // namespace

TEST_CASE("app::cli: the console warns of budget exhaustion and of runs that closed no task", "[app]") {
  fs::path out = scratch("budget.h5");
  // A budget of 10 for 200 tasks of bounty 1 (demo.json): most are refused.
  Result b = run_cli("run " + kDemo + " -o " + out.string() + " --force --replications 2 --set tasks.count=200 --set budget=10");
  INFO(b.err);
  REQUIRE(b.status == 0);
  CHECK_THAT(b.err, Catch::Contains("warning: the budget ran out in 2 of 2 runs: ") && Catch::Contains(" tasks refused"));
  CHECK_THAT(b.err, Catch::Contains(" refused (budget ran out)"));  // and in each run's line
  CHECK_THAT(b.out, !Catch::Contains("warning"));
  CHECK_THAT(root_attribute(out.string(), "warnings"), Catch::Contains("\"budget_exhausted\":2"));
  // Three events per run: tasks are published, none closes.
  fs::path none = scratch("none_closed.h5");
  Result n = run_cli("run " + kDemo + " -o " + none.string() + " --force --replications 3 --set tasks.count=50 --set max_events=3");
  INFO(n.err);
  REQUIRE(n.status == 0);
  CHECK_THAT(n.err, Catch::Contains("warning: 3 of 3 runs closed no task (runs 0, 1, 2)"));
  CHECK_THAT(root_attribute(none.string(), "warnings"), Catch::Contains("\"no_task_closed\":3"));
  // summarize then says the accuracy rests on no run, rather than printing a number.
  Result s = run_cli("summarize " + none.string() + " --kpi accuracy");
  CHECK_THAT(s.out, Catch::Contains("nan n=0 of 3"));
  // A healthy run warns of nothing.
  Result ok = run_cli("run " + kDemo + " -o " + scratch("ok.h5").string() + " --force --set tasks.count=100");
  CHECK_THAT(ok.err, !Catch::Contains("warning"));
}

TEST_CASE("app::cli: run refuses to overwrite an existing output without --force", "[app]") {
  fs::path out = scratch("exists.h5");
  std::ofstream(out) << "precious";
  Result r = run_cli("run " + kDemo + " -o " + out.string() + " --set tasks.count=50 --quiet");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains(out.string() + " already exists: add --force"));
  std::ifstream in(out);
  std::string kept;
  std::getline(in, kept);
  CHECK(kept == "precious");
  CHECK(run_cli("run " + kDemo + " -o " + out.string() + " --set tasks.count=50 --quiet --force").status == 0);
  CHECK(fs::file_size(out) > 1000);
  CHECK(run_cli("merge -o " + out.string() + " " + out.string()).status == 2);
}

TEST_CASE("app::cli: mistakes found before a run: a missing output directory, a directory as scenario, --set JSON that does not parse", "[app]") {
  Result dir = run_cli("run " + kDemo + " -o " + scratch("no_such_dir/x.h5").string() + " --quiet");
  CHECK(dir.status == 2);
  CHECK_THAT(dir.err, Catch::Contains("no_such_dir does not exist") && Catch::Contains("mkdir -p"));
  Result folder = run_cli("validate " + std::string(CROWDSIM_SOURCE_DIR) + "/scenarios");
  CHECK(folder.status == 2);
  CHECK_THAT(folder.err, Catch::Contains("expected a scenario file, found the directory"));
  // A missing closing brace: once, this silently became the string "{...", and the error named
  // the sweep's type, not the typo.
  Result json = run_cli("validate " + kDemo + " --set 'sweep={\"grid\": {\"incentive.beta\": [1, 2]}'");
  CHECK(json.status == 2);
  CHECK_THAT(json.err, Catch::Contains("sweep: expected valid JSON after --set sweep=") && Catch::Contains("column 36"));
  CHECK(run_cli("validate " + kDemo + " --set name=two_words").status == 0);  // a bare word is still a string
}

TEST_CASE("app::cli: summarize names a missing or non-HDF5 file, numbers out of range are refused", "[app]") {
  Result missing = run_cli("summarize " + scratch("nope.h5").string());
  CHECK(missing.status == 2);
  CHECK_THAT(missing.err, Catch::Contains("nope.h5: no such file") && !Catch::Contains("H5Fopen"));
  fs::path text = scratch("text.h5");
  std::ofstream(text) << "not hdf5\n";
  Result bad = run_cli("summarize " + text.string());
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Catch::Contains("text.h5: not an HDF5 file"));
  Result seed = run_cli("validate " + kDemo + " --seed -1");
  CHECK(seed.status == 2);
  CHECK_THAT(seed.err, Catch::Contains("--seed: expected a whole number from 0 to 9223372036854775807, found \"-1\""));
  CHECK_THAT(seed.err, !Catch::Contains("18446744073709551615"));
  CHECK(run_cli("validate " + kDemo + " --seed 9223372036854775808").status == 2);
  CHECK(run_cli("validate " + kDemo + " --seed 1e3").status == 2);
  CHECK(run_cli("validate " + kDemo + " --replications -1").status == 2);
  CHECK(run_cli("validate " + kDemo + " --seed 9223372036854775807").status == 0);
  Result format = run_cli("summarize " + text.string() + " --format html");
  CHECK(format.status == 2);
  CHECK_THAT(format.err, Catch::Contains("expected text, markdown or latex, found \"html\""));
}

TEST_CASE("app::cli: every command has its own help page with an example", "[app]") {
  std::string previous;
  for (const char* command : {"run", "sweep", "optimize", "deviations", "merge", "aggregate", "validate", "list", "summarize"}) {
    Result h = run_cli(std::string(command) + " --help");
    INFO(command);
    CHECK(h.status == 0);
    CHECK_THAT(h.out, Catch::StartsWith(std::string("usage: crowdsim ") + command));
    if (std::string(command) != "list") CHECK_THAT(h.out, Catch::Contains("crowdsim " + std::string(command) + " "));
    CHECK_THAT(h.out, Catch::Contains("example"));
    CHECK(h.out != previous);
    previous = h.out;
  }
  // Every aggregation method of the registry, not "mv | ds".
  Result agg = run_cli("aggregate --help");
  for (const char* m : {"mv", "ds", "wmv", "onecoin", "glad", "kos"}) CHECK_THAT(agg.out, Catch::Contains(m));
  CHECK_THAT(run_cli("run --help").out, Catch::Contains("--force"));
  // summarize --help documents the CSV columns print_csv writes (tests/io/statistics_test.cpp
  // checks the list against a real header).
  Result sum = run_cli("summarize --help");
  for (const char* col : {"  group ", "  ci_method ", "  p_holm ", "  PARAM ", "--format"}) CHECK_THAT(sum.out, Catch::Contains(col));
  CHECK_THAT(sum.out, !Catch::Contains("group, kpi, n, mean, ci_low, ci_high"));
}

TEST_CASE("app::cli: summarize warns that a partial file may miss runs", "[app]") {
  fs::path out = scratch("partial_summary.h5"), partial = scratch("partial_summary.h5.partial");
  fs::remove(out);
  REQUIRE(run_cli("run " + kDemo + " -o " + out.string() + " --quiet --replications 2 --set tasks.count=50").status == 0);
  Result complete = run_cli("summarize " + out.string() + " --kpi accuracy");
  CHECK(complete.status == 0);
  CHECK(complete.err.empty());
  fs::copy_file(out, partial, fs::copy_options::overwrite_existing);
  {  // what an interrupted run leaves: the same rows, marked partial
    H5::H5File f(partial.string(), H5F_ACC_RDWR);
    H5::Attribute a = f.openAttribute("status");
    std::string value = "partial";
    a.write(a.getStrType(), value);
  }
  Result r = run_cli("summarize " + partial.string() + " --kpi accuracy");
  CHECK(r.status == 0);
  CHECK(r.out == complete.out);  // the table is the table of the runs it has
  CHECK_THAT(r.err, Catch::Contains("is marked partial") && Catch::Contains("--resume"));
}

TEST_CASE("app::cli: a contest whose strategies do not converge is warned of, on stderr and in the file", "[app]") {
  // Two identical contestants, exact review: an all-pay auction, with no equilibrium in pure
  // strategies. The iteration cannot converge; a run that says nothing reads as an outcome.
  fs::path scenario = scratch("allpay.json"), out = scratch("allpay.h5");
  std::ofstream(scenario) << R"({"name": "allpay", "seed": 5, "tasks": {"count": 20, "arrival": {"process": "batch"},
    "kind": "continuous", "expected_duration": 60, "bounty": 1.0, "redundancy": 2},
    "workers": {"count": 2, "accuracy": 0.6, "reservation_wage": 6.0,
                "behavior": {"model": "strategic", "effort_cost": 0.0, "kappa": 1.5}},
    "work": {"time_noise": 1.0}, "review": {"model": "exact"},
    "incentive": {"policy": "tournament", "winners": 1, "prizes": [1]}})";
  Result r = run_cli("run " + scenario.string() + " -o " + out.string() + " --force");
  CHECK(r.status == 0);
  CHECK_THAT(r.err, Catch::Contains("warning: the workers' strategies did not converge") && Catch::Contains("1 row of strategies"));
  CHECK_THAT(root_attribute(out.string(), "warnings"), Catch::Contains("\"strategies_not_converged\":1"));
  // With review noise the same contest has an equilibrium, and no warning.
  Result noisy = run_cli("run " + scenario.string() + " -o " + out.string() + " --force --set review.model=noisy --set review.sd=0.2");
  CHECK(noisy.status == 0);
  CHECK_THAT(noisy.err, !Catch::Contains("did not converge"));
}

TEST_CASE("app::cli: an in-run EM batch aggregation stopped at its cap is warned of, on stderr and in the file", "[app]") {
  // 300 four-class tasks of 3 answers each from 300 workers of at most 3 tasks, 70% of them
  // adversarial (accuracy 0.3): Dawid-Skene's 100 iterations leave its posteriors moving by
  // 0.04 (crowdsim aggregate says so of the same answers). Its accuracy_ds alone reads as a result.
  fs::path scenario = scratch("em_cap.json"), out = scratch("em_cap.h5");
  std::ofstream(scenario) << R"({"name": "em_cap", "seed": 7, "replications": 2,
    "tasks": {"count": 300, "arrival": {"process": "batch"}, "expected_duration": 60, "redundancy": 3, "classes": 4},
    "workers": {"count": 300, "max_tasks": 3, "groups": [{"name": "good", "share": 0.3, "accuracy": 0.9},
                                                         {"name": "bad", "share": 0.7, "accuracy": 0.3}]},
    "assignment": {"policy": "random"}, "aggregation": {"batch": ["mv", "ds"]}})";
  Result r = run_cli("run " + scenario.string() + " -o " + out.string() + " --force");
  CHECK(r.status == 0);
  CHECK_THAT(r.err, Catch::Contains("warning: ds stopped at its cap of 100 EM iterations before converging in 2 of 2 "
                                    "runs (runs 0, 1; 2 batches") &&
                        Catch::Contains("(tolerance 1e-07; KPI em_moved_ds)"));
  CHECK_THAT(r.err, !Catch::Contains("warning: mv"));
  const std::string stored = root_attribute(out.string(), "warnings");
  CHECK_THAT(stored, Catch::Contains("\"em_not_converged\":2") && Catch::Contains("ds stopped at its cap"));
  // Nine answers of two classes from 30 workers of accuracy 0.8: EM converges, and says nothing.
  std::ofstream(scenario) << R"({"name": "em_converges", "seed": 7, "replications": 2,
    "tasks": {"count": 100, "arrival": {"process": "batch"}, "expected_duration": 60, "redundancy": 9, "classes": 2},
    "workers": {"count": 30, "max_tasks": 100, "accuracy": 0.8},
    "assignment": {"policy": "random"}, "aggregation": {"batch": ["mv", "ds"]}})";
  Result ok = run_cli("run " + scenario.string() + " -o " + out.string() + " --force");
  CHECK(ok.status == 0);
  CHECK_THAT(ok.err, !Catch::Contains("stopped at its cap") && !Catch::Contains("warning"));
  CHECK_THAT(root_attribute(out.string(), "warnings"), !Catch::Contains("em_not_converged"));
}

// A horizon cuts the run with tasks still open: the latencies are then over the quicker tasks
// that closed, and a comparison at a fixed horizon must know it. The same run to its end says
// nothing.
TEST_CASE("app::cli: tasks still open when a run ends are warned of, on stderr and in the file", "[app]") {
  fs::path out = scratch("open_at_end.h5");
  Result cut = run_cli("run " + kDemo + " -o " + out.string() + " --force --replications 2 --set horizon=2h");
  CHECK(cut.status == 0);
  CHECK_THAT(cut.err, Catch::Contains("warning: tasks were still open when the run ended in 2 of 2 runs: ") &&
                          Catch::Contains("which leaves out the slowest"));
  CHECK_THAT(root_attribute(out.string(), "warnings"), Catch::Contains("\"tasks_open\":2"));
  Result whole = run_cli("run " + kDemo + " -o " + out.string() + " --force --replications 2");
  CHECK(whole.status == 0);
  CHECK_THAT(whole.err, !Catch::Contains("still open"));
  CHECK_THAT(root_attribute(out.string(), "warnings"), !Catch::Contains("tasks_open"));
}
