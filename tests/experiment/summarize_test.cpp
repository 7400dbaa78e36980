#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "experiment/summarize.hpp"
#include "io/hdf5_recorder.hpp"

using namespace crowdsim;

TEST_CASE("experiment::summarize: mean and Student-t 95% interval", "[experiment]") {
  experiment::KpiStat s = experiment::kpi_stat({1, 2, 3, 4, std::nan("")});  // NaN (no value) is left out
  CHECK(s.n == 4);
  CHECK(s.mean == 2.5);
  // sd = sqrt(5/3), se = sd / 2, t(3, 0.975) = 3.182446
  double half = 3.182446305 * std::sqrt(5.0 / 3.0) / 2.0;
  CHECK(s.high - s.mean == Approx(half).epsilon(1e-8));
  CHECK(s.mean - s.low == Approx(half).epsilon(1e-8));
  experiment::KpiStat one = experiment::kpi_stat({7});
  CHECK(one.mean == 7);
  CHECK(std::isnan(one.low));
}

TEST_CASE("experiment::summarize: runs are grouped by policies and parameters", "[experiment]") {
  auto path = (crowdsim::testing::test_tmp() / "crowdsim_summarize_test.h5").string();
  {
    io::Hdf5Recorder rec(path, io::FileMetadata{"{}"}, io::Detail::kSummary);
    // Two groups of runs: fifo with accuracy 0.8, 0.9 and random with 0.5, 0.7, 0.6.
    std::vector<std::pair<std::string, double>> runs{{"fifo", 0.8}, {"random", 0.5}, {"fifo", 0.9}, {"random", 0.7}, {"random", 0.6}};
    for (std::size_t i = 0; i < runs.size(); ++i) {
      models::RunInfo info;
      info.run_id = i;
      info.replication = static_cast<std::uint32_t>(i);
      info.assignment_policy = runs[i].first;
      info.incentive_policy = "fixed";
      rec.begin_run(info);
      rec.end_run(info, models::Kpis{{"accuracy", runs[i].second}, {"total_cost", 10.0 * static_cast<double>(i)}});
    }
    rec.finish();
  }
  experiment::SummaryTable t = experiment::summarize_file(path);
  REQUIRE(t.kpi_names == std::vector<std::string>{"accuracy", "total_cost"});
  REQUIRE(t.groups.size() == 2);
  CHECK(t.groups[0].assignment_policy == "fifo");
  CHECK(t.groups[0].runs == std::vector<std::size_t>{0, 2});
  CHECK(t.groups[0].kpis[0].mean == Approx(0.85));
  CHECK(t.groups[1].runs == std::vector<std::size_t>{1, 3, 4});
  CHECK(t.groups[1].kpis[0].mean == Approx(0.6));
  CHECK(t.groups[1].kpis[1].mean == Approx(10 * (1 + 3 + 4) / 3.0));
  std::ostringstream csv;
  experiment::print_csv(t, {"accuracy"}, csv);
  // Only the assignment policy differs between the groups: it is the label.
  CHECK_THAT(csv.str(), Catch::Contains("\nrandom,random,fixed,accuracy,,3,3,0.6,"));
  std::ostringstream table;
  experiment::print_table(t, {}, table);
  CHECK_THAT(table.str(), Catch::Contains("\nrandom ") && !Catch::Contains("random / fixed"));
  CHECK_THROWS_WITH(experiment::print_table(t, {"acuracy"}, table), Catch::Contains("no KPI \"acuracy\""));
  std::filesystem::remove(path);
  CHECK_THROWS_AS(experiment::summarize_file(path), std::invalid_argument);
  CHECK_THROWS_WITH(experiment::summarize_file(path), Catch::Equals(path + ": no such file"));
}

// Paired by replication: group B's runs are listed in another order than A's, and A has a
// replication B lacks; the differences must pair like with like and leave the extra one out.
TEST_CASE("experiment::summarize: paired differences from a baseline match by replication", "[experiment]") {
  auto path = (crowdsim::testing::test_tmp() / "crowdsim_summarize_paired.h5").string();
  {
    io::Hdf5Recorder rec(path, io::FileMetadata{"{}"}, io::Detail::kSummary);
    struct Run {
      const char* policy;
      std::uint32_t replication;
      double accuracy;
    };
    // Replication effects are large (0.5 ... 0.9); B is A + 0.02, 0.03, 0.04 on replications 0, 1, 2.
    std::vector<Run> runs{{"a", 0, 0.5}, {"a", 1, 0.9}, {"a", 2, 0.7}, {"a", 3, 0.1},
                          {"b", 2, 0.74}, {"b", 0, 0.52}, {"b", 1, 0.93}};
    for (std::size_t i = 0; i < runs.size(); ++i) {
      models::RunInfo info;
      info.run_id = i;
      info.replication = runs[i].replication;
      info.assignment_policy = runs[i].policy;
      info.incentive_policy = "fixed";
      rec.begin_run(info);
      rec.end_run(info, models::Kpis{{"accuracy", runs[i].accuracy}});
    }
    rec.finish();
  }
  experiment::SummaryTable t = experiment::summarize_file(path);
  std::size_t a = experiment::find_group(t, "a"), b = experiment::find_group(t, "b");
  std::vector<experiment::KpiStat> d = experiment::paired_differences(t.groups[b], t.groups[a]);
  REQUIRE(d.size() == 1);
  CHECK(d[0].n == 3);
  CHECK(d[0].mean == Approx(0.03));
  // sd of (0.02, 0.03, 0.04) is 0.01; t(2, 0.975) = 4.302653
  CHECK(d[0].high - d[0].mean == Approx(4.302653 * 0.01 / std::sqrt(3.0)).epsilon(1e-6));
  // Unpaired, the replication effects would swamp it: the groups' own intervals are wide.
  CHECK(t.groups[b].kpis[0].high - t.groups[b].kpis[0].low > 0.5);
  // A group against itself: exactly zero.
  CHECK(experiment::paired_differences(t.groups[a], t.groups[a])[0].mean == 0);
  std::ostringstream table, csv;
  experiment::print_table(t, {"accuracy"}, table, a);
  CHECK_THAT(table.str(), Catch::Contains("difference from a:") && Catch::Contains("paired by replication"));
  // 0.03 ± 4.302653 · 0.01 / √3 = [0.005159, 0.05484]
  CHECK_THAT(table.str(), Catch::Contains("+0.03000 [0.005159, 0.05484]"));
  experiment::print_csv(t, {"accuracy"}, csv, a);
  CHECK_THAT(csv.str(), Catch::Contains(",diff_n,diff_mean,diff_low,diff_high,test,p_value,p_holm\n"));
  CHECK_THAT(csv.str(), Catch::Contains("\nb,b,fixed,accuracy,,3,3,"));
  CHECK_THROWS_WITH(experiment::find_group(t, "c"), Catch::Contains("no group \"c\""));
  CHECK_THROWS_WITH(experiment::find_group(t, "fixed"), Catch::Contains("matches 2 groups"));
  std::filesystem::remove(path);
}
