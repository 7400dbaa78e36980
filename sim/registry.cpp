#include "sim/registry.hpp"

#include <algorithm>
#include <stdexcept>

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

EntryInfo RegistryBase::info(const std::string& name) const {
  for (EntryInfo& e : infos())
    if (e.name == name) return std::move(e);
  throw std::logic_error(kind_ + " \"" + name + "\" is not registered");
}

std::vector<std::vector<std::string>> RegistryBase::distinguishing_keys(const EntryInfo& e) {
  std::vector<std::vector<std::string>> out;
  for (std::size_t f = 0; f < e.forms.size(); ++f) {
    std::vector<std::string> keys;
    for (const Param& p : *e.forms[f]) {
      bool shared = false;
      for (std::size_t g = 0; g < e.forms.size(); ++g)
        if (g != f)
          for (const Param& q : *e.forms[g]) shared |= q.name == p.name;
      if (!shared) keys.push_back(p.name);
    }
    out.push_back(keys);
  }
  return out;
}

std::size_t RegistryBase::form_of(const Config& c, const std::string& name) const {
  EntryInfo e = info(name);
  if (e.forms.size() < 2) return 0;
  std::vector<std::vector<std::string>> forms = distinguishing_keys(e);
  auto plus = [](const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : " + ") + k;
    return out;
  };
  std::size_t found = forms.size();
  std::string found_key;
  for (std::size_t f = 0; f < forms.size(); ++f) {
    std::string present;
    for (const auto& k : forms[f])
      if (c.has(k) && present.empty()) present = k;
    if (present.empty()) continue;
    if (found < forms.size())
      throw ConfigError(c.path_of(present), "one parameterisation only (" + plus(forms[found]) + ", or " + plus(forms[f]) + ")",
                        "\"" + present + "\" with \"" + found_key + "\"");
    found = f;
    found_key = present;
  }
  return found < forms.size() ? found : 0;  // none given: report the first form's keys as missing
}

json RegistryBase::schema(const json& shared) const {
  json alternatives = json::array();
  for (const EntryInfo& e : infos()) {
    json props = shared;
    props[key_] = {{"const", e.name}, {"description", e.description}};
    bool required = fallback_.empty() || fallback_ != e.name;
    json forms = json::array();
    for (const ParamList* form : e.forms)
      forms.push_back(object_schema(*form, props, required ? std::vector<std::string>{key_} : std::vector<std::string>{}));
    alternatives.push_back(forms.size() == 1 ? forms[0] : json{{"oneOf", forms}});
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
    for (const ParamList* form : e.forms)
      for (const Param& p : *form) {
        if (!props.contains(p.name)) props[p.name] = schema_of(p);
        if (std::find(keys.begin(), keys.end(), p.name) == keys.end()) keys.push_back(p.name);
      }
    rules.push_back({{"if", {{"properties", {{key_, {{"const", e.name}}}}}, {"required", {key_}}}},
                     {"then", {{"propertyNames", {{"enum", keys}}}}}});
  }
  props[key_] = {{"enum", names}};
  return {{"description", about_}, {"type", "object"}, {"properties", props}, {"additionalProperties", false},
          {"allOf", rules}};
}

void RegistryBase::check_keys(const Config& c, const std::string& name) const {
  std::vector<std::string> valid;
  if (!key_.empty()) valid.push_back(key_);
  valid.insert(valid.end(), shared_.begin(), shared_.end());
  for (const ParamList* form : info(name).forms)
    for (const Param& p : *form)
      if (std::find(valid.begin(), valid.end(), p.name) == valid.end()) valid.push_back(p.name);
  for (const auto& item : c.value().items()) {
    const std::string& k = item.key();
    if (std::find(valid.begin(), valid.end(), k) != valid.end()) continue;
    std::string list = join(valid);
    std::string takers;
    for (const EntryInfo& e : infos()) {
      bool takes = false;
      for (const ParamList* form : e.forms)
        for (const Param& p : *form) takes |= p.name == k;
      if (takes) takers += (takers.empty() ? "" : ", ") + e.name;
    }
    std::string hint = closest(k, valid);
    std::string found = "an unknown key \"" + k + "\"";
    if (!hint.empty()) found += " (did you mean \"" + hint + "\"?)";
    else if (!takers.empty()) found += " (a key of " + takers + ")";
    throw ConfigError(c.path_of(k), "one of the keys of " + kind_ + " \"" + name + "\": " + list, found);
  }
}

}  // namespace crowdsim::sim
