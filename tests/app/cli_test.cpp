// The command line as a user meets it: exit statuses, messages, files, and reproducibility.

#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "io/hdf5_compare.hpp"

namespace fs = std::filesystem;

namespace {

struct Result {
  int status;
  std::string output;  // stdout and stderr together
};

Result run_cli(const std::string& args) {
  std::string cmd = std::string(CROWDSIM_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int st = pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

fs::path scratch(const std::string& name) {
  fs::path dir = crowdsim::testing::test_tmp() / "crowdsim_cli_test";
  fs::create_directories(dir);
  return dir / name;
}

const std::string kDemo = std::string(CROWDSIM_SOURCE_DIR) + "/scenarios/demo.json";
const std::string kSmall = " --set tasks.count=300 --quiet --force";  // --force: scratch files stay between test runs

}  // namespace

TEST_CASE("app::cli: help, list and unknown commands", "[app]") {
  CHECK(run_cli("--help").status == 0);
  Result run_help = run_cli("run --help");
  CHECK(run_help.status == 0);
  CHECK_THAT(run_help.output, Catch::Contains("--replications") && Catch::Contains("--detail"));
  Result list = run_cli("list");
  CHECK(list.status == 0);
  CHECK_THAT(list.output, Catch::Contains("fifo") && Catch::Contains("exponential_progress") &&
                              Catch::Contains("lognormal"));
  // The behaviour models, each with its one-line description.
  CHECK_THAT(list.output, Catch::Contains("behavior: how workers respond") && Catch::Contains("  sampled  ") &&
                              Catch::Contains("  strategic  ") && Catch::Contains("  fixed  ") &&
                              Catch::Contains("expected utility") && Catch::Contains("oracle_accuracy"));
  // Every parameter of a kind's entry, from its declaration; unknown kinds and names exit 2.
  Result params = run_cli("list --params assignment epsilon_greedy");
  CHECK(params.status == 0);
  CHECK_THAT(params.output, Catch::Contains("epsilon") && Catch::Contains("a number in [0, 1]; default 0.1") &&
                                Catch::Contains("candidates") && !Catch::Contains("ucb"));
  CHECK(run_cli("list --params assignment epsilon_greedyy").status == 2);
  // Every kind is a registry with declared parameters: behaviour, review, arrival, confusion, aggregation.
  Result all = run_cli("list --params");
  CHECK(all.status == 0);
  for (const char* line : {"behavior: ", "review: ", "arrival: ", "confusion: ", "aggregation: ", "effort_min ",
                           "gold_fraction ", "rate_per_hour ", "concentration ", "time_column "})
    CHECK_THAT(all.output, Catch::Contains(line));
  CHECK_THAT(run_cli("list assignmnt").output, Catch::Contains("did you mean \"assignment\""));
  // The platform's own sections, from their declarations.
  for (const char* line : {"scenario: ", "  monitor.alerts ", "snapshot_interval ", "time_noise ", "  review.prior ",
                           "reservation_wage ", "as in workers", "abandon_timeout ", "as in tasks"})
    CHECK_THAT(all.output, Catch::Contains(line));
  Result alerts = run_cli("list --params scenario monitor.alerts");
  CHECK(alerts.status == 0);
  CHECK_THAT(alerts.output, Catch::Contains("abandonment_min_ended an integer in [1, 1000000000]; default 10") &&
                                !Catch::Contains("snapshot_interval") && !Catch::Contains("epsilon"));
  CHECK_THAT(run_cli("list --params scenario monitor.alert").output, Catch::Contains("did you mean \"monitor.alerts\""));
  // The distributions' forms, from their declarations.
  Result gamma = run_cli("list --params distribution gamma");
  CHECK(gamma.status == 0);
  CHECK_THAT(gamma.output, Catch::Contains("form 2:") && Catch::Contains("shape              a number > 0; required") &&
                               !Catch::Contains("lognormal"));
  Result schema = run_cli("schema");
  CHECK(schema.status == 0);
  CHECK_THAT(schema.output, Catch::StartsWith("{") && Catch::Contains("\"epsilon_greedy\""));
  Result bad = run_cli("rnu x.json");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.output, Catch::Contains("did you mean \"run\""));
}

TEST_CASE("app::cli: a bad scenario exits 2 naming the JSON path, and writes nothing", "[app]") {
  fs::path out = scratch("bad.h5");
  fs::remove(out);
  Result r = run_cli("run " + kDemo + " -o " + out.string() + " --set workers.accuracy.alpha=\\\"abc\\\"");
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Catch::Contains("workers.accuracy.alpha: expected a number > 0, found \"abc\""));
  CHECK(!fs::exists(out));
  CHECK(run_cli("validate " + kDemo).status == 0);
  Result v = run_cli("validate " + kDemo + " --set tasks.bounty=-1");
  CHECK(v.status == 2);
  CHECK_THAT(v.output, Catch::Contains("tasks.bounty"));
  CHECK(run_cli("run " + kDemo).status == 2);  // no -o
}

TEST_CASE("app::cli: same seed gives identical datasets, another seed does not", "[app]") {
  fs::path a = scratch("a.h5"), b = scratch("b.h5"), c = scratch("c.h5");
  REQUIRE(run_cli("run " + kDemo + " -o " + a.string() + kSmall + " --replications 2").status == 0);
  REQUIRE(run_cli("run " + kDemo + " -o " + b.string() + kSmall + " --replications 2").status == 0);
  REQUIRE(run_cli("run " + kDemo + " -o " + c.string() + kSmall + " --replications 2 --seed 43").status == 0);
  std::ostringstream diffs;
  CHECK(crowdsim::io::compare_files(a.string(), b.string(), diffs));
  INFO(diffs.str());
  std::ostringstream diffs2;
  CHECK_FALSE(crowdsim::io::compare_files(a.string(), c.string(), diffs2));
  CHECK(!fs::exists(a.string() + ".tmp"));
}

TEST_CASE("app::cli: aggregate prints accuracy, writes estimates, and refuses bad CSV with the line", "[app]") {
  std::string data = std::string(CROWDSIM_SOURCE_DIR) + "/data/crowd/rte_snow2008/";
  fs::path out = scratch("rte_ds.csv");
  fs::remove(out);
  Result r = run_cli("aggregate " + data + "labels.csv --method ds --truth " + data + "truth.csv -o " + out.string());
  CHECK(r.status == 0);
  CHECK_THAT(r.output, Catch::Contains("accuracy: 0.92"));
  std::ifstream in(out);
  std::string header;
  std::getline(in, header);
  CHECK(header == "item,label,confidence");
  // An existing output is kept unless --force.
  CHECK(run_cli("aggregate " + data + "labels.csv --method mv -o " + out.string()).status == 2);
  CHECK(run_cli("aggregate " + data + "labels.csv --method mv -o " + out.string() + " --force").status == 0);
  fs::path bad = scratch("bad_labels.csv");
  std::ofstream(bad) << "item,worker,label\n1,a,0\n2,b\n";
  Result b = run_cli("aggregate " + bad.string() + " --method mv");
  CHECK(b.status == 2);
  CHECK_THAT(b.output, Catch::Contains("bad_labels.csv:3:"));
  CHECK(run_cli("aggregate " + bad.string() + " --method majority").status == 2);
  // A worker's repeated answers are reported; --duplicates error refuses them.
  std::string ws = std::string(CROWDSIM_SOURCE_DIR) + "/data/crowd/ws_amt_venanzi/labels.csv";
  Result rep = run_cli("aggregate " + ws + " --method mv");
  CHECK(rep.status == 0);
  CHECK_THAT(rep.output, Catch::Contains("warning: 5 rows repeat a worker's answer to the same item (") &&
                             Catch::Contains("; 0 with another label); each counts as an answer, as in crowd-kit"));
  Result refused = run_cli("aggregate " + ws + " --method mv --duplicates error");
  CHECK(refused.status == 2);
  CHECK_THAT(refused.output, Catch::Contains("labels.csv:") && Catch::Contains("expected one answer per item and worker"));
  CHECK(run_cli("aggregate " + ws + " --method mv --duplicates some").status == 2);
}

namespace {
// Standard output alone (standard error dropped).
std::string stdout_of(const std::string& args) {
  std::string cmd = std::string(CROWDSIM_BINARY) + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  pclose(p);
  return out;
}
std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

// The truth only scores: a truth row with a label no answer uses leaves every estimate as it
// was (it used to add a class, which moved onecoin's), counts as wrong and is reported; a truth
// item given twice, or no truth item among the answers, is an error (status 2, file:line).
TEST_CASE("app::cli: aggregate --truth scores without changing the estimates", "[app]") {
  std::string data = std::string(CROWDSIM_SOURCE_DIR) + "/data/crowd/rte_snow2008/";
  std::ifstream in(data + "truth.csv");
  std::string header, first, line, rest;
  std::getline(in, header);
  std::getline(in, first);
  while (std::getline(in, line)) rest += line + "\n";
  fs::path odd = scratch("truth_extra_label.csv"), twice = scratch("truth_twice.csv"), none = scratch("truth_none.csv");
  std::ofstream(odd) << header << "\n" << first.substr(0, first.find(',')) << ",7\n" << rest;
  std::ofstream(twice) << header << "\n" << first << "\n" << rest << first << "\n";
  std::ofstream(none) << "item,truth\nno_such_item,1\n";
  std::string plain = stdout_of("aggregate " + data + "labels.csv --method onecoin -o -");
  Result r = run_cli("aggregate " + data + "labels.csv --method onecoin --truth " + odd.string() + " -o " +
                     scratch("extra.csv").string() + " --force");
  CHECK(r.status == 0);
  CHECK_THAT(r.output, Catch::Contains("1 of the 800 judged items have a true label that no answer uses; they count as wrong"));
  CHECK(slurp(scratch("extra.csv")) == plain);
  Result t = run_cli("aggregate " + data + "labels.csv --method mv --truth " + twice.string());
  CHECK(t.status == 2);
  CHECK_THAT(t.output, Catch::Contains("truth_twice.csv:802: expected one truth per item"));
  Result n = run_cli("aggregate " + data + "labels.csv --method mv --truth " + none.string());
  CHECK(n.status == 2);
  CHECK_THAT(n.output, Catch::Contains("truth_none.csv: expected a truth for at least one answered item"));
}

// Ties: random by default and reproducible; --ties first reproduces crowd-kit's rule (on web,
// .7765 against about .73 at random). EM methods that stop at their cap say so on stderr.
TEST_CASE("app::cli: aggregate breaks ties at random unless --ties first, and warns at the EM cap", "[app]") {
  std::string data = std::string(CROWDSIM_SOURCE_DIR) + "/data/crowd/web_zhou2012/";
  std::string args = "aggregate " + data + "labels.csv --method mv --truth " + data + "truth.csv";
  CHECK_THAT(run_cli(args + " --ties first").output, Catch::Contains("accuracy: 0.7765"));
  Result r = run_cli(args);
  CHECK(r.status == 0);
  CHECK_THAT(r.output, !Catch::Contains("accuracy: 0.7765"));
  CHECK(run_cli(args).output == r.output);
  CHECK(run_cli(args + " --ties last").status == 2);
  Result ds = run_cli("aggregate " + data + "labels.csv --method ds");
  CHECK(ds.status == 0);
  CHECK_THAT(ds.output, Catch::Contains("warning: ds stopped at its cap of 100 EM iterations before converging"));
}

// -o: "-" is standard output (the accuracy then goes to standard error); an existing symbolic
// link is written through, not replaced by a file (as root, -o /dev/stdout --force had replaced
// /dev/stdout itself); cells holding a comma or a quote are quoted.
TEST_CASE("app::cli: aggregate -o writes through links, to - and quotes CSV cells", "[app]") {
  fs::path labels = scratch("quoted_labels.csv");
  std::ofstream(labels) << "item,worker,label\n\"a,1\",w1,\"x\"\"y\"\n\"a,1\",w2,\"x\"\"y\"\nb,w1,z\n";
  std::string csv = stdout_of("aggregate " + labels.string() + " --method mv -o -");
  CHECK(csv == "item,label,confidence\n\"a,1\",\"x\"\"y\",1\nb,z,1\n");
  fs::path target = scratch("link_target.csv"), link = scratch("link.csv");
  fs::remove(link);
  std::ofstream(target) << "old\n";
  fs::create_symlink(target, link);
  CHECK(run_cli("aggregate " + labels.string() + " --method mv -o " + link.string() + " --force").status == 0);
  CHECK(fs::is_symlink(link));
  CHECK(slurp(target) == csv);
  // Without --force, an existing link is still an existing output.
  CHECK(run_cli("aggregate " + labels.string() + " --method mv -o " + link.string()).status == 2);
  fs::remove(link);
}

// The policy comparison of the issue in one command: at least 6 policies, at least 10
// replications, and summarize's paired differences from the baseline. Every learning policy
// must come out significantly more accurate than random assignment (its interval above 0);
// fifo, blind to skill, must not.
TEST_CASE("app::cli: compare_policies runs and summarize prints paired differences from a baseline", "[app]") {
  fs::path out = scratch("compare.h5");
  Result r = run_cli("run " CROWDSIM_SOURCE_DIR "/scenarios/compare_policies.json -o " + out.string() + " --threads 2 --force");
  REQUIRE(r.status == 0);
  Result s = run_cli("summarize " + out.string() + " --baseline random --kpi accuracy --csv");
  REQUIRE(s.status == 0);
  std::istringstream csv(s.output);
  std::string line;
  auto fields = [](const std::string& l) {  // CSV: a quoted field may hold commas ("hungarian, ...")
    std::vector<std::string> f(1);
    bool quoted = false;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (l[i] == '"') {
        if (quoted && i + 1 < l.size() && l[i + 1] == '"') f.back() += '"', ++i;
        else quoted = !quoted;
      } else if (l[i] == ',' && !quoted) {
        f.emplace_back();
      } else {
        f.back() += l[i];
      }
    }
    return f;
  };
  std::getline(csv, line);
  std::vector<std::string> header = fields(line);
  auto col = [&](const char* name) {
    auto it = std::find(header.begin(), header.end(), name);
    REQUIRE(it != header.end());
    return static_cast<std::size_t>(it - header.begin());
  };
  // The swept parameter (hungarian's assignment.interval) has its own column.
  CHECK(line == "group,assignment_policy,incentive_policy,assignment.interval,kpi,unit,n,runs,mean,ci_low,ci_high,"
                "ci_method,diff_n,diff_mean,diff_low,diff_high,test,p_value,p_holm");
  int policies = 0;
  while (std::getline(csv, line)) {
    ++policies;
    std::vector<std::string> f = fields(line);
    REQUIRE(f.size() == header.size());
    std::string policy = f[col("assignment_policy")];
    INFO(line);
    CHECK(std::stoi(f[col("n")]) >= 10);
    if (policy == "random") continue;  // the baseline
    CHECK(std::stoi(f[col("diff_n")]) == std::stoi(f[col("n")]));  // every replication paired
    CHECK(f[col("test")] == "paired t");
    // Learning policies are significantly more accurate than random after Holm's correction.
    if (policy == "reputation" || policy == "ucb" || policy == "thompson" || policy == "learned" || policy == "hungarian") {
      CHECK(std::stod(f[col("diff_low")]) > 0);
      CHECK(std::stod(f[col("p_holm")]) < 0.05);
    }
    if (policy == "fifo") CHECK(std::stod(f[col("diff_low")]) < 0);
    CHECK(std::stod(f[col("p_holm")]) >= std::stod(f[col("p_value")]));
  }
  CHECK(policies >= 6);
  Result t = run_cli("summarize " + out.string() + " --baseline random");
  CHECK(t.output.find("paired by replication") != std::string::npos);
  CHECK(t.output.find("random / fixed") == std::string::npos);  // labels: only what differs
  Result bad = run_cli("summarize " + out.string() + " --baseline nosuch");
  CHECK(bad.status == 2);
  CHECK(bad.output.find("no group \"nosuch\"") != std::string::npos);
}

TEST_CASE("app::cli: deviations prints the gains and exits 1 only when one is significant", "[app]") {
  const std::string progress = std::string(CROWDSIM_SOURCE_DIR) + "/scenarios/equilibrium_progress.json";
  Result ok = run_cli("deviations " + progress + " --replications 4 --set tasks.count=200 --effort 0.9,1.1 --delay 0,0.1 -j 2");
  INFO(ok.output);
  CHECK(ok.status == 0);
  CHECK_THAT(ok.output, Catch::Contains("the whole group deviates") && Catch::Contains("expected gain") &&
                            Catch::Contains("no deviation gains significantly"));
  // Workers fixed far from their best response: a deviation toward it gains.
  Result bad = run_cli("deviations " + progress + " --group workers --effort 1.25 --delay 0.25 -j 2 --set "
                       "'workers.behavior={\"model\": \"fixed\", \"effort\": 1, \"effort_cost\": 0.02}'");
  INFO(bad.output);
  CHECK(bad.status == 1);
  CHECK_THAT(bad.output, Catch::Contains("gain significantly (*)"));
  Result typo = run_cli("deviations " + progress + " --effort 0.9,x");
  CHECK(typo.status == 2);
  CHECK_THAT(typo.output, Catch::Contains("--effort") && Catch::Contains("\"x\""));
}

// An output that names no file is refused before anything runs (it used to run everything, then
// fail to rename ".tmp" to ""); optimize keeps an interrupted attempt's OUT.partial unless --force
// (it used to delete it); a seed above 2^53 is exact (it was rounded through a double, so 2^53 + 1
// ran as 2^53 and was recorded so).
TEST_CASE("app::cli: outputs that name no file, optimize's leftovers and exact large seeds", "[app]") {
  CHECK(run_cli("run " + kDemo + " -o \"\"" + kSmall).status == 2);
  CHECK(run_cli("run " + kDemo + " -o " + crowdsim::testing::test_tmp().string() + "/" + kSmall).status == 2);
  fs::path out = scratch("opt_leftover.h5");
  fs::remove(out);
  std::ofstream(out.string() + ".partial") << "earlier runs";
  const std::string opt = "optimize " + std::string(CROWDSIM_SOURCE_DIR) +
                          "/scenarios/tune_incentives.json --set tasks.count=60 --set optimize.grid=2 --set optimize.rounds=1 "
                          "--replications 1 -q -o " + out.string();
  Result kept = run_cli(opt);
  CHECK(kept.status == 2);
  CHECK_THAT(kept.output, Catch::Contains(".partial holds the finished runs of an interrupted run"));
  CHECK(slurp(out.string() + ".partial") == "earlier runs");
  CHECK(run_cli(opt + " --force").status == 0);
  fs::path a = scratch("seed_a.h5"), b = scratch("seed_b.h5");
  CHECK(run_cli("run " + kDemo + " -o " + a.string() + " --seed 9007199254740992" + kSmall).status == 0);
  CHECK(run_cli("run " + kDemo + " -o " + b.string() + " --seed 9007199254740993" + kSmall).status == 0);
  // The runs' tables differ (not only the recorded seed): another seed, other draws.
  std::ostringstream diffs;
  CHECK_FALSE(crowdsim::io::compare_files(a.string(), b.string(), diffs, "/runs/000000"));
  CHECK_THAT(diffs.str(), Catch::Contains("/runs/000000/tasks"));
  CHECK(run_cli("validate " + kDemo + " --set seed=9223372036854775808").status == 2);
}
