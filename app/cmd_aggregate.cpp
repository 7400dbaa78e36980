// crowdsim aggregate: true labels estimated from crowd answers in a CSV file.

#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli.hpp"
#include "io/format.hpp"
#include "io/labels.hpp"
#include "models/aggregation/aggregator.hpp"
#include "models/registry.hpp"
#include "sim/config.hpp"

namespace crowdsim::app {

namespace {

// The estimates as CSV (item,label,confidence), cells quoted where they need it.
void write_estimates(std::ostream& out, const io::LabelData& d, const std::vector<models::Estimate>& est) {
  out << "item,label,confidence\n";
  char buf[32];
  for (std::size_t i = 0; i < est.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.6g", est[i].confidence);
    out << io::csv_cell(d.items[i]) << ','
        << (est[i].label < 0 ? "" : io::csv_cell(d.labels[static_cast<std::size_t>(est[i].label)])) << ',' << buf << '\n';
  }
}

// Writes the estimates to `path`: "-" is standard output; a regular file (or a new one) is
// written beside it and renamed over it, so a failed write leaves no half file; anything else
// that exists (a symbolic link, a device such as /dev/stdout, a pipe) is written through, so
// that the link or the device stays what it was.
void write_output(const std::string& path, const io::LabelData& d, const std::vector<models::Estimate>& est) {
  if (path == "-") {
    write_estimates(std::cout, d, est);
    std::cout.flush();
    if (!std::cout) throw std::runtime_error("cannot write the estimates to standard output");
    return;
  }
  struct stat st {};
  bool through = ::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
  std::string target = through ? path : path + ".tmp";
  std::ofstream out(target, std::ios::trunc);
  write_estimates(out, d, est);
  out.close();
  if (!out) throw std::runtime_error("cannot write " + target);
  if (!through) std::filesystem::rename(target, path);
}

}  // namespace

int cmd_aggregate(const std::vector<std::string>& args) {
  std::string methods = sim::join(models::aggregators().names(), " | ");
  methods = "the method: " + methods + " (crowdsim list describes them)";
  po::options_description opts("aggregate options");
  opts.add_options()
      ("labels", po::value<std::string>()->required(), "answers: CSV with columns item,worker,label")
      ("method", po::value<std::string>()->default_value("ds"), methods.c_str())
      ("ties", po::value<std::string>()->default_value("random"),
       "a tie among an item's top labels: random (by a hash of the item's name and --tie-seed) or first (the "
       "smallest label: crowd-kit's rule, biased toward it)")
      ("tie-seed", po::value<std::string>()->default_value("0"), "the seed of random ties (a whole number)")
      ("duplicates", po::value<std::string>()->default_value("all"),
       "a worker answering the same item again: all (each answer counts: crowd-kit's rule), first (only the "
       "first counts) or error (refuse); any is reported")
      ("truth", po::value<std::string>(), "CSV with columns item,truth: prints accuracy over the answered items that have one")
      ("output,o", po::value<std::string>(), "write item,label,confidence to this CSV (- for standard output)")
      ("force", "overwrite the output CSV if it exists");
  po::positional_options_description pos;
  pos.add("labels", 1);
  po::variables_map vm;
  if (!parse("aggregate", args, opts, pos, vm,
             {"LABELS.csv [--method ds] [--ties random|first] [--truth TRUTH.csv] [-o OUT.csv|-]",
              "Estimates each item's true label from crowd answers (docs/aggregation.md).\n"
              "\nexample:\n"
              "  crowdsim aggregate data/crowd/rte_snow2008/labels.csv --method ds --truth data/crowd/rte_snow2008/truth.csv"})) return 0;
  std::string ties = vm["ties"].as<std::string>();
  if (ties != "random" && ties != "first")
    throw po::error("--ties: expected random or first, found \"" + ties + "\"");
  std::string dup = vm["duplicates"].as<std::string>();
  if (dup != "all" && dup != "first" && dup != "error")
    throw po::error("--duplicates: expected all, first or error, found \"" + dup + "\"");
  std::uint64_t tie_seed = parse_whole("tie-seed", vm["tie-seed"].as<std::string>(), UINT64_MAX);
  std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
  if (!output.empty() && output != "-") check_output(output, vm.count("force") > 0);
  std::unique_ptr<models::Aggregator> method = models::make_aggregator(vm["method"].as<std::string>());
  std::optional<io::Truth> truth;
  if (vm.count("truth")) truth = io::read_truth(vm["truth"].as<std::string>());
  const std::string labels = vm["labels"].as<std::string>();
  io::LabelData d = io::read_labels(labels, dup == "first" ? io::Repeats::kFirst
                                            : dup == "error" ? io::Repeats::kError
                                                             : io::Repeats::kAll);  // the truth only scores
  if (const auto& r = d.repeats; r.rows > 0)
    std::cerr << "crowdsim aggregate: warning: " << r.rows << (r.rows == 1 ? " row repeats" : " rows repeat")
              << " a worker's answer to the same item (" << labels << ":" << r.line << " repeats line " << r.first_line
              << "; " << r.changed << " with another label); "
              << (dup == "first" ? "only each first answer counts"
                                 : "each counts as an answer, as in crowd-kit (--duplicates first counts only the first)")
              << "\n";
  d.set.ties = ties == "first" ? models::Ties::kFirst : models::Ties::kRandom;
  d.set.tie_seed = tie_seed;
  std::vector<models::Estimate> est = method->aggregate(d.set);
  for (const std::string& w : method->warnings()) std::cerr << "crowdsim aggregate: warning: " << w << "\n";
  std::optional<io::TruthScore> score;
  if (truth) score = io::score_truth(*truth, d, est);  // before writing: a bad truth file writes nothing
  if (!output.empty()) write_output(output, d, est);
  if (score) {
    if (score->unknown > 0)
      std::cerr << "crowdsim aggregate: warning: " << score->unknown << " of the " << score->judged
                << " judged items have a true label that no answer uses; they count as wrong\n";
    // With the estimates on standard output, the accuracy goes to standard error.
    std::fprintf(output == "-" ? stderr : stdout, "accuracy: %.4f\n", score->accuracy());
  }
  return 0;
}

}  // namespace crowdsim::app
