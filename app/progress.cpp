#include "progress.hpp"

#include <cstdio>

namespace crowdsim::app {

void RunProgress::begin_run(const models::RunInfo& info) {
  inner_.begin_run(info);
  run_id_ = info.run_id;
  total_ = tasks_of_(info);
  sim_time_ = closed_ = events_ = 0;
  start_ = last_ = Clock::now();
}

void RunProgress::snapshot(const models::SnapshotRecord& r) {
  inner_.snapshot(r);
  sim_time_ = r.time;
  closed_ = static_cast<double>(r.completed);
  maybe_draw();
}

void RunProgress::maybe_draw() {
  Clock::time_point now = Clock::now();
  if (now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double rate = elapsed > 0 ? closed_ / elapsed : 0;
  double event_rate = elapsed > 0 ? events_ / elapsed : 0;
  double eta = rate > 0 && total_ > closed_ ? (total_ - closed_) / rate : 0;
  double mb = static_cast<double>(written_()) / 1e6;
  std::fprintf(stderr,
               "\r\033[Krun %06llu: %.1f h simulated, %.0f of %.0f tasks closed, %.0f tasks/s, %.0f events/s, "
               "ETA %.0f s, %.1f MB written",
               static_cast<unsigned long long>(run_id_), sim_time_ / 3600, closed_, total_, rate, event_rate, eta, mb);
  drawn_ = true;
}

void RunProgress::end_run(const models::RunInfo& info, const models::Kpis& kpis) {
  if (drawn_) std::fprintf(stderr, "\r\033[K"), drawn_ = false;  // the per-run report takes the line
  inner_.end_run(info, kpis);
}

}  // namespace crowdsim::app
