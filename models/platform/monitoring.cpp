// Monitoring: snapshots of the platform's state at a fixed interval, and alerts.
#include "models/platform.hpp"

namespace crowdsim::models {

void Platform::snapshot() {
  last_snapshot_ = now();
  if (auto spike = rules_.on_snapshot()) alert(AlertKind::kAbandonmentSpike, -1, -1, *spike);
  recorder_.events(sim_.events_processed());
  recorder_.snapshot(SnapshotRecord{now(), open_top_, in_progress_, online_, busy_, summary_.closed(),
                                    summary_.total_cost(), summary_.mean_quality(), summary_.accuracy()});
}

void Platform::alert(AlertKind kind, std::int64_t task, std::int64_t worker, double value) {
  recorder_.alert(AlertRecord{now(), kind, task, worker, value});
}

}  // namespace crowdsim::models
