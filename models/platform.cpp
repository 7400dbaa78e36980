#include "models/platform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"

namespace crowdsim::models {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Stream purposes. Each name keys its own streams, so a new purpose never shifts these draws,
// and a policy's choices never shift a worker's or task's intrinsic draws (common random numbers).
constexpr std::uint32_t kArrivalPurpose = sim::purpose_id("task.arrival");
constexpr std::uint32_t kTaskPurpose = sim::purpose_id("task.attributes");
constexpr std::uint32_t kAggregatePurpose = sim::purpose_id("task.aggregate");
constexpr std::uint32_t kWorkerPurpose = sim::purpose_id("worker.attributes");
constexpr std::uint32_t kWorkPurpose = sim::purpose_id("worker.work");
constexpr std::uint32_t kPolicyPurpose = sim::purpose_id("policy.assignment");

double exponential(sim::Stream& s, double mean) { return -mean * std::log(s.uniform01()); }

}  // namespace

Platform::Platform(const ModelParams& params, std::uint32_t replication, Recorder& recorder)
    : params_(params),
      replication_(replication),
      recorder_(recorder),
      assignment_(assignment_policies().create(params.assignment)),
      incentive_(incentive_policies().create(params.incentive)),
      arrivals_(stream(kArrivalPurpose, 0)),
      policy_rng_(stream(kPolicyPurpose, 0)) {
  const WorkerParams& wp = params_.workers;
  workers_.resize(static_cast<std::size_t>(wp.count));
  for (std::uint32_t w = 0; w < workers_.size(); ++w) {
    sim::Stream s = stream(kWorkerPurpose, w);
    WorkerState& ws = workers_[w];
    ws.accuracy = wp.accuracy.sample(s);
    ws.speed = wp.speed.sample(s);
    ws.reservation_wage = wp.reservation_wage.sample(s);
    ws.work = stream(kWorkPurpose, w);
    idle_.push_back(w);
  }
}

Platform::~Platform() = default;

sim::Stream Platform::stream(std::uint32_t purpose, std::uint32_t entity) const {
  return sim::Stream(sim::StreamKey{params_.seed, replication_, purpose, entity});
}

bool Platform::eligible(std::uint32_t task, std::uint32_t worker) const {
  const auto& taken = tasks_[task].workers;
  return std::find(taken.begin(), taken.end(), worker) == taken.end();
}

Kpis Platform::run(RunInfo& info) {
  const TaskParams& tp = params_.tasks;
  if (tp.arrival.process == ArrivalParams::Process::kBatch) {
    for (std::int64_t i = 0; i < tp.count; ++i) publish();
  } else {
    sim_.schedule_at(exponential(arrivals_, 3600.0 / tp.arrival.rate_per_hour), kArrival, 0);
    ++pending_work_;
  }
  snapshot();
  if (pending_work_ > 0) next_snapshot_ = sim_.schedule_in(params_.monitor.snapshot_interval, kSnapshot, 0);

  sim::RunResult result = sim_.run(*this, sim::RunLimits{params_.horizon, params_.max_events});
  double end = result.now;
  if (last_snapshot_ < end) snapshot();  // the state where the clock stopped

  // What is still open is recorded as open; workers' totals close the run.
  for (const TaskState& t : tasks_)
    if (t.id >= 0) {
      bool overdue = end > t.deadline;
      summary_.on_left_open(overdue);
      recorder_.task(task_record(t, TaskStatus::kOpen, -1));
    }
  std::vector<WorkerRecord> records;
  records.reserve(workers_.size());
  for (std::uint32_t w = 0; w < workers_.size(); ++w) {
    const WorkerState& ws = workers_[w];
    records.push_back(WorkerRecord{w, 0.0, kNaN, ws.accuracy, ws.speed, ws.reservation_wage,
                                   ws.tasks_done, ws.earnings, ws.busy_time, kNaN});
    recorder_.worker(records.back());
  }
  info.events_processed = sim_.events_processed();
  return summary_.finish(records, end);
}

void Platform::on_event(const sim::Event& e) {
  switch (e.kind) {
    case kArrival:
      --pending_work_;
      publish();
      if (published_ < params_.tasks.count) {
        sim_.schedule_in(exponential(arrivals_, 3600.0 / params_.tasks.arrival.rate_per_hour), kArrival, 0);
        ++pending_work_;
      }
      break;
    case kSubmit:
      --pending_work_;
      on_submit(static_cast<std::uint32_t>(e.target));
      break;
    case kSnapshot:
      snapshot();
      next_snapshot_ = sim_.schedule_in(params_.monitor.snapshot_interval, kSnapshot, 0);
      return;
  }
  // Once no arrival or submission is pending nothing can change any more: the pending snapshot
  // is cancelled so the run ends at the last real event, not at an idle tick (throughput and
  // utilisation divide by the end time).
  if (pending_work_ == 0) sim_.cancel(next_snapshot_);
}

void Platform::publish() {
  const TaskParams& tp = params_.tasks;
  std::uint32_t slot;
  if (!free_tasks_.empty()) {
    slot = free_tasks_.back();
    free_tasks_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(tasks_.size());
    tasks_.emplace_back();
  }
  TaskState& t = tasks_[slot];
  t.id = published_++;
  sim::Stream s = stream(kTaskPurpose, static_cast<std::uint32_t>(t.id));
  t.created = now();
  t.deadline = now() + tp.deadline;
  t.difficulty = tp.difficulty.sample(s);
  t.true_label = static_cast<std::int32_t>(s() % static_cast<std::uint32_t>(tp.classes));
  t.first_assigned = kNaN;
  t.open_slots = tp.redundancy;
  t.submitted = 0;
  t.workers.clear();
  t.votes.assign(static_cast<std::size_t>(tp.classes), 0);
  ++open_count_;
  summary_.on_published();
  open_.push_back(slot);
  dispatch_task(slot);
}

void Platform::dispatch_task(std::uint32_t task) {
  while (tasks_[task].open_slots > 0 && !idle_.empty()) {
    std::uint32_t w = assignment_->choose_worker(*this, task, policy_rng_);
    if (w == kNone) break;
    assign(task, w);
  }
}

void Platform::serve_worker(std::uint32_t worker) {
  std::uint32_t t = open_.empty() ? kNone : assignment_->choose_task(*this, worker, policy_rng_);
  if (t == kNone) {
    workers_[worker].busy = false;
    idle_.push_back(worker);
  } else {
    assign(t, worker);
  }
}

void Platform::assign(std::uint32_t task, std::uint32_t worker) {
  const TaskParams& tp = params_.tasks;
  TaskState& t = tasks_[task];
  WorkerState& w = workers_[worker];
  if (--t.open_slots == 0) open_.erase(task);
  if (idle_.contains(worker)) idle_.erase(worker);
  w.busy = true;
  t.workers.push_back(worker);
  if (std::isnan(t.first_assigned)) t.first_assigned = now();

  // t = T · difficulty · speed · noise; q = chance + (accuracy − chance) / difficulty.
  double duration = tp.expected_duration * t.difficulty * w.speed * params_.work.time_noise.sample(w.work);
  double chance = 1.0 / tp.classes;
  double quality = std::clamp(chance + (w.accuracy - chance) / t.difficulty, 0.0, 1.0);
  std::int32_t answer = t.true_label;
  if (!(w.work.uniform01() < quality)) {  // a wrong answer: uniform among the other labels
    auto other = static_cast<std::int32_t>(w.work() % static_cast<std::uint32_t>(tp.classes - 1));
    answer = other >= t.true_label ? other + 1 : other;
  }

  std::uint32_t a;
  if (!free_assignments_.empty()) {
    a = free_assignments_.back();
    free_assignments_.pop_back();
  } else {
    a = static_cast<std::uint32_t>(assignments_.size());
    assignments_.emplace_back();
  }
  assignments_[a] = Assignment{task, worker, now(), duration, quality, answer};
  sim_.schedule_in(duration, kSubmit, a);
  ++pending_work_;
  ++in_progress_;
}

void Platform::on_submit(std::uint32_t a) {
  const Assignment as = assignments_[a];
  free_assignments_.push_back(a);
  --in_progress_;
  const TaskParams& tp = params_.tasks;
  TaskState& t = tasks_[as.task];
  WorkerState& w = workers_[as.worker];

  double review = as.quality;  // review model "exact"
  double reward = incentive_->reward(Submission{tp.bounty, tp.expected_duration, as.duration, as.quality, review});
  summary_.on_submission(as.quality, review, reward);
  w.tasks_done += 1;
  w.earnings += reward;
  w.busy_time += as.duration;
  t.votes[static_cast<std::size_t>(as.answer)] += 1;
  t.submitted += 1;
  recorder_.assignment(AssignmentRecord{t.id, as.worker, as.assigned, now(), as.duration,
                                        as.duration / tp.expected_duration, 1.0, as.quality, review,
                                        reward, as.answer, 0});
  if (t.submitted == tp.redundancy) close(as.task);
  serve_worker(as.worker);
}

void Platform::close(std::uint32_t task) {
  TaskState& t = tasks_[task];
  // Majority vote; a tie is broken uniformly at random from the task's own stream, which is only
  // opened when there is a tie (a Philox block per task is a measurable cost).
  std::uint32_t best = *std::max_element(t.votes.begin(), t.votes.end());
  std::uint32_t ties = static_cast<std::uint32_t>(std::count(t.votes.begin(), t.votes.end(), best));
  std::uint32_t pick = 0;
  if (ties > 1) pick = stream(kAggregatePurpose, static_cast<std::uint32_t>(t.id))() % ties;
  std::int32_t final_label = -1;
  for (std::size_t k = 0; k < t.votes.size() && final_label < 0; ++k)
    if (t.votes[k] == best && pick-- == 0) final_label = static_cast<std::int32_t>(k);

  TaskRecord rec = task_record(t, TaskStatus::kClosed, final_label);
  rec.closed = now();
  summary_.on_closed(now() - t.created, t.first_assigned - t.created, rec.correct, now() > t.deadline);
  recorder_.task(rec);
  t.id = -1;
  --open_count_;
  free_tasks_.push_back(task);
}

TaskRecord Platform::task_record(const TaskState& t, TaskStatus status, std::int32_t final_label) const {
  const TaskParams& tp = params_.tasks;
  std::int8_t correct = final_label < 0 ? -1 : (final_label == t.true_label ? 1 : 0);
  return TaskRecord{t.id,        -1,          0,       t.created,      t.deadline,
                    tp.expected_duration, tp.redundancy, tp.bounty, t.difficulty, t.first_assigned,
                    kNaN,        status,      t.true_label, final_label, correct};
}

void Platform::snapshot() {
  last_snapshot_ = now();
  recorder_.snapshot(SnapshotRecord{now(), open_count_, in_progress_,
                                    static_cast<std::int64_t>(workers_.size()),
                                    static_cast<std::int64_t>(workers_.size() - idle_.size()),
                                    summary_.closed(), summary_.total_cost(), summary_.mean_quality(),
                                    summary_.accuracy()});
}

}  // namespace crowdsim::models
