#pragma once
/// \file Running a scenario's replications into a recorder.

#include <functional>

#include "io/scenario.hpp"
#include "models/recorder.hpp"

namespace crowdsim::io {

/// Called after each run with its identity and KPIs (progress reports).
using RunCallback = std::function<void(const models::RunInfo&, const models::Kpis&)>;

/// Runs every replication of `s` in order, emitting into `recorder`.
void run_experiment(const Scenario& s, models::Recorder& recorder, const RunCallback& after_run = {});

}  // namespace crowdsim::io
