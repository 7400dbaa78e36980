#include "io/scenario.hpp"

#include "io/sweep.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <fstream>
#include <sstream>

#include "models/assignment/policy.hpp"
#include "models/incentive/policy.hpp"
#include "models/registry.hpp"
#include "sim/config.hpp"

namespace crowdsim::io {

using nlohmann::json;
using sim::Bounds;
using sim::Config;
using sim::ConfigError;

namespace {

// json::parse that refuses an object naming a key twice (nlohmann keeps the last silently, so a
// parameter typed twice would be half ignored): the error names the key's JSON path.
json parse_unique_keys(const std::string& text) {
  struct Level {
    bool object;
    std::string key;                 // object: the key being read
    std::size_t index = 0;           // array: the element being read
    std::vector<std::string> keys;   // object: the keys seen
  };
  std::vector<Level> stack;
  auto path = [&] {
    std::string p;
    for (const Level& l : stack)
      p += l.object ? (p.empty() ? "" : ".") + l.key : (p.empty() ? "" : ".") + std::to_string(l.index);
    return p;
  };
  auto element_done = [&] {
    if (!stack.empty() && !stack.back().object) ++stack.back().index;
  };
  using E = json::parse_event_t;
  return json::parse(text, [&](int, E event, json& parsed) {
    switch (event) {
      case E::object_start: stack.push_back({true, "", 0, {}}); break;
      case E::array_start: stack.push_back({false, "", 0, {}}); break;
      case E::key: {
        Level& l = stack.back();
        std::string k = parsed.get<std::string>();
        if (std::find(l.keys.begin(), l.keys.end(), k) != l.keys.end()) {
          l.key = k;
          throw ConfigError(path(), "each key once in an object", "\"" + k + "\" twice (the last would silently win)");
        }
        l.keys.push_back(k);
        l.key = k;
        break;
      }
      case E::object_end:
      case E::array_end:
        stack.pop_back();
        element_done();
        break;
      case E::value: element_done(); break;
    }
    return true;
  });
}

}  // namespace

json read_json_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ConfigError("", "a scenario file", "the directory \"" + path + "\" (its scenarios are files in it, such as demo.json)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("", "a readable scenario file", "no file at \"" + path + "\"");
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  try {
    return parse_unique_keys(text);
  } catch (const ConfigError& e) {
    throw ConfigError(e.path(), e.expected(), e.found() + " in " + path);
  } catch (const json::parse_error& e) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') ++line, col = 1;
      else ++col;
    }
    // What the parser says ("unexpected '}'; expected string literal") and the text before it.
    std::string what = e.what(), why;
    auto at = what.find("syntax error while ");
    if (at != std::string::npos) {
      why = what.substr(at + 19);
      auto dash = why.find(" - ");
      if (dash != std::string::npos) why = why.substr(dash + 3);
    }
    std::size_t end = std::min<std::size_t>(e.byte, text.size()), start = end > 30 ? end - 30 : 0;
    std::size_t newline = text.rfind('\n', end ? end - 1 : 0);
    if (newline != std::string::npos && newline + 1 > start && newline < end) start = newline + 1;
    std::string near = text.substr(start, end - start);
    throw ConfigError("", "valid JSON", "a syntax error at line " + std::to_string(line) + ", column " +
                                            std::to_string(col) + " of " + path + (why.empty() ? "" : ": " + why) +
                                            (near.empty() ? "" : ", after \"" + near + "\""));
  } catch (const json::out_of_range& e) {  // a number beyond double range, such as 1e999
    std::string what = e.what();
    auto quote = what.find('\'');
    std::string number = quote == std::string::npos ? "a number" : what.substr(quote);
    throw ConfigError("", "valid JSON with finite numbers", "a number too large for a double (" + number + ") in " + path);
  }
}

void apply_override(json& doc, const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("", "an override of the form path=value", "\"" + assignment + "\"");
  std::string path = assignment.substr(0, eq), text = assignment.substr(eq + 1);
  json value;
  try {
    value = parse_unique_keys(text);
  } catch (const ConfigError& e) {
    throw ConfigError(path + (e.path().empty() ? "" : "." + e.path()), e.expected(), e.found() + ", in --set " + assignment);
  } catch (const json::out_of_range&) {  // a number beyond double range, such as 1e999
    throw ConfigError(path, "a finite number", "\"" + text + "\", too large for a double, in --set " + assignment);
  } catch (const json::parse_error& e) {
    // A bare word is a string; a value that opens an object, an array or a string must be JSON.
    std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos || (text[first] != '{' && text[first] != '[' && text[first] != '"')) {
      value = text;
    } else {
      std::string why = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 36: ..."
      if (auto at = why.find("parse error at "); at != std::string::npos) why = why.substr(at);
      throw ConfigError(path, "valid JSON after --set " + path + "= (it opens with " + std::string(1, text[first]) + ")",
                        "\"" + text + "\": " + why);
    }
  }
  try {
    set_path(doc, path, value);
  } catch (const ConfigError& e) {
    throw ConfigError(e.path(), e.expected(), e.found() + ", in --set " + assignment);
  }
}

const sim::Section& top_level_section() {
  static const sim::Section section = [] {
    using sim::custom;
    const Scenario d;
    const std::int64_t most = std::numeric_limits<std::int64_t>::max();
    return sim::Section{
        "",
        "One simulation experiment. docs/scenarios.md is the reference; `crowdsim validate FILE` checks everything "
        "below and more.",
        {sim::optional_text("$schema", "the schema's address, for editors; ignored"),
         sim::optional_text("name", "the run's name, written to the output (absent: the file's stem)"),
         sim::text("description", d.description, "what the scenario is about, written to the output"),
         sim::integer("seed", static_cast<std::int64_t>(d.model.seed), 0, most, "the experiment's seed: same seed, same output"),
         sim::integer("replications", d.replications, 1, 1'000'000, "independent runs of each point"),
         sim::choice("detail", "full", {"full", "assignments", "summary"},
                     "what the output file keeps: every table (full), all but the tasks (assignments), or neither tasks nor "
                     "assignments (summary); the workers, timeseries, alerts, strategies and summary tables always"),
         sim::optional_duration("horizon", Bounds::positive(), "stop the clock here (absent: when the work is done)"),
         sim::optional_integer("max_events", 1, most, "event budget of each run (absent: no limit)"),
         sim::optional_number("budget", Bounds::non_negative(),
                              "the platform's budget: tasks wait when it cannot pay them (absent: no limit)", "currency"),
         custom("tasks", "an object (tasks)", "what is published", true),
         custom("workers", "an object (workers)", "the worker population", true),
         custom("work", "an object (work)", "how long an assignment takes"),
         custom("review", "an object: a review model", "how submissions are assessed, and the reputation prior (default exact)"),
         custom("monitor", "an object (monitor)", "snapshots and alerts"),
         custom("aggregation", "an object (aggregation)",
                "how answers become labels: online as tasks close, adaptive redundancy, and batch methods over a run's answers"),
         custom("assignment", "an object: an assignment policy", "who gets which task (default fifo)"),
         custom("incentive", "an object: an incentive policy", "what an answer is paid (default fixed)"),
         custom("sweep", "an object",
                "run the scenario at several points: grid (every combination), list (as given) or random (uniform "
                "samples); see docs/scenarios.md"),
         custom("optimize", "an object",
                "crowdsim optimize: search these parameters for the best objective under the constraints (grid refinement)")}};
  }();
  return section;
}

namespace {

// One point: every field of `doc` (a sweep block, if any, is the caller's business; optimize is
// crowdsim optimize's).
Scenario parse_point(const json& doc, const std::string& base_dir) {
  Config c(doc, "");
  sim::Params p(c, top_level_section().params, base_dir);
  Scenario s;
  s.base_dir = base_dir;
  s.resolved = doc;
  s.name = p.has("name") ? p.string("name") : "scenario";
  s.description = p.string("description");
  models::ModelParams& m = s.model;
  m.seed = static_cast<std::uint64_t>(p.integer("seed"));
  s.replications = static_cast<std::uint32_t>(p.integer("replications"));
  s.detail = parse_detail(p.string("detail"));
  if (p.has("horizon")) m.horizon = p.duration("horizon");
  if (p.has("max_events")) m.max_events = static_cast<std::uint64_t>(p.integer("max_events"));
  if (p.has("budget")) m.budget = p.number("budget");
  m.tasks = models::read_task_params(c.object("tasks"), base_dir);
  m.workers = models::read_worker_params(c.object("workers"), m.tasks.types, base_dir);
  if (auto w = c.optional_object("work")) m.work = models::read_work_params(*w, base_dir);
  if (auto r = c.optional_object("review")) m.review = models::read_review_params(*r);
  if (auto mo = c.optional_object("monitor")) m.monitor = models::read_monitor_params(*mo);
  if (auto ag = c.optional_object("aggregation")) m.aggregation = models::read_aggregation_params(*ag, m.tasks.types);
  if (auto a = c.optional_object("assignment")) {
    m.assignment = models::read_policy_spec(*a, models::assignment_policies().names());
    models::assignment_policies().create(m.assignment.params, m.assignment.path);  // validates the policy's own keys now
  }
  if (auto i = c.optional_object("incentive")) {
    m.incentive = models::read_policy_spec(*i, models::incentive_policies().names());
    models::incentive_policies().create(m.incentive.params, m.incentive.path);
  }
  c.finish();

  // A worker never takes two slots of one task, so a task needs as many distinct workers as answers.
  const models::WorkerParams& wp = m.workers;
  std::int64_t most = wp.arrival_rate_per_hour > 0 ? wp.max_total : wp.count;
  for (std::size_t i = 0; i < m.tasks.types.size(); ++i) {
    const models::TaskType& t = m.tasks.types[i];
    if (t.decompose.into >= 0 || t.redundancy <= most) continue;
    std::string path = doc.at("tasks").contains("types") ? "tasks.types." + std::to_string(i) + ".redundancy"
                                                        : "tasks.redundancy";
    throw ConfigError(path,
                      "at most " + std::string(wp.arrival_rate_per_hour > 0 ? "workers.arrival.max_total" : "workers.count") +
                          " (" + std::to_string(most) + "), since a worker never takes two slots of one task",
                      std::to_string(t.redundancy));
  }
  // Every worker starts at the prior mean reputation and changes it only by working: a minimum
  // above it would ban everyone from the start (the run would close no task).
  const json& ap = m.assignment.params;
  if (m.assignment.name == "reputation" && ap.contains("min_reputation")) {
    double start = m.review.prior_alpha / (m.review.prior_alpha + m.review.prior_beta);
    double min = ap.at("min_reputation").get<double>();
    if (min > start)
      throw ConfigError("assignment.min_reputation",
                        "at most the reputation every worker starts with, the prior mean " + sim::format_number(start) +
                            " (review.prior), or no worker ever gets work",
                        sim::format_number(min));
  }
  return s;
}

}  // namespace

Scenario parse_scenario(const json& doc, const std::string& base_dir) {
  Scenario s = parse_point(doc, base_dir);
  s.resolved = doc;
  if (!doc.is_object() || !doc.contains("sweep")) {
    s.points.push_back(SweepPoint{json::object(), s.model, {}});
    return s;
  }
  std::vector<json> points = expand_sweep(doc.at("sweep"), s.model.seed);
  // Swept paths in order of first appearance; those whose values are all numbers become /summary
  // columns (NaN where a point of a list leaves them out).
  std::vector<std::string> numeric;
  for (const json& p : points)
    for (const auto& [path, v] : p.items())
      if (std::find(s.swept.begin(), s.swept.end(), path) == s.swept.end()) s.swept.push_back(path);
  for (const std::string& path : s.swept) {
    bool all_numbers = true;
    for (const json& p : points) all_numbers &= !p.contains(path) || p.at(path).is_number();
    if (all_numbers) numeric.push_back(path);
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    json d = doc;
    d.erase("sweep");
    SweepPoint p;
    p.overrides = points[i];
    try {
      for (const auto& [path, v] : points[i].items()) set_path(d, path, v);
      p.model = parse_point(d, base_dir).model;
    } catch (const ConfigError& e) {
      // The point's own error, and which point it is.
      throw ConfigError(e.path(), e.expected(), e.found() + " (in sweep point " + std::to_string(i) + ": " +
                                                  points[i].dump() + ")");
    }
    for (const std::string& path : numeric)
      p.numeric.emplace_back(path, points[i].contains(path) ? points[i].at(path).get<double>()
                                                            : std::numeric_limits<double>::quiet_NaN());
    // Each batch method is a KPI column (accuracy_<method>), and a file has one set of columns.
    if (!s.points.empty() && p.model.aggregation.batch != s.points.front().model.aggregation.batch) {
      std::string methods;
      for (const std::string& m : p.model.aggregation.batch) methods += (methods.empty() ? "" : ", ") + m;
      throw ConfigError("sweep", "the same aggregation.batch at every point (each method is a KPI column of the file: "
                        "list every method wanted in the scenario's aggregation.batch instead)",
                        "[" + methods + "] in sweep point " + std::to_string(i) + ": " + points[i].dump());
    }
    s.points.push_back(std::move(p));
  }
  s.model = s.points.front().model;
  return s;
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  json doc = read_json_file(path);
  for (const auto& o : overrides) apply_override(doc, o);
  std::filesystem::path p(path);
  Scenario s = parse_scenario(doc, p.parent_path().empty() ? "." : p.parent_path().string());
  if (!doc.contains("name")) s.name = p.stem().string();
  return s;
}

}  // namespace crowdsim::io
