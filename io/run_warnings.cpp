#include "io/run_warnings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>

#include <nlohmann/json.hpp>

#include "io/format.hpp"
#include "models/aggregation/aggregator.hpp"

namespace crowdsim::io {

namespace {

double kpi(const models::Kpis& kpis, const char* name) {
  for (const auto& [n, v] : kpis)
    if (n == name) return v;
  return std::nan("");
}

// "runs 3, 7" (the first ten).
std::string run_list(const std::vector<std::uint64_t>& ids) {
  std::string s = ids.size() == 1 ? "run " : "runs ";
  for (std::size_t i = 0; i < ids.size() && i < 10; ++i) s += (i ? ", " : "") + std::to_string(ids[i]);
  return ids.size() > 10 ? s + ", ..." : s;
}

}  // namespace

WarningCounter::WarningCounter(std::vector<std::string> group_names) : group_names_(std::move(group_names)) {}

void WarningCounter::add(std::uint64_t run_id, const models::Kpis& kpis, std::vector<double> group_tasks,
                         std::size_t unconverged) {
  ++runs_;
  if (unconverged > 0) {
    unconverged_.push_back(run_id);
    unconverged_rows_ += static_cast<double>(unconverged);
  }
  if (kpi(kpis, "tasks_closed") == 0) no_task_.push_back(run_id);
  double refused = kpi(kpis, "tasks_refused");
  if (refused > 0 || std::isfinite(kpi(kpis, "budget_exhausted_at"))) {
    budget_.push_back(run_id);
    refused_ += refused > 0 ? refused : 0;
  }
  if (double e = kpi(kpis, "tasks_expired"); e > 0) {
    expired_.push_back(run_id);
    expired_tasks_ += e;
  }
  // Top-level tasks neither closed nor expired: still open when the run ended.
  double open = kpi(kpis, "tasks_published") - kpi(kpis, "tasks_closed") - std::max(0.0, kpi(kpis, "tasks_expired"));
  if (open > 0) {
    open_.push_back(run_id);
    open_tasks_ += open;
  }
  static const std::string kCapped = "em_capped_";
  for (const auto& [name, batches] : kpis) {
    if (name.rfind(kCapped, 0) != 0 || !(batches > 0)) continue;
    std::string method = name.substr(kCapped.size());
    EmCapped& e = em_capped_[method];
    e.runs.push_back(run_id);
    e.batches += batches;
    e.moved = std::max(e.moved, kpi(kpis, ("em_moved_" + method).c_str()));
  }
  group_tasks.resize(std::max(group_tasks.size(), group_names_.size()), 0.0);
  for (std::size_t g = 0; g < group_tasks.size(); ++g)
    if (group_tasks[g] == 0) ++unused_groups_[g];
}

WarningTally::WarningTally(models::Recorder& inner, std::vector<std::string> group_names)
    : inner_(inner), counter_(group_names), groups_(group_names.size()) {}

void WarningTally::begin_run(const models::RunInfo& i) {
  group_tasks_.assign(groups_, 0.0);
  unconverged_ = 0;
  inner_.begin_run(i);
}

void count_tasks(std::vector<double>& group_tasks, const models::WorkerRecord& r) {
  auto g = static_cast<std::size_t>(std::max<std::int32_t>(r.group, 0));
  if (g >= group_tasks.size()) group_tasks.resize(g + 1, 0.0);
  group_tasks[g] += static_cast<double>(r.tasks_done);
}

void WarningTally::worker(const models::WorkerRecord& r) {
  count_tasks(group_tasks_, r);
  inner_.worker(r);
}

void WarningTally::end_run(const models::RunInfo& info, const models::Kpis& kpis) {
  counter_.add(info.run_id, kpis, group_tasks_, unconverged_);
  inner_.end_run(info, kpis);
}

std::vector<std::string> group_names(const std::string& scenario_json) {
  nlohmann::json doc = nlohmann::json::parse(scenario_json, nullptr, false);
  std::vector<std::string> names;
  if (doc.is_object() && doc.contains("workers") && doc["workers"].is_object() && doc["workers"].contains("groups") &&
      doc["workers"]["groups"].is_array())
    for (const auto& g : doc["workers"]["groups"])
      names.push_back(g.is_object() && g.contains("name") && g["name"].is_string() ? g["name"].get<std::string>() : "?");
  if (names.empty()) names.push_back("workers");
  return names;
}

std::vector<std::string> warning_messages(const std::string& json_text) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, false);
  std::vector<std::string> out;
  if (doc.is_object() && doc.contains("messages") && doc["messages"].is_array())
    for (const auto& m : doc["messages"])
      if (m.is_string()) out.push_back(m.get<std::string>());
  return out;
}

std::vector<RunWarning> WarningCounter::warnings() const {
  std::vector<RunWarning> w;
  std::string of = " of " + std::to_string(runs_) + " runs";
  if (!no_task_.empty())
    w.push_back({"no_task_closed", no_task_.size(),
                 std::to_string(no_task_.size()) + of + " closed no task (" + run_list(no_task_) +
                     "): their accuracy, latencies and costs per task are NaN, left out of the means (summarize shows n=K of N)"});
  if (!budget_.empty())
    w.push_back({"budget_exhausted", budget_.size(),
                 "the budget ran out in " + std::to_string(budget_.size()) + of + ": " + sig(refused_, 9, true) +
                     " tasks refused in all, " + sig(refused_ / static_cast<double>(budget_.size()), 3, true) +
                     " per such run (" + run_list(budget_) + "; KPIs tasks_refused, budget_exhausted_at)"});
  if (!expired_.empty())
    w.push_back({"tasks_expired", expired_.size(),
                 "tasks expired in " + std::to_string(expired_.size()) + of + ": " + sig(expired_tasks_, 9, true) +
                     " in all, ended by their deadline short of answers (" + run_list(expired_) + "; KPI tasks_expired)"});
  if (!open_.empty())
    w.push_back({"tasks_open", open_.size(),
                 "tasks were still open when the run ended in " + std::to_string(open_.size()) + of + ": " +
                     sig(open_tasks_, 9, true) + " in all (" + run_list(open_) +
                     "; KPIs tasks_published - tasks_closed - tasks_expired): a horizon, an event budget or no worker "
                     "left cut them off, so latencies and waits are over the tasks that ended, which leaves out the slowest"});
  if (!unconverged_.empty())
    w.push_back({"strategies_not_converged", unconverged_.size(),
                 "the workers' strategies did not converge to an equilibrium in " + std::to_string(unconverged_.size()) + of +
                     " (" + run_list(unconverged_) + "; " + sig(unconverged_rows_, 9, true) +
                     (unconverged_rows_ == 1 ? " row" : " rows") + " of strategies with converged = 0): in a contest or under agreement review those "
                     "workers play the iteration's last step, no best response to each other (a contest without review "
                     "noise, an all-pay auction, has no equilibrium in pure strategies)"});
  for (const auto& [method, e] : em_capped_) {
    // The method's cap and tolerance, when this crowdsim knows it (a plug-in's may be absent).
    std::string cap = "its iteration cap", tolerance;
    try {
      const models::Convergence c = models::make_aggregator(method)->convergence();
      char buf[64];
      std::snprintf(buf, sizeof buf, "%d", c.cap);
      if (c.cap > 0) cap = "its cap of " + std::string(buf) + " EM iterations";
      std::snprintf(buf, sizeof buf, "tolerance %.0e; ", c.tolerance);
      if (c.cap > 0) tolerance = buf;
    } catch (const std::exception&) {
    }
    char moved[32];
    std::snprintf(moved, sizeof moved, "%.3g", e.moved);
    w.push_back({"em_not_converged", e.runs.size(),
                 method + " stopped at " + cap + " before converging in " + std::to_string(e.runs.size()) + of + " (" +
                     run_list(e.runs) + "; " + sig(e.batches, 9, true) + (e.batches == 1 ? " batch" : " batches") +
                     ", a batch being one task type's answers at a run's end; KPI em_capped_" + method +
                     "): the posteriors still moved by up to " + moved + " at the last iteration (" + tolerance +
                     "KPI em_moved_" + method + "), so accuracy_" + method +
                     " there is that of estimates EM had not settled"});
  }
  for (const auto& [g, n] : unused_groups_) {
    std::string name = g < group_names_.size() ? "\"" + group_names_[g] + "\"" : std::to_string(g);
    w.push_back({"worker_group_unused", n,
                 "worker group " + name + " did no task in " + std::to_string(n) + of +
                     " (no worker of it online, none ever assigned, or none done before the run ended)"});
  }
  return w;
}

std::string WarningCounter::json() const {
  nlohmann::json counts = nlohmann::json::object(), messages = nlohmann::json::array();
  for (const RunWarning& w : warnings()) {
    counts[w.kind] = counts.value(w.kind, 0) + static_cast<int>(w.runs);
    messages.push_back(w.text);
  }
  return nlohmann::json{{"runs", runs_}, {"counts", counts}, {"messages", messages}}.dump();
}

}  // namespace crowdsim::io
