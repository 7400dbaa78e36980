#pragma once
/// \file Pending events ordered by (time, seq), with lazy cancellation.

#include <cstdint>
#include <vector>

namespace crowdsim::sim {

/// Simulated time in seconds.
using Time = double;

/// One scheduled event: a plain struct; what `kind` and `target` mean is the model's business.
struct Event {
  Time time;             ///< when it fires
  std::uint64_t seq;     ///< insertion order; breaks ties so equal times pop first-in first-out
  std::uint32_t kind;    ///< model-defined event type
  std::uint32_t slot;    ///< cancellation slot (internal)
  std::uint64_t target;  ///< model-defined payload (an entity index, packed ids, ...)
};

/// Names one pending event so it can be cancelled; stale handles are harmless.
/// A default-constructed handle names no event: cancelling it does nothing.
struct EventHandle {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
};

/// A 4-ary min-heap of events keyed by (time, seq). Cancellation is lazy: a cancelled event
/// stays in the heap and is skipped when it reaches the top. Slots are recycled, so memory is
/// bounded by the number of pending events and nothing is allocated per event once warm.
class EventQueue {
 public:
  /// Schedules an event and returns its handle.
  EventHandle push(Time time, std::uint32_t kind, std::uint64_t target);
  /// Cancels a pending event; returns false if it already fired or was cancelled.
  bool cancel(EventHandle handle);
  /// Removes the earliest live event into `out`; returns false when none is left.
  bool pop(Event& out);
  /// Time of the earliest live event (skipping cancelled ones); +inf when empty.
  Time next_time();
  /// Number of live (not cancelled) pending events.
  std::size_t size() const { return live_; }
  /// True when no live event is pending.
  bool empty() const { return live_ == 0; }
  /// Reserves room for `n` pending events.
  void reserve(std::size_t n);

 private:
  struct Slot {
    std::uint32_t generation = 1;  // from 1, so a default EventHandle never names a live event
    bool cancelled = false;
  };
  static bool before(const Event& a, const Event& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);
  void pop_top();
  void release(std::uint32_t slot);
  void drop_cancelled_top();

  std::vector<Event> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 0;
  std::size_t live_ = 0;
};

// The hot path lives in the header so the compiler can inline it into run loops.

inline EventHandle EventQueue::push(Time time, std::uint32_t kind, std::uint64_t target) {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(Slot{});
  }
  slots_[slot].cancelled = false;
  heap_.push_back(Event{time, next_seq_++, kind, slot, target});
  sift_up(heap_.size() - 1);
  ++live_;
  return EventHandle{slot, slots_[slot].generation};
}

inline void EventQueue::release(std::uint32_t slot) {
  ++slots_[slot].generation;
  free_slots_.push_back(slot);
}

inline void EventQueue::sift_up(std::size_t i) {
  Event e = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / 4;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

inline void EventQueue::sift_down(std::size_t i) {
  const std::size_t n = heap_.size();
  Event e = heap_[i];
  for (;;) {
    std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    std::size_t last = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < last; ++c)
      if (before(heap_[c], heap_[best])) best = c;
    if (!before(heap_[best], e)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = e;
}

inline void EventQueue::pop_top() {
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
}

inline void EventQueue::drop_cancelled_top() {
  while (!heap_.empty() && slots_[heap_.front().slot].cancelled) {
    release(heap_.front().slot);
    pop_top();
  }
}

inline bool EventQueue::pop(Event& out) {
  drop_cancelled_top();
  if (heap_.empty()) return false;
  out = heap_.front();
  release(out.slot);
  pop_top();
  --live_;
  return true;
}

}  // namespace crowdsim::sim
