#include "sim/event_queue.hpp"

#include <algorithm>
#include <stdexcept>

namespace crowdsim::sim {

bool EventQueue::cancel(EventHandle handle) {
  if (handle.slot >= slots_.size()) return false;
  Slot& s = slots_[handle.slot];
  if (s.generation != handle.generation || s.cancelled) return false;
  s.cancelled = true;
  --live_;
  ++dead_;
  return true;
}

Time EventQueue::next_time() {
  drop_cancelled_top();
  Time t = heap_.empty() ? std::numeric_limits<Time>::infinity() : from_bits(heap_.front().time);
  if (timer_key_ != kNoTimer) t = std::min(t, from_bits(timers_[next_timer_].entry.time));
  return t;
}

TimerId EventQueue::add_timer() {
  timers_.emplace_back();
  find_next_timer();
  return static_cast<TimerId>(timers_.size() - 1);
}

bool EventQueue::clear_timer(TimerId id) {
  Timer& t = timers_[id];
  if (!t.armed) return false;
  t.armed = false;
  --live_;
  find_next_timer();
  return true;
}

void EventQueue::reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
  free_slots_.reserve(n);
}

// Insertion numbers would pass the limit: number the live events 0, 1, ... in their (time, seq)
// order, timers included. A sorted array is a heap, and the order among them is unchanged.
void EventQueue::renumber() {
  auto by_key = [](const Entry* a, const Entry* b) { return a->key() < b->key(); };
  // Cancelled entries are dropped on the way: only live events keep a number.
  auto dead = std::partition(heap_.begin(), heap_.end(), [&](const Entry& e) { return !slots_[e.slot()].cancelled; });
  for (auto it = dead; it != heap_.end(); ++it) release(it->slot());
  heap_.erase(dead, heap_.end());
  dead_ = 0;
  std::sort(heap_.begin(), heap_.end(), [](const Entry& a, const Entry& b) { return a.key() < b.key(); });
  std::vector<Entry*> armed;  // the armed timers, numbered in the same sequence
  for (Timer& t : timers_)
    if (t.armed) armed.push_back(&t.entry);
  std::sort(armed.begin(), armed.end(), by_key);
  if (heap_.size() + armed.size() >= seq_limit_)
    throw std::length_error("sim::EventQueue: more pending events than insertion numbers");
  std::uint64_t seq = 0;
  auto number = [&](Entry& e) { e.order = seq++ << 32 | e.slot(); };
  std::size_t j = 0;
  for (Entry& e : heap_) {
    while (j < armed.size() && armed[j]->key() < e.key()) number(*armed[j++]);
    number(e);
  }
  while (j < armed.size()) number(*armed[j++]);
  next_seq_ = seq;
  find_next_timer();  // the timers' keys changed
}

void EventQueue::nan_time() { throw std::logic_error("sim::EventQueue: an event was scheduled at a NaN time"); }

}  // namespace crowdsim::sim
