#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/rng.hpp"
#include "sim/simulator.hpp"

using namespace crowdsim::sim;

TEST_CASE("sim::EventQueue: ties pop in insertion order", "[sim]") {
  EventQueue q;
  for (std::uint64_t i = 0; i < 1000; ++i) q.push(5.0, 0, i);
  Event e;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    REQUIRE(q.pop(e));
    CHECK(e.target == i);
  }
  CHECK_FALSE(q.pop(e));
}

TEST_CASE("sim::EventQueue: pops in (time, insertion) order like a stable sort", "[sim]") {
  EventQueue q;
  Stream s(StreamKey{1, 0, 0, 0});
  std::vector<std::pair<double, std::uint64_t>> expected;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    double t = static_cast<double>(s() % 500);  // many ties
    q.push(t, 0, i);
    expected.emplace_back(t, i);
  }
  std::stable_sort(expected.begin(), expected.end(), [](auto& a, auto& b) { return a.first < b.first; });
  Event e;
  for (const auto& [t, id] : expected) {
    REQUIRE(q.pop(e));
    REQUIRE(e.time == t);
    REQUIRE(e.target == id);
  }
}

TEST_CASE("sim::EventQueue: cancelled events never fire", "[sim]") {
  EventQueue q;
  Stream s(StreamKey{2, 0, 0, 0});
  std::vector<EventHandle> handles;
  for (std::uint64_t i = 0; i < 10000; ++i) handles.push_back(q.push(s.uniform01() * 100, 0, i));
  std::vector<bool> cancelled(10000, false);
  std::size_t n = 0;
  for (std::uint64_t i = 0; i < 10000; ++i)
    if (s() % 2) {
      CHECK(q.cancel(handles[i]));
      cancelled[i] = true;
      ++n;
    }
  CHECK(q.size() == 10000 - n);
  Event e;
  std::size_t fired = 0;
  double last = -1;
  while (q.pop(e)) {
    CHECK_FALSE(cancelled[e.target]);
    CHECK(e.time >= last);
    last = e.time;
    ++fired;
  }
  CHECK(fired == 10000 - n);
  CHECK(q.empty());
}

TEST_CASE("sim::EventQueue: cancel twice, after firing, or with a stale handle does nothing", "[sim]") {
  EventQueue q;
  EventHandle a = q.push(1.0, 0, 1);
  CHECK(q.cancel(a));
  CHECK_FALSE(q.cancel(a));
  Event e;
  CHECK_FALSE(q.pop(e));
  EventHandle b = q.push(2.0, 0, 2);  // reuses a's slot
  CHECK(b.slot == a.slot);
  CHECK_FALSE(q.cancel(a));  // stale: must not cancel b
  REQUIRE(q.pop(e));
  CHECK(e.target == 2);
  CHECK_FALSE(q.cancel(b));  // already fired
}

TEST_CASE("sim::EventQueue: next_time skips cancelled events", "[sim]") {
  EventQueue q;
  EventHandle a = q.push(1.0, 0, 1);
  q.push(3.0, 0, 2);
  CHECK(q.next_time() == 1.0);
  q.cancel(a);
  CHECK(q.next_time() == 3.0);
  CHECK(q.size() == 1);
}

namespace {
struct Recorder {
  Simulator* sim;
  std::vector<std::uint64_t> seen;
  std::uint64_t stop_at = ~0ull;
  void on_event(const Event& e) {
    seen.push_back(e.target);
    if (e.target == stop_at) sim->stop();
  }
};
}  // namespace

TEST_CASE("sim::Simulator: until, budget, stop and an empty queue", "[sim]") {
  Simulator sim;
  Recorder h{&sim, {}};
  for (std::uint64_t i = 1; i <= 10; ++i) sim.schedule_at(static_cast<double>(i), 0, i);
  RunResult r = sim.run(h, RunLimits{4.5, ~0ull});
  CHECK(r.reason == StopReason::kUntil);
  CHECK(sim.now() == 4.5);
  CHECK(h.seen.size() == 4);
  CHECK(sim.pending() == 6);
  r = sim.run(h, RunLimits{std::numeric_limits<double>::infinity(), 2});
  CHECK(r.reason == StopReason::kBudget);
  CHECK(r.events == 2);
  CHECK(sim.now() == 6.0);
  h.stop_at = 8;
  r = sim.run(h);
  CHECK(r.reason == StopReason::kStopped);
  CHECK(sim.now() == 8.0);
  r = sim.run(h);
  CHECK(r.reason == StopReason::kEmpty);
  CHECK(h.seen == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(sim.events_processed() == 10);
  // Scheduling in the past is refused (a model bug), and the clock stays where it was.
  CHECK_THROWS_AS(sim.schedule_at(1.0, 0, 11), std::logic_error);
  CHECK(sim.pending() == 0);
  CHECK(sim.now() == 10.0);
}

TEST_CASE("sim::EventQueue: a default handle cancels nothing", "[sim]") {
  crowdsim::sim::EventQueue q;
  q.push(1.0, 0, 7);  // the first event takes slot 0
  CHECK_FALSE(q.cancel(crowdsim::sim::EventHandle{}));
  CHECK(q.size() == 1);
}

TEST_CASE("sim::EventQueue: renumbering insertion numbers keeps the (time, insertion) order", "[sim]") {
  // A limit of 64 renumbers every few dozen pushes (a few events stay pending); the pops must still equal a stable sort of
  // what was pushed, across many renumberings, with ties and cancellations.
  EventQueue q(64);
  Stream s(StreamKey{3, 0, 0, 0});
  std::vector<std::pair<double, std::uint64_t>> live;  // (time, id) of pending events, in insertion order
  std::vector<std::pair<EventHandle, std::uint64_t>> handles;
  std::uint64_t id = 0;
  double now = 0;
  Event e;
  for (; id < 30; ++id) {  // about 30 stay pending, so each renumbering reorders a real heap
    double t = static_cast<double>(s() % 4);
    handles.emplace_back(q.push(t, 0, id), id);
    live.emplace_back(t, id);
  }
  for (int round = 0; round < 5000; ++round) {
    for (int k = 0; k < 3; ++k) {  // push three, with many equal times
      double t = now + static_cast<double>(s() % 4);
      handles.emplace_back(q.push(t, 0, id), id);
      live.emplace_back(t, id++);
    }
    if (s() % 5 == 0 && !handles.empty()) {  // cancel a random pending one
      auto [h, victim] = handles[s() % handles.size()];
      if (q.cancel(h)) live.erase(std::find_if(live.begin(), live.end(), [&](auto& p) { return p.second == victim; }));
    }
    for (int k = 0; k < 3 && q.pop(e); ++k) {  // pop three: the earliest, first in on ties
      // live is in insertion order, so the first of the earliest is the one due
      auto it = std::min_element(live.begin(), live.end(), [](auto& a, auto& b) { return a.first < b.first; });
      REQUIRE(e.time == it->first);
      REQUIRE(e.target == it->second);
      live.erase(it);
      now = e.time;
    }
    REQUIRE(q.size() == live.size());
  }
}

TEST_CASE("sim::EventQueue: negative times, -0 and +0, and infinity keep their order, and NaN is refused", "[sim]") {
  EventQueue q;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> times{3.5, -2.0, inf, 0.0, -0.0, 1e-300, -1e300, 7.0, -inf};
  for (std::uint64_t i = 0; i < times.size(); ++i) q.push(times[i], 0, i);
  // -0 and +0 are the same time, so they pop in insertion order (0.0 was pushed first).
  std::vector<std::uint64_t> order{8, 6, 1, 3, 4, 5, 0, 7, 2};
  Event e;
  for (std::uint64_t want : order) {
    REQUIRE(q.pop(e));
    CHECK(e.target == want);
    CHECK(e.time == times[want]);
  }
  CHECK_THROWS_AS(q.push(std::nan(""), 0, 0), std::logic_error);
  CHECK(q.empty());
}

TEST_CASE("sim::EventQueue: pop_until leaves later events where they are", "[sim]") {
  EventQueue q;
  EventHandle a = q.push(1.0, 0, 1);
  q.push(5.0, 0, 2);
  q.cancel(a);
  Event e;
  CHECK_FALSE(q.pop_until(4.0, e));  // the live top (5.0) is later: nothing happens
  CHECK(q.size() == 1);
  CHECK_FALSE(q.empty());
  REQUIRE(q.pop_until(5.0, e));  // due exactly at the limit
  CHECK(e.target == 2);
  CHECK_FALSE(q.pop_until(10.0, e));
  CHECK(q.empty());
}

TEST_CASE("sim::EventQueue: timers pop exactly where the same events pushed would", "[sim]") {
  // The same random program runs on two queues: one keeps three recurring events in timers,
  // the other pushes them as ordinary events (a re-arm is cancel + push). Every pop must agree
  // on time, kind, target and insertion number, across renumberings (limit 64) and ties.
  EventQueue with_timers(64), plain(64);
  TimerId timers[3] = {with_timers.add_timer(), with_timers.add_timer(), with_timers.add_timer()};
  EventHandle as_events[3];
  bool armed[3] = {false, false, false};
  std::vector<EventHandle> handles_a, handles_b;
  Stream s(StreamKey{11, 0, 0, 0});
  double now = 0;
  std::uint64_t id = 0;
  Event a, b;
  for (int step = 0; step < 20000; ++step) {
    std::uint64_t op = s() % 8;
    double t = now + static_cast<double>(s() % 5);  // many equal times
    if (op < 2) {  // push an ordinary event
      handles_a.push_back(with_timers.push(t, 0, id));
      handles_b.push_back(plain.push(t, 0, id));
      ++id;
    } else if (op < 4) {  // arm (or re-arm) a timer
      int k = static_cast<int>(s() % 3);
      with_timers.set_timer(timers[k], t, 1 + k, id);
      if (armed[k]) plain.cancel(as_events[k]);
      as_events[k] = plain.push(t, 1 + k, id);
      armed[k] = true;
      ++id;
    } else if (op == 4) {  // disarm a timer, or cancel an ordinary event
      int k = static_cast<int>(s() % 3);
      CHECK(with_timers.clear_timer(timers[k]) == armed[k]);
      if (armed[k]) plain.cancel(as_events[k]);
      armed[k] = false;
      if (!handles_a.empty()) {
        std::size_t i = s() % handles_a.size();
        CHECK(with_timers.cancel(handles_a[i]) == plain.cancel(handles_b[i]));
      }
    } else {  // pop
      bool got = with_timers.pop(a);
      REQUIRE(got == plain.pop(b));
      if (!got) continue;
      REQUIRE(a.time == b.time);
      REQUIRE(a.kind == b.kind);
      REQUIRE(a.target == b.target);
      REQUIRE(a.seq == b.seq);
      if (a.kind > 0) armed[a.kind - 1] = false;
      CHECK((a.kind > 0) == (a.slot == EventQueue::kTimerSlot));
      now = a.time;
    }
    REQUIRE(with_timers.size() == plain.size());
    REQUIRE(with_timers.next_time() == plain.next_time());
    for (int k = 0; k < 3; ++k) REQUIRE(with_timers.timer_armed(timers[k]) == armed[k]);
  }
}

TEST_CASE("sim::Simulator: a timer fires once per arming, at the time it was last set", "[sim]") {
  Simulator sim;
  Recorder h{&sim, {}};
  TimerId t = sim.add_timer();
  sim.set_timer_at(t, 5.0, 0, 1);
  sim.set_timer_at(t, 3.0, 0, 2);  // replaces the first
  sim.schedule_at(4.0, 0, 3);
  CHECK(sim.pending() == 2);
  sim.run(h);
  CHECK(h.seen == std::vector<std::uint64_t>{2, 3});
  sim.set_timer_in(t, 1.0, 0, 4);
  CHECK(sim.clear_timer(t));
  CHECK_FALSE(sim.clear_timer(t));
  CHECK(sim.pending() == 0);
  sim.run(h);
  CHECK(h.seen.size() == 2);
}

TEST_CASE("sim::Simulator: scheduling into the past is refused, naming the event kind", "[sim]") {
  struct Handler {
    crowdsim::sim::Simulator* sim;
    double delay;
    void on_event(const crowdsim::sim::Event&) { sim->schedule_in(delay, 1, 0); }
  };
  crowdsim::sim::Simulator sim;
  sim.name_kinds({"tick", "tock"});
  Handler h{&sim, -1.0};
  sim.schedule_at(5.0, 0, 0);
  CHECK_THROWS_WITH(sim.run(h), Catch::Contains("event \"tock\" scheduled at t = 4 s, before now (t = 5 s)"));
  CHECK_THROWS_WITH(sim.schedule_at(4.999, 0, 0), Catch::Contains("\"tick\""));
  CHECK_THROWS_WITH(sim.schedule_at(std::nan(""), 7, 0), Catch::Contains("event \"kind 7\""));
  auto timer = sim.add_timer();
  CHECK_THROWS_AS(sim.set_timer_in(timer, -0.5, 0, 0), std::logic_error);
  CHECK_NOTHROW(sim.schedule_in(0.0, 0, 0));  // now is not the past
}

TEST_CASE("sim::EventQueue: pushes, pops and cancellations interleaved pop as a stable sort", "[sim]") {
  // Sizes swing between empty and several hundred, with events pushed before others, ties,
  // cancellations, pop_until and next_time, against a reference ordered set of (time,
  // insertion number).
  EventQueue q(1000);  // renumbering on the way too, several times
  Stream s(StreamKey{11, 0, 0, 0});
  struct Ref {
    double time;
    std::uint64_t n;
    bool operator<(const Ref& o) const { return time < o.time || (time == o.time && n < o.n); }
  };
  std::vector<Ref> ref;  // kept sorted
  std::vector<EventHandle> handles;
  std::vector<bool> live;
  double now = 0.0;
  std::uint64_t popped = 0;
  // Around the 4-ary heap's level boundaries too (full levels at 1, 5, 21, 85, 341 entries).
  const std::size_t targets[] = {300, 5, 140, 20, 84, 86, 21, 22, 340, 342, 600, 0, 90, 0};
  for (std::size_t target : targets) {
    for (int step = 0; step < 3000 && ref.size() != target; ++step) {
      bool grow = ref.size() < target;
      if (grow || s() % 4 == 0) {  // some pushes on the way down too
        double t = now + (s() % 3 == 0 ? 0.0 : static_cast<double>(s() % 50));  // ties with now
        std::uint64_t n = handles.size();
        handles.push_back(q.push(t, 0, n));
        live.push_back(true);
        ref.insert(std::upper_bound(ref.begin(), ref.end(), Ref{t, n}), Ref{t, n});
      } else if (s() % 5 == 0) {  // cancel a random live event
        const Ref r = ref[s() % ref.size()];
        REQUIRE(q.cancel(handles[r.n]));
        live[r.n] = false;
        ref.erase(std::lower_bound(ref.begin(), ref.end(), r));
      } else {
        REQUIRE(q.next_time() == ref.front().time);
        Event e;
        REQUIRE_FALSE(q.pop_until(ref.front().time - 1.0, e));
        REQUIRE(q.pop_until(ref.front().time, e));
        REQUIRE(e.target == ref.front().n);
        REQUIRE(live[e.target]);
        live[e.target] = false;
        now = e.time;
        ref.erase(ref.begin());
        ++popped;
      }
      REQUIRE(q.size() == ref.size());
    }
    REQUIRE(ref.size() == target);
  }
  CHECK(q.empty());
  CHECK(popped > 1000);
}
