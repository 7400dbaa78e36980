#pragma once
/// \file The run loop: a clock, an event queue and a handler that reacts to events.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/event_queue.hpp"

namespace crowdsim::sim {

/// Where a run may stop: at a time, or after a number of events.
struct RunLimits {
  Time until = std::numeric_limits<Time>::infinity();  ///< no event later than this fires
  std::uint64_t max_events = std::numeric_limits<std::uint64_t>::max();  ///< event budget
  const std::atomic<bool>* interrupt = nullptr;  ///< when set, polled every 4096 events (a signal)
};

/// Why a run ended.
enum class StopReason { kEmpty, kUntil, kBudget, kStopped, kInterrupted };

/// Outcome of `Simulator::run`.
struct RunResult {
  StopReason reason;
  std::uint64_t events;  ///< events handled by this call
  Time now;              ///< clock at the end
};

/// Owns the clock and the queue. The handler is a template parameter, not a std::function,
/// so the per-event dispatch is a direct call the compiler can inline.
class Simulator {
 public:
  /// Current simulated time.
  Time now() const { return now_; }
  /// Where the current time is kept (for views that read it without a call).
  const Time* clock() const { return &now_; }
  /// Schedules `kind` on `target` at absolute time `time`. A time before now (or NaN) is a
  /// bug in the model, not something to round away: std::logic_error naming the event kind.
  EventHandle schedule_at(Time time, std::uint32_t kind, std::uint64_t target) {
    if (!(time >= now_)) refuse(time, kind);
    return queue_.push(time, kind, target);
  }
  /// Schedules `kind` on `target` after `delay` >= 0 seconds (else std::logic_error).
  EventHandle schedule_in(Time delay, std::uint32_t kind, std::uint64_t target) {
    return schedule_at(now_ + delay, kind, target);
  }
  /// Cancels a pending event; false if it already fired or was cancelled.
  bool cancel(EventHandle h) { return queue_.cancel(h); }
  /// Adds a timer: a slot for an event of which at most one is pending at a time (see
  /// EventQueue). It fires in the same order as a scheduled event, at less cost.
  TimerId add_timer() { return queue_.add_timer(); }
  /// Arms `timer` for absolute time `time` >= now, replacing its pending event.
  [[gnu::always_inline]] void set_timer_at(TimerId timer, Time time, std::uint32_t kind, std::uint64_t target) {
    if (!(time >= now_)) refuse(time, kind);
    queue_.set_timer(timer, time, kind, target);
  }
  /// Arms `timer` for `delay` >= 0 seconds from now, replacing its pending event.
  void set_timer_in(TimerId timer, Time delay, std::uint32_t kind, std::uint64_t target) {
    set_timer_at(timer, now_ + delay, kind, target);
  }
  /// Names of the model's event kinds, by number, for the errors above.
  void name_kinds(std::vector<std::string> names) { kind_names_ = std::move(names); }
  /// Disarms `timer`; false if nothing was pending on it.
  bool clear_timer(TimerId timer) { return queue_.clear_timer(timer); }
  /// The name of event kind `kind` ("kind 7" when it has none).
  std::string kind_name(std::uint32_t kind) const {
    return kind < kind_names_.size() ? kind_names_[kind] : "kind " + std::to_string(kind);
  }
  /// Asks the current run to return after the event being handled.
  void stop() { stop_ = true; }
  /// Number of live pending events.
  std::size_t pending() const { return queue_.size(); }
  /// Events handled since construction.
  std::uint64_t events_processed() const { return events_; }
  /// Direct access to the queue (reserve, inspection).
  EventQueue& queue() { return queue_; }

  /// Pops and hands events to `handler.on_event(const Event&)` until the queue empties,
  /// the next event is later than `limits.until`, the budget is spent or stop() is called.
  template <class Handler>
  RunResult run(Handler& handler, RunLimits limits = {}) {
    stop_ = false;
    std::uint64_t handled = 0;
    // The budget and the interrupt flag (every 4096 events) are looked at only when `handled`
    // reaches `check`: one comparison per event.
    std::uint64_t check = 0;
    Event e;
    for (;;) {
      if (handled == check) {
        if (handled >= limits.max_events) return {StopReason::kBudget, handled, now_};
        if (limits.interrupt && limits.interrupt->load(std::memory_order_relaxed))
          return {StopReason::kInterrupted, handled, now_};
        check = limits.interrupt ? std::min(limits.max_events, handled + 4096) : limits.max_events;
      }
      if (!queue_.pop_until(limits.until, e)) {
        if (queue_.empty()) return {StopReason::kEmpty, handled, now_};
        now_ = limits.until;
        return {StopReason::kUntil, handled, now_};
      }
      now_ = e.time;
      ++handled;
      ++events_;
      handler.on_event(e);
      if (stop_) return {StopReason::kStopped, handled, now_};
    }
  }

 private:
  [[noreturn]] void refuse(Time time, std::uint32_t kind) const;

  std::vector<std::string> kind_names_;
  EventQueue queue_;
  Time now_ = 0.0;
  std::uint64_t events_ = 0;
  bool stop_ = false;
};

}  // namespace crowdsim::sim
