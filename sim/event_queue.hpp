#pragma once
/// \file Pending events ordered by (time, seq), with lazy cancellation.

#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace crowdsim::sim {

/// Simulated time in seconds.
using Time = double;

/// One scheduled event, as the queue hands it out; what `kind` and `target` mean is the model's.
struct Event {
  Time time;             ///< when it fires
  std::uint64_t seq;     ///< rank in insertion order among pending events: equal times pop first-in first-out
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

/// Names a timer of an EventQueue (see EventQueue::add_timer).
using TimerId = std::uint32_t;

/// A 4-ary min-heap of events keyed by (time, seq). Cancellation is lazy: a cancelled event
/// stays in the heap and is skipped when it reaches the top. Slots are recycled, so memory is
/// bounded by the number of pending events and nothing is allocated per event once warm.
///
/// Timers: an event of which at most one is pending at a time (the next arrival of a renewal
/// process, the next periodic snapshot) can wait in a timer instead of the heap. It takes the
/// next insertion number like a pushed event and pops in exactly the same (time, seq) order,
/// but setting and firing it cost O(1) instead of two sifts through the heap.
///
/// Layout (docs/performance.md): a heap entry is 16 bytes, the time as order-preserving
/// integer bits, then a 32-bit insertion number and the slot, so (time, seq) compares as one
/// 128-bit integer without branches; kind and target wait in the slot. Insertion numbers are
/// renumbered in order when they would pass 2^32 (or `seq_limit`), so the order stays exact.
class EventQueue {
 public:
  /// An empty queue; `seq_limit` (tests lower it) is where insertion numbers are renumbered.
  explicit EventQueue(std::uint64_t seq_limit = std::numeric_limits<std::uint32_t>::max()) : seq_limit_(seq_limit) {}
  /// Schedules an event and returns its handle; a NaN time is a logic error (thrown).
  EventHandle push(Time time, std::uint32_t kind, std::uint64_t target);
  /// Cancels a pending event; returns false if it already fired or was cancelled.
  bool cancel(EventHandle handle);
  /// Removes the earliest live event into `out`; returns false when none is left.
  bool pop(Event& out) { return pop_until(std::numeric_limits<Time>::infinity(), out); }
  /// Removes the earliest live event into `out` if it is due by `until`; returns false and
  /// leaves the queue as it is when none is (empty() then tells whether any is left).
  bool pop_until(Time until, Event& out);
  /// Time of the earliest live event (skipping cancelled ones); +inf when empty.
  Time next_time();
  /// Number of live (not cancelled) pending events.
  std::size_t size() const { return live_; }
  /// True when no live event is pending.
  bool empty() const { return live_ == 0; }
  /// Reserves room for `n` pending events.
  void reserve(std::size_t n);

  /// Adds a timer, unarmed. Timers are few: firing one looks at every timer.
  TimerId add_timer();
  /// Arms timer `id` to fire `kind` on `target` at `time`, replacing its pending event if any.
  [[gnu::always_inline]] inline void set_timer(TimerId id, Time time, std::uint32_t kind, std::uint64_t target);
  /// Disarms timer `id`; returns false if nothing was pending on it.
  bool clear_timer(TimerId id);
  /// True while timer `id` has an event pending.
  bool timer_armed(TimerId id) const { return timers_[id].armed; }

  /// The `slot` of an Event that came from a timer.
  static constexpr std::uint32_t kTimerSlot = 0xffffffffu;

 private:
  using Key = unsigned __int128;
  struct Entry {
    std::uint64_t order;  // seq << 32 | slot: low half of the key
    std::uint64_t time;   // order-preserving bits of the time: high half of the key
    Key key() const { return static_cast<Key>(time) << 64 | order; }
    std::uint32_t slot() const { return static_cast<std::uint32_t>(order); }
  };
  struct Slot {
    std::uint64_t target = 0;
    std::uint32_t kind = 0;
    std::uint32_t generation = 1;  // from 1, so a default EventHandle never names a live event
    bool cancelled = false;
  };
  static constexpr std::uint64_t kSign = 1ull << 63;
  static constexpr std::size_t kPrefetchFrom = 4096;  // entries (64 KiB): below, the heap stays in cache
  // Doubles (not NaN) map to unsigned integers in the same order: positive ones get the sign
  // bit set, negative ones are complemented. Adding 0.0 first makes -0 equal to +0.
  static std::uint64_t time_bits(Time t) {
    t += 0.0;
    std::uint64_t b;
    std::memcpy(&b, &t, sizeof b);
    return b & kSign ? ~b : b | kSign;
  }
  static Time from_bits(std::uint64_t k) {
    std::uint64_t b = k & kSign ? k & ~kSign : ~k;
    Time t;
    std::memcpy(&t, &b, sizeof t);
    return t;
  }
  struct Timer {
    Entry entry{};
    std::uint64_t target = 0;
    std::uint32_t kind = 0;
    bool armed = false;
  };
  static constexpr Key kNoTimer = ~Key{0};  // above every real key (a NaN time is refused)
  void sift_up(std::size_t i, Entry e);
  Entry next_entry(Time time, std::uint32_t slot);
  void find_next_timer();
  void pop_top();
  void release(std::uint32_t slot);
  void drop_cancelled_top();
  void renumber();
  [[noreturn]] static void nan_time();

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<Timer> timers_;
  std::size_t next_timer_ = 0;  // the earliest armed timer; timers_.size() when none is armed
  Key timer_key_ = kNoTimer;    // its key (kNoTimer when none is armed): one comparison per pop
  std::size_t dead_ = 0;        // cancelled events still in the heap
  std::uint64_t next_seq_ = 0;
  std::uint64_t seq_limit_;
  std::size_t live_ = 0;
};

// The hot path lives in the header so the compiler can inline it into run loops.

inline EventHandle EventQueue::push(Time time, std::uint32_t kind, std::uint64_t target) {
  if (time != time) nan_time();
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.cancelled = false;
  s.kind = kind;
  s.target = target;
  Entry e = next_entry(time, slot);
  heap_.emplace_back();
  sift_up(heap_.size() - 1, e);
  ++live_;
  return EventHandle{slot, s.generation};
}

// The entry of a new event: the next insertion number, renumbering first if they run out.
inline EventQueue::Entry EventQueue::next_entry(Time time, std::uint32_t slot) {
  if (next_seq_ >= seq_limit_) renumber();
  return Entry{next_seq_++ << 32 | slot, time_bits(time)};
}

inline void EventQueue::release(std::uint32_t slot) {
  ++slots_[slot].generation;
  free_slots_.push_back(slot);
}

inline void EventQueue::sift_up(std::size_t i, Entry e) {
  const Key k = e.key();
  while (i > 0) {
    std::size_t parent = (i - 1) / 4;
    if (!(k < heap_[parent].key())) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

// Removes the top. Bottom-up: the hole at the root follows the smaller child down to a leaf
// (a full family of four is compared without branches), then the last entry rises from there.
// The last entry usually belongs near the bottom, so this saves the comparison with it at
// every level, and with it the least predictable branch of a pop.
inline void EventQueue::pop_top() {
  const Entry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  Entry* h = heap_.data();
  std::size_t i = 0;
  for (;;) {
    std::size_t c = 4 * i + 1;
    if (c + 4 <= n) {
      // The next level's families, fetched while this one is compared: in a large heap the
      // comparisons would otherwise wait for one cache miss per level in turn.
      if (n >= kPrefetchFrom && 4 * c + 13 < n)
        for (std::size_t j = 0; j < 4; ++j) __builtin_prefetch(h + 4 * (c + j) + 1);
      std::size_t a = h[c + 1].key() < h[c].key() ? c + 1 : c;
      std::size_t b = h[c + 3].key() < h[c + 2].key() ? c + 3 : c + 2;
      c = h[b].key() < h[a].key() ? b : a;
    } else if (c < n) {
      for (std::size_t j = c + 1; j < n; ++j)
        if (h[j].key() < h[c].key()) c = j;
    } else {
      break;
    }
    h[i] = h[c];
    i = c;
  }
  sift_up(i, last);
}

inline void EventQueue::drop_cancelled_top() {
  if (dead_ == 0) return;
  while (!heap_.empty() && slots_[heap_.front().slot()].cancelled) {
    release(heap_.front().slot());
    pop_top();
    --dead_;
  }
}

inline bool EventQueue::pop_until(Time until, Event& out) {
  drop_cancelled_top();
  if (heap_.empty() || timer_key_ < heap_.front().key()) {
    if (timer_key_ == kNoTimer) return false;  // nothing pending at all
    Timer& t = timers_[next_timer_];  // a timer is due first
    const Time time = from_bits(t.entry.time);
    if (time > until) return false;
    out = Event{time, t.entry.order >> 32, t.kind, kTimerSlot, t.target};
    t.armed = false;
    find_next_timer();
    --live_;
    return true;
  }
  const Entry top = heap_.front();
  const Time time = from_bits(top.time);
  if (time > until) return false;
  const std::uint32_t slot = top.slot();
  const Slot& s = slots_[slot];
  out = Event{time, top.order >> 32, s.kind, slot, s.target};
  release(slot);
  pop_top();
  // The next pop reads the new top's slot: fetch it while the caller handles this event.
  if (!heap_.empty()) __builtin_prefetch(&slots_[heap_.front().slot()]);
  --live_;
  return true;
}

inline void EventQueue::find_next_timer() {
  std::size_t best = timers_.size();
  Key best_key = kNoTimer;
  for (std::size_t i = 0; i < timers_.size(); ++i) {
    const Key k = timers_[i].armed ? timers_[i].entry.key() : kNoTimer;
    if (k < best_key) best = i, best_key = k;
  }
  next_timer_ = best;
  timer_key_ = best_key;
}

inline void EventQueue::set_timer(TimerId id, Time time, std::uint32_t kind, std::uint64_t target) {
  if (time != time) nan_time();
  Timer& t = timers_[id];
  if (!t.armed) ++live_;
  t.armed = false;  // not counted by a renumbering next_entry may do: it gets a fresh number
  t.entry = next_entry(time, kTimerSlot);
  t.kind = kind;
  t.target = target;
  t.armed = true;
  if (next_timer_ == id) {
    find_next_timer();  // it was the earliest: it may not be any more
  } else if (t.entry.key() < timer_key_) {  // also when none was armed
    next_timer_ = id;
    timer_key_ = t.entry.key();
  }
}

}  // namespace crowdsim::sim
