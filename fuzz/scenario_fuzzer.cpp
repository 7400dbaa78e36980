// libFuzzer target over the scenario loader: any bytes either load as a scenario or are refused
// with a sim::ConfigError; anything else (another exception, a crash, a sanitizer report) is a
// bug. Scenarios that load and are small are also run for a few thousand events.
//   make fuzz FUZZ_SECONDS=60

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "io/scenario.hpp"
#include "models/platform.hpp"
#include "sim/config.hpp"

namespace {
struct NullRecorder : crowdsim::models::Recorder {};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  crowdsim::io::Scenario s;
  try {
    s = crowdsim::io::parse_scenario(doc, FUZZ_DATA_DIR);
  } catch (const crowdsim::sim::ConfigError&) {
    return 0;  // refused with a message naming the path: the expected outcome for bad input
  }
  for (auto& point : s.points) {
    crowdsim::models::ModelParams m = point.model;
    // Only small models run: the point is the loader and the model's edge cases, not big runs.
    if (m.tasks.count > 2000 || m.workers.count > 2000 || m.workers.arrival_rate_per_hour > 0 ||
        m.tasks.types.size() * m.workers.groups.size() > 16 || s.points.size() > 16)
      continue;
    // Planning workers cost a best response per bucket of traits, each over 16 x 48 quadrature
    // nodes of difficulty and time noise (tens of milliseconds under the sanitizers), and games an
    // equilibrium among 16 workers per group over up to 60 rounds. A few workers and groups,
    // with difficulty and time noise fixed at their means (one node each), exercise the same
    // code within the 10 s timeout; the quadrature itself is unit-tested.
    if (m.workers.any_plans()) {
      if (m.workers.count > 24 || m.tasks.types.size() * m.workers.groups.size() > 4 || s.points.size() > 2) continue;
      m.work.time_noise = crowdsim::sim::Distribution(m.work.time_noise.mean());
      for (auto& t : m.tasks.types) t.difficulty = crowdsim::sim::Distribution(t.difficulty.mean());
    }
    m.max_events = 20000;
    // Batch aggregation (EM over every answer) is the slow part under the sanitizers: the
    // shipped spammer-hammer scenario took 16 s, past the 10 s timeout. A few hundred tasks
    // exercise the same code.
    if (!m.aggregation.batch.empty()) m.tasks.count = std::min<std::int64_t>(m.tasks.count, 200);
    NullRecorder rec;
    crowdsim::models::RunInfo info;
    crowdsim::models::Platform(m, 0, rec).run(info);
  }
  return 0;
}
