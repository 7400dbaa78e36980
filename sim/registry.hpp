#pragma once
/// \file One registry mechanism for every pluggable kind. A kind (say "assignment") is a table
/// of entries {name, one-line description, declared parameters, factory}; a JSON object picks
/// its entry with a discriminator key (say "policy") and the factory reads the declared
/// parameters. Every registry made is listed in `registries()`, which `crowdsim list`, the
/// schema and the parameter docs walk, so a new entry appears in all of them by itself.

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/config.hpp"
#include "sim/params.hpp"

namespace crowdsim::sim {

/// What every registry shows of its entries, whatever they build.
struct EntryInfo {
  std::string name;
  std::string description;
  const ParamList* params;  ///< the first (most often the only) parameterisation
  /// Every parameterisation: `params`, then the alternatives. An object gives the keys of
  /// exactly one (a lognormal by mean + sd, by mu + sigma or by median + sigma).
  std::vector<const ParamList*> forms;
};

/// The part of a registry that does not depend on what it builds.
class RegistryBase {
 public:
  /// `kind`: "assignment"; `key`: the discriminator ("policy"), "" when entries are picked by
  /// name alone (a JSON string); `about`: one line on the kind; `fallback`: the entry used when
  /// the discriminator is absent ("" when it is required).
  RegistryBase(std::string kind, std::string key, std::string about, std::string fallback, void (*load)());
  virtual ~RegistryBase();
  RegistryBase(const RegistryBase&) = delete;
  RegistryBase& operator=(const RegistryBase&) = delete;

  const std::string& kind() const { return kind_; }
  const std::string& key() const { return key_; }
  const std::string& about() const { return about_; }
  const std::string& fallback() const { return fallback_; }
  /// Every entry, sorted by name.
  virtual std::vector<EntryInfo> infos() const = 0;
  /// Every name, sorted.
  std::vector<std::string> names() const;
  /// The entry called `name`'s (first) parameters, or nullptr.
  const ParamList* params_of(const std::string& name) const;
  /// Which parameterisation of `name` the object `c` gives (0 when the entry has one): the one
  /// whose distinguishing keys are present; ConfigError when keys of two forms are mixed.
  std::size_t form_of(const Config& c, const std::string& name) const;
  /// The keys that tell the forms of `e` apart: those of each form that no other form has.
  static std::vector<std::vector<std::string>> distinguishing_keys(const EntryInfo& e);
  /// The entry called `name`; std::logic_error when there is none.
  EntryInfo info(const std::string& name) const;
  /// The JSON Schema of an object picking an entry: one alternative per entry. `shared`: the
  /// schemas of keys every entry's object may also hold (read by the caller, see share_keys).
  nlohmann::json schema(const nlohmann::json& shared = nlohmann::json::object()) const;
  /// The schema when the discriminator may be absent and inherited from elsewhere (behaviour
  /// models): every entry's keys, each entry's own set enforced when the discriminator is given.
  nlohmann::json union_schema(const nlohmann::json& shared = nlohmann::json::object()) const;
  /// Keys outside the entries' declarations that the caller reads itself (review's `prior`).
  void share_keys(std::vector<std::string> keys) { shared_ = std::move(keys); }
  const std::vector<std::string>& shared_keys() const { return shared_; }
  /// Checks the keys of `c` other than the discriminator against `name`'s declarations; an
  /// unknown key is an error listing the valid keys and the entries that do take it.
  void check_keys(const Config& c, const std::string& name) const;

 protected:
  void load() const { if (load_) load_(); }

 private:
  std::string kind_, key_, about_, fallback_;
  std::vector<std::string> shared_;
  void (*load_)();
};

/// Every registry made so far, in order of creation.
std::vector<const RegistryBase*>& registries();
/// The registry of `kind`, or nullptr.
const RegistryBase* find_registry(const std::string& kind);

/// Name → factory of one kind. `load` (may be null) registers the built-ins before first use.
template <class T>
class Registry final : public RegistryBase {
 public:
  using Factory = std::function<std::unique_ptr<T>(const Params&)>;
  struct Entry {
    std::string name;
    std::string description;
    ParamList params;
    Factory make;
    /// Further parameterisations (see EntryInfo::forms); the factory asks Params::form().
    std::vector<ParamList> alternatives = {};
  };

  using RegistryBase::RegistryBase;

  /// Registers an entry; a second registration under the same name replaces the first.
  void add(Entry e) {
    for (auto& old : entries_)
      if (old->name == e.name) {
        *old = std::move(e);
        return;
      }
    entries_.push_back(std::make_unique<Entry>(std::move(e)));
  }
  /// Shorthand for an entry without parameters.
  void add(std::string name, std::string description, std::function<std::unique_ptr<T>()> make) {
    add(Entry{std::move(name), std::move(description), {}, [make](const Params&) { return make(); }});
  }

  std::vector<EntryInfo> infos() const override {
    load();
    std::vector<EntryInfo> out;
    for (const auto& e : entries_) {
      EntryInfo info{e->name, e->description, &e->params, {&e->params}};
      for (const ParamList& form : e->alternatives) info.forms.push_back(&form);
      out.push_back(std::move(info));
    }
    std::sort(out.begin(), out.end(), [](const EntryInfo& a, const EntryInfo& b) { return a.name < b.name; });
    return out;
  }

  /// Builds what the object `c` asks for: the entry its discriminator names (or the fallback),
  /// with its parameters; unknown names, keys and bad values are ConfigError. `base_dir`
  /// resolves the data files the parameters name (an empirical distribution's CSV).
  std::unique_ptr<T> create(const Config& c, const std::string& base_dir = ".") const {
    std::string name = key().empty() ? std::string()
                       : fallback().empty() ? c.string(key(), names())
                                            : c.string_or(key(), fallback(), names());
    return create(name, c, base_dir);
  }
  /// Builds the entry `name` from `c`'s parameters.
  std::unique_ptr<T> create(const std::string& name, const Config& c, const std::string& base_dir = ".") const {
    const Entry& e = entry(name);
    check_keys(c, name);
    std::size_t form = form_of(c, name);
    Params p(c, form == 0 ? e.params : e.alternatives[form - 1], base_dir, form);
    std::unique_ptr<T> made = e.make(p);
    for (const std::string& k : shared_keys()) c.has(k);  // the caller reads them
    c.finish();
    return made;
  }
  /// Builds what the JSON object `value` at `path` asks for.
  std::unique_ptr<T> create(const nlohmann::json& value, const std::string& path) const {
    return create(Config(value, path));
  }
  /// Builds the entry `name` with every parameter at its default; ConfigError at `path` when
  /// there is no such entry.
  std::unique_ptr<T> create_default(const std::string& name, const std::string& path) const {
    load();
    if (!has(name)) throw ConfigError(path, "one of " + join(names()), quoted_with_hint(name, names()));
    static const nlohmann::json empty = nlohmann::json::object();
    return create(name, Config(empty, path));
  }
  bool has(const std::string& name) const {
    load();
    for (const auto& e : entries_)
      if (e->name == name) return true;
    return false;
  }

 private:
  const Entry& entry(const std::string& name) const {
    load();
    for (const auto& e : entries_)
      if (e->name == name) return *e;
    throw std::logic_error(kind() + " \"" + name + "\" is not registered");
  }
  std::vector<std::unique_ptr<Entry>> entries_;  // stable addresses for EntryInfo::params
};

}  // namespace crowdsim::sim
