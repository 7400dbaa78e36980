#include "io/experiment.hpp"

#include <chrono>

#include "models/platform.hpp"

namespace crowdsim::io {

void run_experiment(const Scenario& s, models::Recorder& recorder, const RunCallback& after_run) {
  for (std::uint32_t r = 0; r < s.replications; ++r) {
    models::RunInfo info;
    info.run_id = r;
    info.seed = s.model.seed;
    info.replication = r;
    info.point = 0;
    info.params = "{}";
    info.assignment_policy = s.model.assignment.name;
    info.incentive_policy = s.model.incentive.name;
    auto start = std::chrono::steady_clock::now();
    recorder.begin_run(info);
    models::Platform platform(s.model, r, recorder);
    models::Kpis kpis = platform.run(info);
    info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    recorder.end_run(info, kpis);
    if (after_run) after_run(info, kpis);
  }
}

}  // namespace crowdsim::io
