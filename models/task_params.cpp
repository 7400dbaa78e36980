// Reading `tasks`: the type fields (defaults at the top, overrides per type), decomposition,
// and the arrival processes (batch, Poisson, NHPP with a 24-hour profile, trace replay).
#include <algorithm>
#include <filesystem>

#include "models/params.hpp"
#include "models/registry.hpp"
#include "sim/csv.hpp"

namespace crowdsim::models {

using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

// A distribution at `key` within `b`, `fallback` when absent.
sim::Distribution read_bounded(const Config& c, const std::string& key, const sim::Distribution& fallback,
                               const std::string& base_dir, Bounds b) {
  return c.has(key) ? sim::read_distribution_within(c, key, b, base_dir) : fallback;
}

// `deadline`: a duration after publication, or {"after": duration, "in_progress": "accept" |
// "cancel"}. Either form replaces an inherited deadline as a whole (in_progress "accept" unless
// given). Returns true when the object form names in_progress.
bool read_deadline(const Config& c, TaskType& t) {
  const nlohmann::json& v = c.raw("deadline");
  if (v.is_object()) {
    Config d = c.object("deadline");
    t.deadline = d.duration("after", Bounds::positive());
    bool given = d.has("in_progress");
    t.cancel_in_progress = given && d.string("in_progress", {"accept", "cancel"}) == "cancel";
    d.finish();
    return given;
  }
  if (!v.is_number() && !v.is_string())
    throw ConfigError(c.path_of("deadline"),
                      "a duration > 0 (seconds, or a string such as \"90s\", \"5min\", \"2h\", \"1d\") or an object "
                      "{\"after\": duration, \"in_progress\": \"accept\" | \"cancel\"}",
                      sim::describe_json(v));
  t.deadline = c.duration("deadline", Bounds::positive());
  t.cancel_in_progress = false;
  return false;
}

// The type fields present in `c`, over `base`.
TaskType read_type_fields(const Config& c, TaskType t, const std::string& base_dir) {
  if (c.has("kind")) t.labelled = c.string("kind", {"label", "continuous"}) == "label";
  t.expected_duration = c.duration("expected_duration", t.expected_duration, Bounds::positive());
  t.bounty = c.number("bounty", t.bounty, Bounds::non_negative());
  t.redundancy = static_cast<std::int32_t>(c.integer("redundancy", t.redundancy, 1, 10'000));
  t.classes = static_cast<std::int32_t>(c.integer("classes", t.classes, 2, 1'000));
  t.difficulty = read_bounded(c, "difficulty", t.difficulty, base_dir, Bounds::positive());
  bool in_progress_given = c.has("deadline") && read_deadline(c, t);
  if (c.has("on_deadline")) t.expire = c.string("on_deadline", {"keep", "expire"}) == "expire";
  // Cancelling the work under way only means something when the deadline withdraws the task.
  if (t.cancel_in_progress && !t.expire) {
    if (in_progress_given || !c.has("on_deadline"))
      throw ConfigError(c.path_of("deadline") + ".in_progress",
                        "\"accept\" unless on_deadline is \"expire\" (\"cancel\" ends the work under way when a "
                        "task expires)",
                        "\"cancel\" with on_deadline \"keep\"");
    throw ConfigError(c.path_of("on_deadline"), "\"expire\" (the deadline's in_progress is \"cancel\")", "\"keep\"");
  }
  t.abandon_timeout = c.duration("abandon_timeout", t.abandon_timeout, Bounds::non_negative());
  return t;
}

std::int32_t type_index(const std::vector<TaskType>& types, const std::string& name, const std::string& path) {
  for (std::size_t i = 0; i < types.size(); ++i)
    if (types[i].name == name) return static_cast<std::int32_t>(i);
  std::vector<std::string> names;
  for (const auto& t : types) names.push_back(t.name);
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + ("\"" + n + "\"");
  throw ConfigError(path, "a task type name (" + list + ")", sim::quoted_with_hint(name, names));
}

std::vector<TaskType> read_types(const Config& c, const TaskType& defaults, const std::string& base_dir) {
  if (!c.has("types")) return {defaults};
  std::vector<Config> items = c.objects("types");
  std::vector<TaskType> types;
  std::vector<std::string> into(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Config& item = items[i];
    bool decomposed = item.has("decompose");
    // A decomposed type does no work itself: only its deadline means anything.
    TaskType t = decomposed ? defaults : read_type_fields(item, defaults, base_dir);
    if (decomposed)
      for (const char* k : {"kind", "expected_duration", "bounty", "redundancy", "classes", "difficulty",
                            "on_deadline", "abandon_timeout"})
        if (item.value().contains(k))
          throw ConfigError(item.path_of(k), "no work field on a decomposed type (its subtasks do the work)",
                            sim::describe_json(item.value().at(k)));
    // A decomposed task only has a deadline (its subtasks' own deadlines decide about their work).
    if (decomposed && item.has("deadline") && read_deadline(item, t) && t.cancel_in_progress)
      throw ConfigError(item.path_of("deadline") + ".in_progress",
                        "\"accept\" on a decomposed type (its subtasks have their own deadlines)", "\"cancel\"");
    t.name = item.string("name");
    for (const auto& other : types)
      if (other.name == t.name) throw ConfigError(item.path_of("name"), "a name no other type has", "\"" + t.name + "\"");
    t.weight = item.number("weight", 1.0, Bounds::non_negative());
    if (decomposed) {
      Config d = item.object("decompose");
      into[i] = d.string("into");
      t.decompose.count = static_cast<std::int32_t>(d.integer("count", 1, 10'000));
      t.decompose.sequential = d.string_or("mode", "parallel", {"parallel", "sequential"}) == "sequential";
      d.finish();
    }
    item.finish();
    types.push_back(t);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (into[i].empty()) continue;
    std::string path = items[i].path_of("decompose") + ".into";
    std::int32_t sub = type_index(types, into[i], path);
    if (types[static_cast<std::size_t>(sub)].decompose.into >= 0 || into[static_cast<std::size_t>(sub)].size())
      throw ConfigError(path, "a type that does not itself decompose", "\"" + into[i] + "\"");
    types[i].decompose.into = sub;
  }
  double total = 0;
  for (const auto& t : types) total += t.weight;
  if (!(total > 0)) throw ConfigError(c.path_of("types"), "at least one type with weight > 0", "all weights 0");
  return types;
}

std::shared_ptr<const std::vector<TraceRow>> read_trace(const Config& a, const std::vector<TaskType>& types,
                                                        const std::string& base_dir) {
  std::filesystem::path path(a.string("file"));
  if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
  std::string time_column = a.string_or("time_column", "time");
  std::string type_column = a.string_or("type_column", "type");
  std::optional<sim::CsvTable> csv = sim::read_csv(path.string());
  if (!csv) throw ConfigError(a.path_of("file"), "a readable CSV file", "no file at \"" + path.string() + "\"");
  std::optional<std::size_t> tc = csv->column(time_column), yc = csv->column(type_column);
  if (!tc) {
    throw ConfigError(a.path_of("time_column"), "a column of " + path.string(),
                      sim::quoted_with_hint(time_column, csv->header));
  }
  if (!yc && (types.size() > 1 || a.has("type_column")))
    throw ConfigError(a.path_of("type_column"), "a column of " + path.string() + " naming each row's task type",
                      "no column \"" + type_column + "\"");
  auto rows = std::make_shared<std::vector<TraceRow>>();
  for (std::size_t r = 0; r < csv->rows.size(); ++r) {
    const auto& row = csv->rows[r];
    std::string where = " at line " + std::to_string(csv->lines[r]) + " of " + path.string();
    std::string cell = *tc < row.size() ? row[*tc] : "";
    std::optional<double> t = sim::parse_number(cell);
    if (!t || *t < 0) throw ConfigError(a.path_of("file"), "times >= 0 (seconds) in column \"" + time_column + "\"", "\"" + cell + "\"" + where);
    std::int32_t type = 0;
    if (yc) {
      std::string name = *yc < row.size() ? row[*yc] : "";
      type = -1;
      for (std::size_t i = 0; i < types.size(); ++i)
        if (types[i].name == name) type = static_cast<std::int32_t>(i);
      std::optional<double> idx = sim::parse_number(name);
      if (type < 0 && idx && *idx >= 0 && *idx < static_cast<double>(types.size()) && *idx == static_cast<std::int32_t>(*idx))
        type = static_cast<std::int32_t>(*idx);
      if (type < 0) throw ConfigError(a.path_of("file"), "a task type name or index in column \"" + type_column + "\"", "\"" + name + "\"" + where);
    }
    rows->push_back(TraceRow{*t, type});
  }
  if (rows->empty()) throw ConfigError(a.path_of("file"), "a trace with at least one row", "an empty file " + path.string());
  std::stable_sort(rows->begin(), rows->end(), [](const TraceRow& x, const TraceRow& y) { return x.time < y.time; });
  return rows;
}

}  // namespace

CROWDSIM_REGISTER(arrival_processes) {
  using P = ArrivalParams::Process;
  auto& r = arrival_processes();
  const sim::Param rate = sim::required_number("rate_per_hour", Bounds::positive(), "tasks per hour", "1/h");
  r.add({"batch", "all tasks at t = 0", {}, [](const sim::Params&) { return std::make_unique<ArrivalParams>(); }});
  r.add({"poisson", "exponential gaps at rate_per_hour", {rate}, [](const sim::Params& p) {
           auto a = std::make_unique<ArrivalParams>();
           a->process = P::kPoisson;
           a->rate_per_hour = p.number("rate_per_hour");
           return a;
         }});
  r.add({"nhpp", "rate_per_hour x profile[hour of day], sampled exactly by inversion",
         {rate, sim::required_numbers("profile", Bounds::non_negative(), 24,
                                      "24 multipliers of the rate, one per hour of the day (one at least > 0)")},
         [](const sim::Params& p) {
           auto a = std::make_unique<ArrivalParams>();
           a->process = P::kNhpp;
           a->rate_per_hour = p.number("rate_per_hour");
           a->profile = p.numbers("profile", 24);
           if (*std::max_element(a->profile.begin(), a->profile.end()) <= 0)
             throw ConfigError(p.config().path_of("profile"), "at least one hour with a multiplier > 0", "all 0");
           return a;
         }});
  r.add({"trace", "replay a CSV of (time, type): one task per row",
         {sim::required_text("file", "CSV file, relative to the scenario's folder"),
          sim::text("time_column", "time", "column of arrival times, seconds"),
          sim::text("type_column", "type", "column of task type names or indices (needed with several types)")},
         [](const sim::Params&) {  // the caller reads the file: it needs the task types
           auto a = std::make_unique<ArrivalParams>();
           a->process = P::kTrace;
           return a;
         }});
}

TaskParams read_task_params(const Config& c, const std::string& base_dir) {
  TaskParams p;
  TaskType defaults = read_type_fields(c, TaskType{}, base_dir);
  p.types = read_types(c, defaults, base_dir);
  bool has_count = c.has("count");
  if (has_count) p.count = c.integer("count", 1, 1'000'000'000);
  if (auto a = c.optional_object("arrival")) {
    p.arrival = *arrival_processes().create(*a);
    if (p.arrival.process == ArrivalParams::Process::kTrace) {
      p.arrival.trace = read_trace(*a, p.types, base_dir);
      auto rows = static_cast<std::int64_t>(p.arrival.trace->size());
      if (!has_count) p.count = rows;
      if (p.count > rows)
        throw ConfigError(c.path_of("count"), "at most the trace's " + std::to_string(rows) + " rows",
                          std::to_string(p.count));
    }
    a->finish();
  }
  c.finish();
  return p;
}

}  // namespace crowdsim::models
