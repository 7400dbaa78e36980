#pragma once
// Helpers for tests that build scenarios from JSON text and run them in memory.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/experiment.hpp"
#include "io/scenario.hpp"
#include "support/memory_recorder.hpp"

namespace crowdsim::testing {

/// A small valid scenario document to start from.
inline nlohmann::json small_scenario() {
  return nlohmann::json::parse(R"({
    "name": "small", "seed": 7,
    "tasks": {"count": 200, "arrival": {"process": "batch"}, "expected_duration": 60,
              "bounty": 1.0, "redundancy": 3, "classes": 2},
    "workers": {"count": 10, "accuracy": {"dist": "beta", "alpha": 7, "beta": 3}},
    "work": {"time_noise": {"dist": "exponential", "mean": 1}},
    "assignment": {"policy": "fifo"},
    "incentive": {"policy": "fixed"}
  })");
}

/// Applies overrides ("a.b=value") to `doc`, validates it and runs it into a MemoryRecorder.
inline MemoryRecorder run_in_memory(nlohmann::json doc, const std::vector<std::string>& overrides = {}) {
  for (const auto& o : overrides) io::apply_override(doc, o);
  io::Scenario s = io::parse_scenario(doc, ".");
  MemoryRecorder rec;
  experiment::run_experiment(s, rec);
  return rec;
}

}  // namespace crowdsim::testing
