#pragma once
/// \file A doubly linked list over the indices 0..n-1 stored in flat arrays: O(1) push_back,
/// erase and membership, an ordered insert that scans from the back, no allocation once sized.

#include <cstdint>
#include <vector>

namespace crowdsim::models {

/// "No index": the end of a list, or "none chosen".
inline constexpr std::uint32_t kNone = 0xffffffffu;

/// An ordered set of small indices (idle workers, open tasks), oldest first.
class IndexList {
 public:
  /// Makes room for indices below `n`. Out of line: it is rare, and inline it made push_back
  /// too large for the compiler to inline in the platform's steps.
  [[gnu::noinline]] void grow(std::size_t n) {
    if (n > links_.size()) links_.resize(n, Link{kNone, kNone, false});
  }
  /// Appends `i` (which must not be in the list).
  void push_back(std::uint32_t i) {
    if (i >= links_.size()) grow(i + 1);
    links_[i] = Link{tail_, kNone, true};
    if (tail_ == kNone) head_ = i; else links_[tail_].next = i;
    tail_ = i;
    ++size_;
  }
  /// Inserts `i` (which must not be in the list) into a list ordered by `before` (a strict
  /// order: `before(a, b)` when a goes first), after the last member that does not go after it.
  /// The scan starts at the back: O(1) when `i` belongs at or near the end.
  template <class Before>
  void insert_ordered(std::uint32_t i, Before before) {
    std::uint32_t prev = tail_;
    while (prev != kNone && before(i, prev)) prev = links_[prev].prev;
    if (prev == tail_) return push_back(i);
    if (i >= links_.size()) grow(i + 1);
    std::uint32_t next = prev == kNone ? head_ : links_[prev].next;  // a member: prev is not the tail
    links_[i] = Link{prev, next, true};
    if (prev == kNone) head_ = i; else links_[prev].next = i;
    links_[next].prev = i;
    ++size_;
  }
  /// Removes `i` (which must be in the list).
  void erase(std::uint32_t i) {
    Link& l = links_[i];
    if (l.prev == kNone) head_ = l.next; else links_[l.prev].next = l.next;
    if (l.next == kNone) tail_ = l.prev; else links_[l.next].prev = l.prev;
    l = Link{kNone, kNone, false};
    --size_;
  }
  /// True when `i` is in the list.
  bool contains(std::uint32_t i) const { return i < links_.size() && links_[i].member; }
  /// The first index, or kNone.
  std::uint32_t front() const { return head_; }
  /// The index after `i`, or kNone.
  std::uint32_t next(std::uint32_t i) const { return links_[i].next; }
  /// Number of indices in the list.
  std::size_t size() const { return size_; }
  /// True when the list is empty.
  bool empty() const { return size_ == 0; }

 private:
  struct Link {
    std::uint32_t prev, next;
    bool member;
  };
  std::vector<Link> links_;
  std::uint32_t head_ = kNone, tail_ = kNone;
  std::size_t size_ = 0;
};

}  // namespace crowdsim::models
