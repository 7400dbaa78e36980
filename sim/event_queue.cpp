#include "sim/event_queue.hpp"

#include <limits>

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
  return heap_.empty() ? std::numeric_limits<Time>::infinity() : heap_.front().time;
}

void EventQueue::reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
  free_slots_.reserve(n);
}

}  // namespace crowdsim::sim
