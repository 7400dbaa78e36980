// Intervals that respect a KPI's range, the tests of a difference from a baseline with Holm's
// correction (against scipy), and the labels of the tables (their numbers: tests/io/format_test.cpp).

#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "experiment/intervals.hpp"
#include "experiment/summarize.hpp"
#include "io/format.hpp"
#include "io/hdf5_recorder.hpp"

using namespace crowdsim;
using experiment::KpiKind;

TEST_CASE("experiment::intervals: a bounded KPI's interval never leaves its range", "[experiment]") {
  // Wide cases (n = 2 far apart, one value at a bound), all-equal values, values at the bounds.
  std::vector<std::vector<double>> proportions{
      {0.01, 0.99}, {0.0, 1.0}, {0.0, 0.5}, {0.97, 1.0}, {0.5925, 0.5925}, {1, 1, 1}, {0, 0},
      {0.3, 0.9, std::nan("")}, {0.001, 0.002, 0.9, 0.95}, {0.62, 0.58, 0.61, 0.66}};
  for (const auto& v : proportions) {
    experiment::KpiStat s = experiment::kpi_stat(v, 0.95, KpiKind::kProportion);
    INFO("mean " << s.mean << " [" << s.low << ", " << s.high << "]");
    CHECK(s.low >= 0);
    CHECK(s.high <= 1);
    CHECK(s.low <= s.mean);
    CHECK(s.mean <= s.high);
    // Student t on the same values leaves [0, 1] in the wide cases: the check above is not idle.
  }
  CHECK(experiment::kpi_stat({0.01, 0.99}).high > 1);
  CHECK(experiment::kpi_stat({0.01, 0.99}).low < 0);
  for (KpiKind k : {KpiKind::kPositive, KpiKind::kCount}) {
    for (const auto& v : std::vector<std::vector<double>>{{1, 3000}, {0, 5}, {0, 0, 0}, {820, 820}, {60, 1900, 500, 820}}) {
      experiment::KpiStat s = experiment::kpi_stat(v, 0.95, k);
      INFO(experiment::kind_name(k) << " mean " << s.mean << " [" << s.low << ", " << s.high << "]");
      CHECK(s.low >= 0);
      CHECK(s.low <= s.mean);
      CHECK(s.mean <= s.high);
    }
  }
  CHECK(experiment::kpi_stat({60, 1900, 500, 820}).low < 0);  // what Student t said of a latency
  // All equal: a point, on every scale.
  experiment::KpiStat same = experiment::kpi_stat({0.4, 0.4, 0.4}, 0.95, KpiKind::kProportion);
  CHECK(same.mean == Approx(0.4));
  CHECK(same.low == same.mean);
  CHECK(same.high == same.mean);
  // n counts the finite values, total every run.
  experiment::KpiStat partial = experiment::kpi_stat({0.5, std::nan(""), 0.7, std::nan("")}, 0.95, KpiKind::kProportion);
  CHECK(partial.n == 2);
  CHECK(partial.total == 4);
}

// The transformed intervals are the delta-method t intervals: for the positive case,
// m · exp(± t · se / m). Reference: scipy, for values 60, 1900, 500, 820:
//   m = np.mean(v); se = scipy.stats.sem(v); t = scipy.stats.t.ppf(0.975, 3)
//   m * np.exp(-t * se / m), m * np.exp(t * se / m)  -> 178.91965237163814, 3758.1114823727826
// and for proportions 0.62, 0.58, 0.61, 0.66 on the logit scale:
//   L = np.log(m / (1 - m)); h = t * se / (m * (1 - m)); scipy.special.expit(L - h), expit(L + h)
//   -> 0.5637411316532879, 0.6685294478531489
TEST_CASE("experiment::intervals: log- and logit-scale intervals equal scipy's computation", "[experiment]") {
  experiment::KpiStat pos = experiment::kpi_stat({60, 1900, 500, 820}, 0.95, KpiKind::kPositive);
  CHECK(pos.mean == Approx(820));
  CHECK(pos.low == Approx(178.91965237163814).epsilon(1e-12));
  CHECK(pos.high == Approx(3758.1114823727826).epsilon(1e-12));
  experiment::KpiStat p = experiment::kpi_stat({0.62, 0.58, 0.61, 0.66}, 0.95, KpiKind::kProportion);
  CHECK(p.low == Approx(0.5637411316532879).epsilon(1e-12));
  CHECK(p.high == Approx(0.6685294478531489).epsilon(1e-12));
}

namespace {

struct Run {
  const char* policy;
  std::uint32_t replication;
  double accuracy;
};

std::string write_runs(const std::string& name, const std::vector<Run>& runs, const std::vector<std::string>& params = {}) {
  auto path = (crowdsim::testing::test_tmp() / name).string();
  io::Hdf5Recorder rec(path, io::FileMetadata{"{}"}, io::Detail::kSummary);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    models::RunInfo info;
    info.run_id = i;
    info.replication = runs[i].replication;
    info.assignment_policy = runs[i].policy;
    info.incentive_policy = "fixed";
    if (i < params.size()) info.params = params[i];
    rec.begin_run(info);
    rec.end_run(info, models::Kpis{{"accuracy", runs[i].accuracy}});
  }
  rec.finish();
  return path;
}

}  // namespace

// Reference (scipy 1.10.1; Holm's step-down written out, scipy has none):
//   base = [0.61, 0.72, 0.55, 0.68, 0.70]; a = [0.66, 0.75, 0.60, 0.69, 0.77]
//   b = [0.60, 0.70, 0.57, 0.66, 0.69]; c = [0.80, 0.91, 0.85]
//   p = [stats.ttest_rel(a, base).pvalue, stats.ttest_rel(b, base).pvalue,
//        stats.ttest_ind(c, base, equal_var=False).pvalue]
//     = [0.014631051442021727, 0.33750185654036235, 0.0055727020004873885]
//   o = np.argsort(p); running = 0
//   for j, i in enumerate(o): running = max(running, min(1, (3 - j) * p[i])); holm[i] = running
//     = [0.029262102884043455, 0.33750185654036235, 0.016718106001462167]
TEST_CASE("experiment::summarize: --baseline p-values and their Holm correction equal scipy's", "[experiment]") {
  std::vector<double> base{0.61, 0.72, 0.55, 0.68, 0.70}, a{0.66, 0.75, 0.60, 0.69, 0.77},
      b{0.60, 0.70, 0.57, 0.66, 0.69}, c{0.80, 0.91, 0.85};
  std::vector<double> da, db;
  for (std::size_t i = 0; i < base.size(); ++i) da.push_back(a[i] - base[i]), db.push_back(b[i] - base[i]);
  CHECK(experiment::paired_t_p(da) == Approx(0.014631051442021727).epsilon(1e-9));
  CHECK(experiment::paired_t_p(db) == Approx(0.33750185654036235).epsilon(1e-9));
  CHECK(experiment::welch_t_p(c, base) == Approx(0.0055727020004873885).epsilon(1e-9));
  std::vector<double> h = experiment::holm({0.014631051442021727, 0.33750185654036235, 0.0055727020004873885, std::nan("")});
  CHECK(h[0] == Approx(0.029262102884043455).epsilon(1e-12));
  CHECK(h[1] == Approx(0.33750185654036235).epsilon(1e-12));
  CHECK(h[2] == Approx(0.016718106001462167).epsilon(1e-12));
  CHECK(std::isnan(h[3]));

  // The same through a results file: a and b share the baseline's replications 0..4 (paired),
  // c ran replications 10..12 (nothing to pair: Welch).
  std::vector<Run> runs;
  for (std::uint32_t i = 0; i < 5; ++i) runs.push_back({"base", i, base[i]});
  for (std::uint32_t i = 0; i < 5; ++i) runs.push_back({"a", 4 - i, a[4 - i]});  // another order
  for (std::uint32_t i = 0; i < 5; ++i) runs.push_back({"b", i, b[i]});
  for (std::uint32_t i = 0; i < 3; ++i) runs.push_back({"c", 10 + i, c[i]});
  std::string path = write_runs("crowdsim_holm_test.h5", runs);
  experiment::SummaryTable t = experiment::summarize_file(path);
  std::size_t bi = experiment::find_group(t, "base");
  std::vector<std::vector<experiment::Comparison>> cmp = experiment::compare_to(t, {0}, bi);
  const experiment::Comparison &ca = cmp[experiment::find_group(t, "a")][0], &cb = cmp[experiment::find_group(t, "b")][0],
                       &cc = cmp[experiment::find_group(t, "c")][0];
  CHECK(ca.paired);
  CHECK_FALSE(cc.paired);
  CHECK(ca.p_holm == Approx(0.029262102884043455).epsilon(1e-9));
  CHECK(cb.p_holm == Approx(0.33750185654036235).epsilon(1e-9));
  CHECK(cc.p_holm == Approx(0.016718106001462167).epsilon(1e-9));
  CHECK(std::isnan(cmp[bi][0].p));
  // The table shows and stars the corrected values, and says how many comparisons were corrected for.
  std::ostringstream table;
  experiment::print_table(t, {"accuracy"}, table, bi);
  CHECK_THAT(table.str(), Catch::Contains("0.029*") && Catch::Contains("0.34\n") && Catch::Contains("0.017*") &&
                              Catch::Contains("Holm-corrected over the 3 comparisons") && Catch::Contains("Welch"));
  std::ostringstream csv;
  experiment::print_csv(t, {"accuracy"}, csv, bi);
  CHECK_THAT(csv.str(), Catch::Contains(",test,p_value,p_holm\n") && Catch::Contains(",Welch t,") &&
                            Catch::Contains(",paired t,"));
  std::filesystem::remove(path);
}

TEST_CASE("experiment::summarize: n per KPI, short group labels, one CSV column per parameter, LaTeX and Markdown", "[experiment]") {
  // Two points of a sweep over tasks.bounty (one value not exactly representable) and an NaN.
  std::vector<Run> runs{{"random", 0, 0.6}, {"random", 1, std::nan("")}, {"random", 0, 0.7}, {"random", 1, 0.8}};
  std::vector<std::string> params{R"({"tasks.bounty":0.11093750000000001,"incentive.beta":-0.5})",
                                  R"({"tasks.bounty":0.11093750000000001,"incentive.beta":-0.5})",
                                  R"({"tasks.bounty":0.2,"incentive.beta":-0.5})", R"({"tasks.bounty":0.2,"incentive.beta":-0.5})"};
  std::string path = write_runs("crowdsim_labels_test.h5", runs, params);
  experiment::SummaryTable t = experiment::summarize_file(path);
  REQUIRE(t.groups.size() == 2);
  // Only what differs, with the digits that tell the values apart and state each to 4 digits.
  CHECK(t.groups[0].short_label == "tasks.bounty=0.1109");
  CHECK(t.groups[1].short_label == "tasks.bounty=0.2");
  CHECK(t.param_names == std::vector<std::string>{"incentive.beta", "tasks.bounty"});
  std::ostringstream table;
  experiment::print_table(t, {"accuracy"}, table);
  CHECK_THAT(table.str(), Catch::Contains("0.6000 n=1 of 2") && Catch::Contains("logit-scale t"));
  std::ostringstream csv;
  experiment::print_csv(t, {"accuracy"}, csv);
  std::string header = csv.str().substr(0, csv.str().find('\n'));
  CHECK(header == "group,assignment_policy,incentive_policy,incentive.beta,tasks.bounty,kpi,unit,n,runs,mean,ci_low,"
                  "ci_high,ci_method");
  CHECK_THAT(csv.str(), Catch::Contains("tasks.bounty=0.1109,random,fixed,-0.5,0.11093750000000001,accuracy,,1,2,0.6,"));
  // Every CSV column is documented in summarize --help.
  std::string help = experiment::csv_columns_help();
  for (std::size_t start = 0; start < header.size();) {
    std::size_t comma = std::min(header.find(',', start), header.size());
    std::string col = header.substr(start, comma - start);
    if (col != "incentive.beta" && col != "tasks.bounty") CHECK_THAT(help, Catch::Contains("  " + col + " "));
    start = comma + 1;
  }
  std::ostringstream latex, md;
  experiment::print_table(t, {"accuracy"}, latex, experiment::kNoBaseline, io::TableFormat::kLatex);
  CHECK_THAT(latex.str(), Catch::Contains("\\begin{tabular}{lrr}") && Catch::Contains("\\toprule") &&
                              Catch::Contains("tasks.bounty=0.1109 & 2 & ") && Catch::Contains("\\end{tabular}"));
  experiment::print_table(t, {"accuracy"}, md, experiment::kNoBaseline, io::TableFormat::kMarkdown);
  CHECK_THAT(md.str(), Catch::Contains("| group | runs | accuracy |") && Catch::Contains("|:---|---:|---:|"));
  std::filesystem::remove(path);
}

TEST_CASE("experiment::summarize: sweep points that coincide count their runs once", "[experiment]") {
  // A random sweep with an integer parameter can draw the same point twice: its runs are the
  // same runs (same parameters, seed and replication). Counted twice they would double n and
  // add copies without spread: intervals too narrow, p-values too small.
  std::vector<Run> runs{{"random", 0, 0.70}, {"random", 1, 0.80}, {"random", 0, 0.60}, {"random", 1, 0.62},
                        {"random", 0, 0.70}, {"random", 1, 0.80}};
  std::vector<std::string> params{R"({"tasks.redundancy":3})", R"({"tasks.redundancy":3})", R"({"tasks.redundancy":1})",
                                  R"({"tasks.redundancy":1})", R"({"tasks.redundancy":3})", R"({"tasks.redundancy":3})"};
  std::string path = write_runs("crowdsim_repeated_test.h5", runs, params);
  experiment::SummaryTable t = experiment::summarize_file(path);
  REQUIRE(t.groups.size() == 2);
  const experiment::SummaryGroup& three = t.groups[experiment::find_group(t, "tasks.redundancy=3")];
  CHECK(three.runs == std::vector<std::size_t>{0, 1});
  CHECK(three.repeated == 2);
  CHECK(three.kpis[0].n == 2);
  CHECK(three.kpis[0].mean == Approx(0.75));
  std::vector<std::vector<experiment::Comparison>> cmp = experiment::compare_to(t, {0}, experiment::find_group(t, "tasks.redundancy=1"));
  CHECK(cmp[experiment::find_group(t, "tasks.redundancy=3")][0].diff.n == 2);  // two pairs, not four
  std::ostringstream table;
  experiment::print_table(t, {"accuracy"}, table);
  CHECK_THAT(table.str(), Catch::Contains("2 runs repeat a run of their group") && Catch::Contains("counted once"));
  std::filesystem::remove(path);

  // A repeat read before later groups exist is left out of them too: points 3, 3, 1, 2.
  std::vector<Run> later{{"random", 0, 0.70}, {"random", 0, 0.70}, {"random", 0, 0.60}, {"random", 0, 0.50}};
  std::vector<std::string> order{R"({"tasks.redundancy":3})", R"({"tasks.redundancy":3})", R"({"tasks.redundancy":1})",
                                 R"({"tasks.redundancy":2})"};
  path = write_runs("crowdsim_repeated_first_test.h5", later, order);
  experiment::SummaryTable u = experiment::summarize_file(path);
  REQUIRE(u.groups.size() == 3);
  for (const auto& g : u.groups) CHECK(g.values[0].size() == 1);
  CHECK(u.groups[experiment::find_group(u, "tasks.redundancy=2")].kpis[0].mean == Approx(0.50));
  std::filesystem::remove(path);
}

TEST_CASE("experiment::summarize: pairs counts the replications both groups ran, a KPI with fewer says so", "[experiment]") {
  std::vector<Run> runs{{"base", 0, 0.60}, {"base", 1, 0.62}, {"base", 2, 0.64}, {"base", 3, 0.61},
                        {"a", 0, 0.70}, {"a", 1, std::nan("")}, {"a", 2, 0.75}, {"a", 3, 0.71}};
  std::string path = write_runs("crowdsim_pairs_test.h5", runs);
  experiment::SummaryTable t = experiment::summarize_file(path);
  std::ostringstream table;
  experiment::print_table(t, {"accuracy"}, table, experiment::find_group(t, "base"));
  INFO(table.str());
  // "a" ran the 4 replications the baseline ran; its accuracy pairs 3 of them (one is NaN).
  CHECK_THAT(table.str(), Catch::Matches("[\\s\\S]*\\na +4 +[^\\n]* n=3 [\\s\\S]*"));
  std::filesystem::remove(path);
}

TEST_CASE("experiment::summarize: --baseline takes a group label as the plots write it too", "[experiment]") {
  std::vector<Run> runs{{"random", 0, 0.60}, {"random", 1, 0.62}, {"hungarian", 0, 0.70}, {"hungarian", 1, 0.72}};
  std::vector<std::string> params{"{}", "{}", R"({"assignment.interval":"30s"})", R"({"assignment.interval":"30s"})"};
  std::string path = write_runs("crowdsim_baseline_label_test.h5", runs, params);
  experiment::SummaryTable t = experiment::summarize_file(path);
  std::size_t h = experiment::find_group(t, "hungarian");
  CHECK(t.groups[h].short_label == "hungarian, assignment.interval=30s");
  CHECK(experiment::find_group(t, "hungarian, assignment.interval=30s") == h);
  CHECK(experiment::find_group(t, "assignment=hungarian, interval=30s") == h);  // crowdsim-plot's label
  CHECK_THROWS_WITH(experiment::find_group(t, "assignment=hungarian, interval=60s"), Catch::StartsWith("no group"));
  std::filesystem::remove(path);
}
