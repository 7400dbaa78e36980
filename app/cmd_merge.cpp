// crowdsim merge: shard files of one scenario joined into one.

#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "io/merge.hpp"

namespace crowdsim::app {

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description opts("merge options");
  opts.add_options()
      ("output,o", po::value<std::string>()->required(), "the merged file")
      ("force", "overwrite the merged file if it exists")
      ("shards", po::value<std::vector<std::string>>()->required()->multitoken(), "the shard files (of one scenario)");
  po::positional_options_description pos;
  pos.add("shards", -1);
  po::variables_map vm;
  if (!parse("merge", args, opts, pos, vm,
             {"-o OUT.h5 SHARD.h5 [SHARD.h5 ...]",
              "Joins the shard files of one scenario (crowdsim run --shard K/N, docs/cluster.md) into one file,\n"
              "equal to a single run's. Refuses to overwrite OUT.h5 unless --force.\n"
              "\nexample:\n"
              "  crowdsim merge -o out/all.h5 out/part0.h5 out/part1.h5"})) return 0;
  check_output(vm["output"].as<std::string>(), vm.count("force") > 0);
  io::merge_shards(vm["output"].as<std::string>(), vm["shards"].as<std::vector<std::string>>());
  std::fprintf(stderr, "wrote %s\n", vm["output"].as<std::string>().c_str());
  return 0;
}

}  // namespace crowdsim::app
