// Aggregation against the reference accuracies of data/crowd/REFERENCE.md (crowd-kit 1.4.1 on
// the same files): Dawid-Skene within 1 percentage point or above, majority vote equal (it
// breaks ties toward the smallest label, as the reference does). And majority vote against the
// binomial closed form on synthetic answers.

#include <catch2/catch.hpp>

#include "support/tmp.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "io/labels.hpp"
#include "sim/config.hpp"
#include "sim/rng.hpp"

using namespace crowdsim;

namespace {

double accuracy_of(const std::string& name, const std::string& method) {
  std::string dir = std::string(CROWDSIM_SOURCE_DIR) + "/data/crowd/" + name;
  auto truth = io::read_truth(dir + "/truth.csv");
  std::vector<std::string> labels;
  for (const auto& t : truth) labels.push_back(t.second);
  io::LabelData d = io::read_labels(dir + "/labels.csv", labels);
  auto est = models::make_aggregator(method)->aggregate(d.set);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < d.items.size(); ++i) index[d.items[i]] = i;
  double right = 0, judged = 0;
  for (const auto& [item, label] : truth) {
    auto it = index.find(item);
    if (it == index.end()) continue;
    judged += 1;
    const auto& e = est[it->second];
    right += e.label >= 0 && d.labels[static_cast<std::size_t>(e.label)] == label;
  }
  return right / judged;
}

}  // namespace

TEST_CASE("validation::aggregation: ds and mv reach the reference accuracies on real data", "[validation]") {
  // data set, reference MV, reference DS (data/crowd/REFERENCE.md)
  const std::vector<std::tuple<std::string, double, double>> reference{
      {"bluebirds_welinder2010", .7593, .8889}, {"dog_zhou2012", .8178, .8426},  {"face_mozafari", .6301, .6404},
      {"ms_music_genre", .7114, .7686},         {"product_wang2012", .8966, .9397}, {"rte_snow2008", .9187, .9275},
      {"sp_amt_venanzi", .9440, .9440},         {"sp_rodrigues2013", .8896, .9152}, {"temp_snow2008", .9394, .9416},
      {"web_zhou2012", .7765, .8292},           {"ws_amt_venanzi", .8467, .8400},   {"wsd_snow2008", .9944, .9944}};
  for (const auto& [name, mv, ds] : reference) {
    INFO(name);
    CHECK(accuracy_of(name, "mv") == Approx(mv).margin(0.00005));
    CHECK(accuracy_of(name, "ds") >= ds - 0.01);
  }
}

TEST_CASE("validation::aggregation: majority vote matches the binomial closed form", "[validation]") {
  // n workers of accuracy p on binary items: P(majority right) = sum_{j > n/2} C(n,j) p^j (1-p)^(n-j).
  for (auto [p, n] : {std::pair<double, int>{0.6, 3}, {0.7, 5}, {0.8, 7}, {0.65, 9}}) {
    models::AnswerSet a;
    a.items = 20000, a.workers = n, a.classes = 2;
    sim::Stream s(sim::StreamKey{5, 0, sim::purpose_id("test.mv"), static_cast<std::uint32_t>(n)});
    for (int i = 0; i < a.items; ++i)
      for (int w = 0; w < n; ++w) a.answers.push_back({i, w, s.uniform01() < p ? 0 : 1});  // truth is 0
    auto est = models::make_aggregator("mv")->aggregate(a);
    double right = 0;
    for (const auto& e : est) right += e.label == 0;
    double closed = 0;
    for (int j = n / 2 + 1; j <= n; ++j)
      closed += std::exp(std::lgamma(n + 1) - std::lgamma(j + 1) - std::lgamma(n - j + 1)) * std::pow(p, j) * std::pow(1 - p, n - j);
    double se = std::sqrt(closed * (1 - closed) / a.items);
    INFO("p " << p << " n " << n);
    CHECK(std::abs(right / a.items - closed) < 4 * se);
  }
}

TEST_CASE("validation::aggregation: bad label files name the file and the line", "[validation]") {
  auto dir = crowdsim::testing::test_tmp() / "crowdsim_labels_test";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream((dir / name).string()) << text;
    return (dir / name).string();
  };
  CHECK_THROWS_WITH(io::read_labels(write("a.csv", "item,worker,label\n1,w1,0\n2,w2\n")),
                    Catch::Contains("a.csv:3: expected a value in column \"label\""));
  CHECK_THROWS_WITH(io::read_labels(write("b.csv", "item,who,label\n1,w1,0\n")),
                    Catch::Contains("b.csv:1: expected a header with the columns item,worker,label"));
  CHECK_THROWS_WITH(io::read_labels(write("c.csv", "item,worker,label\n")), Catch::Contains("at least one row"));
  CHECK_THROWS_WITH(io::read_labels((dir / "none.csv").string()), Catch::Contains("none.csv: expected a readable CSV file"));
  CHECK_THROWS_WITH(io::read_truth(write("d.csv", "item,truth\n,1\n")), Catch::Contains("d.csv:2: expected a value in column \"item\""));
  CHECK_THROWS_WITH(models::make_aggregator("dss"), Catch::Contains("--method: expected one of mv, ds") && Catch::Contains("did you mean \"ds\""));
  std::filesystem::remove_all(dir);
}
