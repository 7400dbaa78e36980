#include "io/schema.hpp"

#include <sstream>

#include "io/optimize_block.hpp"
#include "io/scenario.hpp"
#include "io/sweep.hpp"
#include "models/params.hpp"
#include "models/registry.hpp"
#include "sim/distribution_params.hpp"
#include "sim/params.hpp"

namespace crowdsim::io {

extern const char* const kSchemaSkeleton;  // generated/schema_skeleton.cpp

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

const sim::RegistryBase& registry(const std::string& kind) {
  models::all_registries();
  const sim::RegistryBase* r = sim::find_registry(kind);
  if (!r) throw std::logic_error("io/schema_skeleton.json names an unknown registry \"" + kind + "\"");
  return *r;
}

const sim::Section& section(const std::string& path) {
  for (const sim::Section* s : scenario_sections())
    if (s->path == path) return *s;
  throw std::logic_error("io/schema_skeleton.json names an undeclared section \"" + path + "\"");
}

ordered_json fill(const ordered_json& node);

// {"$section": PATH, "properties": {...}, ...}: the object the section declares. Its declared
// parameters give their schemas; a custom one (read by the section's own code) takes the
// hand-written schema of the same name under "properties", which may hold nothing else; the
// placeholder's other keywords ("if", "allOf", "$comment", ...) are kept.
ordered_json section_schema(const ordered_json& node) {
  const sim::Section& s = section(node["$section"]);
  const ordered_json hand = node.value("properties", ordered_json::object());
  ordered_json props = ordered_json::object(), required = ordered_json::array();
  for (const sim::Param& p : s.params) {
    if (p.type == sim::ParamType::kCustom) {
      if (!hand.contains(p.name))
        throw std::logic_error("io/schema_skeleton.json: section \"" + s.path + "\" has no schema for \"" + p.name + "\"");
      ordered_json c = fill(hand[p.name]);
      c.erase("description");  // the declaration's help describes it
      ordered_json d = {{"description", p.help + (p.inherits.empty() ? "" : " (absent: as in " + p.inherits + ")")}};
      d.update(c);
      props[p.name] = d;
    } else {
      props[p.name] = ordered_json::parse(sim::schema_of(p).dump());
    }
    if (p.required) required.push_back(p.name);
  }
  for (const auto& [k, v] : hand.items())
    if (!props.contains(k))
      throw std::logic_error("io/schema_skeleton.json: section \"" + s.path + "\" does not declare \"" + k + "\"");
  ordered_json out = ordered_json::object();
  for (const auto& [k, v] : node.items()) {
    if (k == "properties") continue;
    if (k != "$section") {
      out[k] = fill(v);
      continue;
    }
    if (!s.help.empty()) out["description"] = s.help;
    out["type"] = "object";
    out["properties"] = props;
    out["additionalProperties"] = false;
    if (!required.empty()) out["required"] = required;
  }
  return out;
}

// Replaces the skeleton's placeholders:
//  {"$section": PATH} by the schema of a declared platform section (section_schema);
//  {"$registry": KIND} by the kind's schema, one alternative per entry; with "shared": {...}
//    the properties every alternative also takes, "union": true for a discriminator that may be
//    inherited (registry's union_schema), "also": {...} keywords merged in (allOf appended);
//  {"$registry_names": KIND} by an enum of its names;
//  {"$param": "KIND/ENTRY/NAME"} by the schema of that one declared parameter;
//  {"$generated": "duration_string"} by the duration grammar, {"$generated": "distribution_object"}
//    by the distribution registry's entries (sim/distribution_params.cpp).
ordered_json fill(const ordered_json& node) {
  if (node.is_array()) {
    ordered_json out = ordered_json::array();
    for (const auto& x : node) out.push_back(fill(x));
    return out;
  }
  if (!node.is_object()) return node;
  if (node.contains("$registry")) {
    const sim::RegistryBase& r = registry(node["$registry"]);
    json shared = node.contains("shared") ? json::parse(fill(node["shared"]).dump()) : json::object();
    json s = node.value("union", false) ? r.union_schema(shared) : r.schema(shared);
    const json also = node.contains("also") ? json::parse(node["also"].dump()) : json::object();
    for (const auto& [k, v] : also.items()) {
      if (k == "allOf" && s.contains("allOf"))
        for (const auto& rule : v) s["allOf"].push_back(rule);
      else
        s[k] = v;
    }
    return ordered_json::parse(s.dump());
  }
  if (node.contains("$section")) return section_schema(node);
  if (node.contains("$registry_names")) return ordered_json{{"enum", registry(node["$registry_names"]).names()}};
  if (node.contains("$param")) {
    std::string ref = node["$param"];
    auto a = ref.find('/'), b = ref.rfind('/');
    const sim::ParamList* list = registry(ref.substr(0, a)).params_of(ref.substr(a + 1, b - a - 1));
    if (list)
      for (const sim::Param& p : *list)
        if (p.name == ref.substr(b + 1)) return ordered_json::parse(sim::schema_of(p).dump());
    throw std::logic_error("io/schema_skeleton.json names an undeclared parameter " + ref);
  }
  if (node.contains("$generated")) {
    if (node["$generated"] == "duration_string") return ordered_json::parse(sim::duration_string_schema().dump());
    if (node["$generated"] == "distribution_object") return ordered_json::parse(sim::distribution_object_schema().dump());
    throw std::logic_error("io/schema_skeleton.json asks for an unknown generated schema " + node["$generated"].dump());
  }
  ordered_json out = ordered_json::object();
  for (const auto& [key, value] : node.items()) out[key] = fill(value);
  return out;
}

std::string where(const sim::RegistryBase& r) {
  return r.key().empty() ? "by name" : "by its \"" + r.key() + "\" key";
}

std::string unit_of(const sim::Param& p) { return p.unit.empty() ? "" : p.unit; }

std::string section_name(const sim::Section& s) { return s.path.empty() ? "(top level)" : s.path; }

void param_lines(std::ostream& os, const sim::ParamList& list) {
  char line[64];
  for (const sim::Param& p : list) {
    std::snprintf(line, sizeof line, "      %-18s ", p.name.c_str());
    os << line << p.expected() << (p.required ? "; required" : "; default " + p.default_text())
       << (p.unit.empty() || p.type == sim::ParamType::kDuration ? "" : " [" + p.unit + "]") << ": " << p.help << "\n";
  }
}

void param_table(std::ostream& os, const sim::ParamList& list) {
  os << "\n| parameter | value | default | unit | meaning |\n|---|---|---|---|---|\n";
  for (const sim::Param& p : list)
    os << "| `" << p.name << "` | " << p.expected() << " | " << p.default_text() << " | " << unit_of(p) << " | "
       << p.help << " |\n";
}

// One entry of a registry, with its table (one per form): under a
// heading of its own in docs/parameters.md, after a bold name inside another document.
void entry_markdown(std::ostream& os, bool heading, const std::string& name, const std::string& description,
                    const std::vector<const sim::ParamList*>& forms) {
  bool none = forms.empty() || (forms.size() == 1 && forms[0]->empty());
  if (heading)
    os << "\n### `" << name << "`\n\n" << description << "\n" << (none ? "\nNo parameters.\n" : "");
  else
    os << "\n**`" << name << "`**" << (none ? " (no parameters)" : "") << ": " << description << "\n";
  if (none) return;
  for (std::size_t f = 0; f < forms.size(); ++f) {
    if (forms.size() > 1) os << "\nForm " << f + 1 << ":\n";
    param_table(os, *forms[f]);
  }
}

// The kinds parameters_markdown(kind, name) knows, in the order of docs/parameters.md.
std::vector<std::string> markdown_kinds() {
  std::vector<std::string> kinds{"scenario"};
  for (const sim::RegistryBase* r : models::all_registries()) kinds.push_back(r->kind());
  return kinds;
}

}  // namespace

std::vector<const sim::Section*> scenario_sections() {
  std::vector<const sim::Section*> all{&top_level_section()};
  for (const sim::Section* s : models::platform_sections()) all.push_back(s);
  for (const sim::Section* s : sweep_sections()) all.push_back(s);
  for (const sim::Section* s : optimize_sections()) all.push_back(s);
  return all;
}

ordered_json scenario_schema() { return fill(ordered_json::parse(kSchemaSkeleton)); }

std::string parameters_markdown() {
  std::ostringstream os;
  os << "# Parameters of the scenario and of the pluggable models\n\n"
     << "Generated by `crowdsim list --params --markdown` (`make schema`) from the declarations in the\n"
     << "code; a test fails when this file differs from them. `crowdsim list --params KIND NAME` prints\n"
     << "the same on a terminal (`crowdsim list --params scenario SECTION` for one section of the\n"
     << "scenario). [scenarios.md](scenarios.md) explains how the pieces fit together.\n"
     << "\n## scenario\n\nThe platform's own sections: the keys of the top level (`budget`, `horizon`, ...), of\n"
     << "`tasks`, `workers`, `work`, `review` (its prior), `monitor`, `aggregation`, `sweep`, `optimize`\n"
     << "and of the objects inside them. \"as in tasks\": a key that, absent, keeps the value given in the enclosing\n"
     << "section; \"-\": a key whose meaning says what its absence means.\n";
  for (const sim::Section* s : scenario_sections()) {
    os << "\n### `" << section_name(*s) << "`\n\n" << s->help << "\n";
    param_table(os, s->params);
  }
  for (const sim::RegistryBase* r : models::all_registries()) {
    os << "\n## " << r->kind() << "\n\n" << r->about() << "; an entry is picked " << where(*r) << ".\n";
    for (const sim::EntryInfo& e : r->infos()) entry_markdown(os, true, e.name, e.description, e.forms);
  }
  return os.str();
}

std::string parameters_markdown(const std::string& kind, const std::string& name) {
  models::all_registries();
  std::ostringstream os;
  std::vector<std::string> names;
  if (kind == "scenario") {
    for (const sim::Section* s : scenario_sections()) {
      if (section_name(*s) == name) {
        param_table(os, s->params);
        return os.str();
      }
      names.push_back(section_name(*s));
    }
  } else if (const sim::RegistryBase* r = sim::find_registry(kind)) {
    if (name.empty())
      os << "\nPicked " << where(*r) << (r->fallback().empty() ? "" : ", `" + r->fallback() + "` by default") << ".\n";
    for (const sim::EntryInfo& e : r->infos())
      if (name.empty() || e.name == name) entry_markdown(os, false, e.name, e.description, e.forms);
    names = r->names();
  } else {
    const std::vector<std::string> kinds = markdown_kinds();
    throw sim::ConfigError("KIND", "one of " + sim::join(kinds), sim::quoted_with_hint(kind, kinds));
  }
  if (os.tellp() == 0)
    throw sim::ConfigError(kind + " NAME", "one of " + sim::join(names), sim::quoted_with_hint(name, names));
  return os.str();
}

std::string fill_generated_regions(const std::string& document) {
  static const std::string begin = "<!-- generated by make schema: crowdsim list --params --markdown ";
  static const std::string end = "<!-- end generated -->";
  std::istringstream in(document);
  std::ostringstream out;
  std::string line;
  std::size_t number = 0, opened = 0;  // the line of the marker of the region being read (0: none)
  auto at = [](std::size_t n) { return "line " + std::to_string(n); };
  auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
  while (std::getline(in, line)) {
    ++number;
    bool is_begin = line.rfind("<!-- generated", 0) == 0, is_end = line.rfind("<!-- end generated", 0) == 0;
    if (is_end) {
      if (!opened || line != end) throw sim::ConfigError(at(number), quoted(end) + " closing a region", quoted(line));
      opened = 0;
    } else if (is_begin) {
      if (opened) throw sim::ConfigError(at(number), quoted(end) + " closing the region of " + at(opened), "a marker");
      // The marker is the command that prints the region: KIND, then NAME (quoted when it holds a blank).
      bool closed = line.size() > begin.size() + 4 && line.compare(line.size() - 4, 4, " -->") == 0;
      if (!closed || line.rfind(begin, 0) != 0)
        throw sim::ConfigError(at(number), quoted(begin + "KIND [NAME] -->"), quoted(line));
      std::string args = line.substr(begin.size(), line.size() - 4 - begin.size());
      std::string kind = args.substr(0, args.find(' ')), name;
      if (kind.size() < args.size()) name = args.substr(kind.size() + 1);
      if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
      try {
        out << line << "\n" << parameters_markdown(kind, name) << "\n";
      } catch (const sim::ConfigError& e) {
        throw sim::ConfigError(at(number) + " (" + e.path() + ")", e.expected(), e.found());
      }
      opened = number;
      continue;
    } else if (opened) {
      continue;  // the region's old text
    }
    out << line << "\n";
  }
  if (opened) throw sim::ConfigError(at(opened), quoted(end) + " closing the region", "the end of the document");
  return out.str();
}

std::string parameters_text(const std::string& kind, const std::string& name, bool with_params) {
  std::ostringstream os;
  bool any = false;
  for (const sim::RegistryBase* r : models::all_registries()) {
    if (!kind.empty() && r->kind() != kind) continue;
    os << r->kind() << ": " << r->about() << " (picked " << where(*r) << ")\n";
    for (const sim::EntryInfo& e : r->infos()) {
      if (!name.empty() && e.name != name) continue;
      any = true;
      char line[64];
      std::snprintf(line, sizeof line, "  %-22s ", e.name.c_str());
      os << line << e.description << "\n";
      for (std::size_t f = 0; with_params && f < e.forms.size(); ++f) {
        if (e.forms.size() > 1) os << "    form " << f + 1 << ":\n";
        param_lines(os, *e.forms[f]);
      }
    }
    os << "\n";
  }
  if (kind.empty() || kind == "scenario") {
    os << "scenario: the platform's own sections (picked by their place in the scenario)\n";
    for (const sim::Section* s : scenario_sections()) {
      if (!name.empty() && section_name(*s) != name) continue;
      any = true;
      char line[64];
      std::snprintf(line, sizeof line, "  %-22s ", section_name(*s).c_str());
      os << line << s->help << "\n";
      if (with_params) param_lines(os, s->params);
    }
    os << "\n";
  }
  if (!any) return "";
  return os.str();
}

}  // namespace crowdsim::io
