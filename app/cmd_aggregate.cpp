// crowdsim aggregate: true labels estimated from crowd answers in a CSV file.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "io/labels.hpp"
#include "models/aggregation/aggregator.hpp"
#include "models/registry.hpp"
#include "sim/config.hpp"

namespace crowdsim::app {

int cmd_aggregate(const std::vector<std::string>& args) {
  std::string methods = sim::join(models::aggregators().names(), " | ");
  methods = "the method: " + methods + " (crowdsim list describes them)";
  po::options_description opts("aggregate options");
  opts.add_options()
      ("labels", po::value<std::string>()->required(), "answers: CSV with columns item,worker,label")
      ("method", po::value<std::string>()->default_value("ds"), methods.c_str())
      ("truth", po::value<std::string>(), "CSV with columns item,truth: prints accuracy over the items that have one")
      ("output,o", po::value<std::string>(), "write item,label,confidence to this CSV")
      ("force", "overwrite the output CSV if it exists");
  po::positional_options_description pos;
  pos.add("labels", 1);
  po::variables_map vm;
  if (!parse("aggregate", args, opts, pos, vm,
             {"LABELS.csv [--method ds] [--truth TRUTH.csv] [-o OUT.csv]",
              "Estimates each item's true label from crowd answers (docs/aggregation.md).\n"
              "\nexample:\n"
              "  crowdsim aggregate data/crowd/rte_snow2008/labels.csv --method ds --truth data/crowd/rte_snow2008/truth.csv"})) return 0;
  if (vm.count("output")) check_output(vm["output"].as<std::string>(), vm.count("force") > 0);
  std::unique_ptr<models::Aggregator> method = models::make_aggregator(vm["method"].as<std::string>());
  std::vector<std::pair<std::string, std::string>> truth;
  std::vector<std::string> truth_labels;
  if (vm.count("truth")) {
    truth = io::read_truth(vm["truth"].as<std::string>());
    for (const auto& t : truth) truth_labels.push_back(t.second);
  }
  io::LabelData d = io::read_labels(vm["labels"].as<std::string>(), truth_labels);
  std::vector<models::Estimate> est = method->aggregate(d.set);
  if (vm.count("output")) {
    std::string path = vm["output"].as<std::string>();
    std::ofstream out(path + ".tmp");
    out << "item,label,confidence\n";
    char buf[32];
    for (std::size_t i = 0; i < est.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%.6g", est[i].confidence);
      out << d.items[i] << ',' << (est[i].label < 0 ? "" : d.labels[static_cast<std::size_t>(est[i].label)]) << ',' << buf << '\n';
    }
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path);
    std::filesystem::rename(path + ".tmp", path);
  }
  if (vm.count("truth")) {
    std::map<std::string, std::size_t> item_index;
    for (std::size_t i = 0; i < d.items.size(); ++i) item_index[d.items[i]] = i;
    std::size_t right = 0, judged = 0;
    for (const auto& [item, label] : truth) {
      auto it = item_index.find(item);
      if (it == item_index.end()) continue;  // a truth for an item nobody answered
      ++judged;
      const models::Estimate& e = est[it->second];
      right += e.label >= 0 && d.labels[static_cast<std::size_t>(e.label)] == label;
    }
    std::printf("accuracy: %.4f\n", judged ? static_cast<double>(right) / static_cast<double>(judged) : 0.0);
  }
  return 0;
}

}  // namespace crowdsim::app
