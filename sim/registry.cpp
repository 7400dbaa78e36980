#include "sim/registry.hpp"

#include <algorithm>

namespace crowdsim::sim {

using nlohmann::json;

RegistryBase::RegistryBase(std::string kind, std::string key, std::string about, std::string fallback, void (*load)())
    : kind_(std::move(kind)), key_(std::move(key)), about_(std::move(about)), fallback_(std::move(fallback)), load_(load) {
  registries().push_back(this);
}

RegistryBase::~RegistryBase() {
  auto& all = registries();
  all.erase(std::remove(all.begin(), all.end(), this), all.end());
}

std::vector<const RegistryBase*>& registries() {
  static std::vector<const RegistryBase*> all;
  return all;
}

const RegistryBase* find_registry(const std::string& kind) {
  for (const RegistryBase* r : registries())
    if (r->kind() == kind) return r;
  return nullptr;
}

std::vector<std::string> RegistryBase::names() const {
  std::vector<std::string> out;
  for (const EntryInfo& e : infos()) out.push_back(e.name);
  return out;
}

const ParamList* RegistryBase::params_of(const std::string& name) const {
  for (const EntryInfo& e : infos())
    if (e.name == name) return e.params;
  return nullptr;
}

json RegistryBase::schema(const json& shared) const {
  json alternatives = json::array();
  for (const EntryInfo& e : infos()) {
    json props = shared;
    props[key_] = {{"const", e.name}, {"description", e.description}};
    bool required = fallback_.empty() || fallback_ != e.name;
    alternatives.push_back(object_schema(*e.params, props, required ? std::vector<std::string>{key_} : std::vector<std::string>{}));
  }
  return {{"description", about_}, {"oneOf", alternatives}};
}

json RegistryBase::union_schema(const json& shared) const {
  json props = shared;
  std::vector<std::string> names;
  json rules = json::array();
  for (const EntryInfo& e : infos()) {
    names.push_back(e.name);
    std::vector<std::string> keys{key_};
    for (const auto& [k, v] : shared.items()) keys.push_back(k);
    for (const Param& p : *e.params) {
      if (!props.contains(p.name)) props[p.name] = schema_of(p);
      keys.push_back(p.name);
    }
    rules.push_back({{"if", {{"properties", {{key_, {{"const", e.name}}}}}, {"required", {key_}}}},
                     {"then", {{"propertyNames", {{"enum", keys}}}}}});
  }
  props[key_] = {{"enum", names}};
  return {{"description", about_}, {"type", "object"}, {"properties", props}, {"additionalProperties", false},
          {"allOf", rules}};
}

void RegistryBase::check_keys(const Config& c, const std::string& name) const {
  const ParamList* mine = params_of(name);
  std::vector<std::string> valid;
  if (!key_.empty()) valid.push_back(key_);
  valid.insert(valid.end(), shared_.begin(), shared_.end());
  if (mine)
    for (const Param& p : *mine) valid.push_back(p.name);
  for (const auto& item : c.value().items()) {
    const std::string& k = item.key();
    if (std::find(valid.begin(), valid.end(), k) != valid.end()) continue;
    std::string list = join(valid);
    std::string takers;
    for (const EntryInfo& e : infos())
      for (const Param& p : *e.params)
        if (p.name == k) takers += (takers.empty() ? "" : ", ") + e.name;
    std::string hint = closest(k, valid);
    std::string found = "an unknown key \"" + k + "\"";
    if (!hint.empty()) found += " (did you mean \"" + hint + "\"?)";
    else if (!takers.empty()) found += " (a key of " + takers + ")";
    throw ConfigError(c.path_of(k), "one of the keys of " + kind_ + " \"" + name + "\": " + list, found);
  }
}

}  // namespace crowdsim::sim
