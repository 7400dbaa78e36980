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

// The fields of a task type, given at the top of `tasks` (defaults for every type) or per type.
sim::ParamList type_fields() {
  const TaskType d;
  return {sim::choice("kind", d.labelled ? "label" : "continuous", {"label", "continuous"},
                      "label: a true label among classes; continuous: only a quality"),
          sim::duration("expected_duration", d.expected_duration, Bounds::positive(), "T: a nominal worker's mean time"),
          sim::number("bounty", d.bounty, Bounds::non_negative(), "k, per answer", "currency"),
          sim::integer("redundancy", d.redundancy, 1, 10'000, "M, answers wanted (at most the workers available)"),
          sim::integer("classes", d.classes, 2, 1'000, "K, labels of a labelling task (the true label is uniform)"),
          sim::distribution("difficulty", d.difficulty, Bounds::positive(), "multiplies time, divides skill above chance"),
          sim::custom("deadline", "a duration > 0, or an object (tasks.deadline)",
                      "after publication; an overdue task raises an alert (absent: none)"),
          sim::choice("on_deadline", d.expire ? "expire" : "keep", {"keep", "expire"},
                      "keep: the deadline only raises the alert (the task closes late); expire: open and held-back "
                      "slots are withdrawn then (see deadline.in_progress)"),
          sim::duration("abandon_timeout", d.abandon_timeout, Bounds::non_negative(),
                        "after an abandonment the slot returns this much later")};
}

// The fields that mean nothing on a decomposed type (its subtasks do the work).
bool work_field(const std::string& name) { return name != "deadline"; }

}  // namespace

const sim::Section& task_section() {
  static const sim::Section s = [] {
    sim::ParamList list{sim::integer("count", TaskParams{}.count, 1, 1'000'000'000,
                                     "top-level tasks to publish (with a trace: default all its rows)"),
                        sim::custom("arrival", "an object: an arrival process", "how tasks arrive (default batch)"),
                        sim::custom("types", "a non-empty array of objects (tasks.types)",
                                    "task types (default one type \"task\" with the fields below)")};
    for (sim::Param& f : type_fields()) list.push_back(std::move(f));
    return sim::Section{"tasks", "what is published; the type fields here are the defaults of every type", list};
  }();
  return s;
}

const sim::Section& task_type_section() {
  static const sim::Section s = [] {
    sim::ParamList list{sim::required_text("name", "the type's name (unique)"),
                        sim::number("weight", TaskType{}.weight, Bounds::non_negative(),
                                    "share of arrivals, normalised (0: a type used only as a subtask)"),
                        sim::custom("decompose", "an object (tasks.types.decompose)",
                                    "split each task into subtasks of another type (a decomposed type takes only "
                                    "name, weight, deadline and decompose)")};
    for (sim::Param& f : sim::inherited(type_fields(), "tasks")) list.push_back(std::move(f));
    return sim::Section{"tasks.types", "one task type (an element of tasks.types)", list};
  }();
  return s;
}

const sim::Section& deadline_section() {
  static const sim::Section s{
      "tasks.deadline", "the object form of a deadline (tasks.deadline or a type's); it replaces an inherited one whole",
      {sim::required_duration("after", Bounds::positive(), "after publication"),
       sim::optional_choice("in_progress", {"accept", "cancel"},
                            "with on_deadline expire: the work under way at the deadline finishes and is paid "
                            "(accept, the default) or ends there unpaid (cancel)")}};
  return s;
}

const sim::Section& decompose_section() {
  static const sim::Section s{
      "tasks.types.decompose", "how a task of the type is split into subtasks",
      {sim::required_text("into", "the subtask type's name (a type that does not itself decompose)"),
       sim::required_integer("count", 1, 10'000, "subtasks per task"),
       sim::choice("mode", "parallel", {"parallel", "sequential"},
                   "parallel: fork-join, all published at once; sequential: a chain, the next when the previous closes")}};
  return s;
}

namespace {

// `deadline`: a duration after publication, or {"after": duration, "in_progress": "accept" |
// "cancel"}. Either form replaces an inherited deadline as a whole (in_progress "accept" unless
// given). Returns true when the object form names in_progress.
bool read_deadline(const Config& c, TaskType& t) {
  const nlohmann::json& v = c.raw("deadline");
  if (v.is_object()) {
    Config d = c.object("deadline");
    sim::Params p(d, deadline_section().params);
    t.deadline = p.duration("after");
    bool given = p.has("in_progress");
    t.cancel_in_progress = given && p.string("in_progress") == "cancel";
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

// The type fields present in `p` (read through the declarations), over `t`.
TaskType read_type_fields(const sim::Params& p, TaskType t) {
  const Config& c = p.config();
  if (p.has("kind")) t.labelled = p.string("kind") == "label";
  if (p.has("expected_duration")) t.expected_duration = p.duration("expected_duration");
  if (p.has("bounty")) t.bounty = p.number("bounty");
  if (p.has("redundancy")) t.redundancy = static_cast<std::int32_t>(p.integer("redundancy"));
  if (p.has("classes")) t.classes = static_cast<std::int32_t>(p.integer("classes"));
  if (p.has("difficulty")) t.difficulty = p.distribution("difficulty");
  bool in_progress_given = p.has("deadline") && read_deadline(c, t);
  if (p.has("on_deadline")) t.expire = p.string("on_deadline") == "expire";
  // Cancelling the work under way only means something when the deadline withdraws the task.
  if (t.cancel_in_progress && !t.expire) {
    if (in_progress_given || !c.has("on_deadline"))
      throw ConfigError(c.path_of("deadline") + ".in_progress",
                        "\"accept\" unless on_deadline is \"expire\" (\"cancel\" ends the work under way when a "
                        "task expires)",
                        "\"cancel\" with on_deadline \"keep\"");
    throw ConfigError(c.path_of("on_deadline"), "\"expire\" (the deadline's in_progress is \"cancel\")", "\"keep\"");
  }
  if (p.has("abandon_timeout")) t.abandon_timeout = p.duration("abandon_timeout");
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
    bool decomposed = item.value().contains("decompose");
    // A decomposed type does no work itself: only its deadline means anything.
    if (decomposed)
      for (const sim::Param& f : type_fields())
        if (work_field(f.name) && item.value().contains(f.name))
          throw ConfigError(item.path_of(f.name), "no work field on a decomposed type (its subtasks do the work)",
                            sim::describe_json(item.value().at(f.name)));
    sim::Params p(item, task_type_section().params, base_dir);
    TaskType t = decomposed ? defaults : read_type_fields(p, defaults);
    // A decomposed task only has a deadline (its subtasks' own deadlines decide about their work).
    if (decomposed && p.has("deadline") && read_deadline(item, t) && t.cancel_in_progress)
      throw ConfigError(item.path_of("deadline") + ".in_progress",
                        "\"accept\" on a decomposed type (its subtasks have their own deadlines)", "\"cancel\"");
    t.name = p.string("name");
    for (const auto& other : types)
      if (other.name == t.name) throw ConfigError(item.path_of("name"), "a name no other type has", "\"" + t.name + "\"");
    t.weight = p.number("weight");
    if (decomposed) {
      Config d = item.object("decompose");
      sim::Params q(d, decompose_section().params);
      into[i] = q.string("into");
      t.decompose.count = static_cast<std::int32_t>(q.integer("count"));
      t.decompose.sequential = q.string("mode") == "sequential";
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

CROWDSIM_REGISTER {
  using P = ArrivalParams::Process;
  auto& r = arrival_processes();
  const sim::Param rate = sim::required_number("rate_per_hour", Bounds::positive(), "tasks per hour", "1/h");
  r.add({"batch", "all tasks at t = 0 (the default: no tasks.arrival)", {}, [](const sim::Params&) { return std::make_unique<ArrivalParams>(); }});
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
  r.add({"trace", "replay a CSV of (time, type): one task per row, in time order",
         {sim::required_text("file", "CSV file, relative to the scenario's folder"),
          sim::text("time_column", "time", "column of arrival times, seconds"),
          sim::text("type_column", "type", "column of task type names or 0-based indices (needed with several types)")},
         [](const sim::Params&) {  // the caller reads the file: it needs the task types
           auto a = std::make_unique<ArrivalParams>();
           a->process = P::kTrace;
           return a;
         }});
}

TaskParams read_task_params(const Config& c, const std::string& base_dir) {
  TaskParams p;
  sim::Params fields(c, task_section().params, base_dir);
  TaskType defaults = read_type_fields(fields, TaskType{});
  p.types = read_types(c, defaults, base_dir);
  bool has_count = fields.has("count");
  if (has_count) p.count = fields.integer("count");
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
