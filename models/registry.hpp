#pragma once
/// \file Registries of pluggable policies: each kind has one, policies are added by name with a
/// one-line description, and an unknown name is an error that lists the valid ones.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/params.hpp"
#include "sim/config.hpp"

namespace crowdsim::models {

class AssignmentPolicy;
class IncentivePolicy;

/// Name → factory for one kind of policy.
template <class Policy>
class Registry {
 public:
  /// Builds a policy from its JSON object; reads (and so validates) its own keys.
  using Factory = std::function<std::unique_ptr<Policy>(const sim::Config& params)>;
  /// One registered policy.
  struct Entry {
    std::string name;
    std::string description;
    Factory make;
  };

  /// Registers a policy; a second registration under the same name replaces the first.
  void add(std::string name, std::string description, Factory make) {
    for (auto& e : entries_)
      if (e.name == name) {
        e = Entry{std::move(name), std::move(description), std::move(make)};
        return;
      }
    entries_.push_back(Entry{std::move(name), std::move(description), std::move(make)});
  }
  /// Every registered name, in registration order.
  std::vector<std::string> names() const {
    std::vector<std::string> n;
    for (const auto& e : entries_) n.push_back(e.name);
    return n;
  }
  /// Every entry, for `crowdsim list`.
  const std::vector<Entry>& entries() const { return entries_; }
  /// Builds the policy `spec` names; unknown names and unknown keys are sim::ConfigError.
  std::unique_ptr<Policy> create(const PolicySpec& spec) const {
    sim::Config c(spec.params, spec.path);
    std::string name = c.string("policy", names());
    for (const auto& e : entries_)
      if (e.name == name) {
        std::unique_ptr<Policy> p = e.make(c);
        c.finish();
        return p;
      }
    return nullptr;  // unreachable: string() checked the name
  }

 private:
  std::vector<Entry> entries_;
};

using AssignmentRegistry = Registry<AssignmentPolicy>;
using IncentiveRegistry = Registry<IncentivePolicy>;

/// The assignment policies, built-ins first; users may add their own.
AssignmentRegistry& assignment_policies();
/// The incentive policies, built-ins first; users may add their own.
IncentiveRegistry& incentive_policies();

}  // namespace crowdsim::models
