#pragma once
/// \file Alert rules that watch the platform: a queue above a threshold (with hysteresis) and
/// an abandonment spike per snapshot interval. Pure logic: the platform feeds it and emits.

#include <cstdint>
#include <optional>

#include "models/params.hpp"

namespace crowdsim::models {

/// Decides when to raise queue and abandonment alerts.
class AlertRules {
 public:
  explicit AlertRules(const MonitorParams& p) : p_(p) {}
  /// The open-task count changed; returns it when a queue alert is due (rising above the
  /// threshold). The rule re-arms once the count falls to 80% of the threshold.
  std::optional<double> on_open_tasks(std::int64_t open) {
    if (armed_) {  // the usual case (and the only one without a threshold): one comparison
      if (open <= p_.open_tasks_above) return std::nullopt;
      armed_ = false;
      return static_cast<double>(open);
    }
    if (static_cast<double>(open) <= 0.8 * static_cast<double>(p_.open_tasks_above)) armed_ = true;
    return std::nullopt;
  }
  /// An assignment ended (submitted or abandoned).
  void on_ended(bool abandoned) {
    ++ended_;
    abandoned_ += abandoned ? 1 : 0;
  }
  /// At a snapshot: the abandonment share of the interval when it is a spike; resets the window.
  std::optional<double> on_snapshot() {
    std::optional<double> spike;
    if (ended_ >= p_.abandonment_min_ended) {
      double rate = static_cast<double>(abandoned_) / static_cast<double>(ended_);
      if (rate > p_.abandonment_rate_above) spike = rate;
    }
    ended_ = abandoned_ = 0;
    return spike;
  }

 private:
  const MonitorParams& p_;
  bool armed_ = true;
  std::int64_t ended_ = 0, abandoned_ = 0;
};

}  // namespace crowdsim::models
