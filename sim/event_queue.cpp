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
  return true;
}

Time EventQueue::next_time() {
  drop_cancelled_top();
  return heap_.empty() ? std::numeric_limits<Time>::infinity() : from_bits(heap_.front().time);
}

void EventQueue::reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
  free_slots_.reserve(n);
}

// Insertion numbers would pass the limit: number the pending entries 0, 1, ... in their
// (time, seq) order. A sorted array is a heap, and the order among them is unchanged.
void EventQueue::renumber() {
  if (heap_.size() >= seq_limit_) throw std::length_error("sim::EventQueue: more pending events than insertion numbers");
  std::sort(heap_.begin(), heap_.end(), [](const Entry& a, const Entry& b) { return a.key() < b.key(); });
  for (std::size_t i = 0; i < heap_.size(); ++i) heap_[i].order = static_cast<std::uint64_t>(i) << 32 | heap_[i].slot();
  next_seq_ = heap_.size();
}

void EventQueue::nan_time() { throw std::logic_error("sim::EventQueue: an event was scheduled at a NaN time"); }

}  // namespace crowdsim::sim
