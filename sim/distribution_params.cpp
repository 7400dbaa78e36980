#include "sim/distribution_params.hpp"

#include <algorithm>
#include <stdexcept>

namespace crowdsim::sim {

using nlohmann::json;

const std::vector<DistributionKind>& distribution_kinds() {
  static const std::vector<DistributionKind> kinds = [] {
    const Bounds any = Bounds::any(), pos = Bounds::positive();
    const Param sd = required_number("sd", pos, "standard deviation");
    const Param shape = required_number("shape", pos, "shape"), scale = required_number("scale", pos, "scale");
    const Param sigma = required_number("sigma", pos, "sigma: standard deviation of the logarithm");
    std::vector<DistributionKind> k;
    for (const auto& [name, description] : Distribution::kinds()) k.push_back({name, description, {}});
    auto forms = [&](const char* name, std::vector<ParamList> f) {
      for (auto& kind : k)
        if (kind.name == name) kind.forms = std::move(f);
    };
    forms("constant", {{required_number("value", any, "the value")}});
    forms("uniform", {{required_number("min", any, "the lower end"), required_number("max", any, "the upper end (> min)")}});
    forms("exponential", {{required_number("mean", pos, "the mean")}, {required_number("rate", pos, "the rate, 1 / mean")}});
    forms("normal", {{required_number("mean", any, "the mean"), sd}});
    forms("lognormal", {{required_number("mean", pos, "the mean"), sd},
                        {required_number("mu", any, "mu: mean of the logarithm"), sigma},
                        {required_number("median", pos, "the median"), sigma}});
    forms("gamma", {{shape, scale}, {required_number("mean", pos, "the mean"), sd}});
    forms("weibull", {{shape, scale}});
    forms("beta", {{required_number("alpha", pos, "alpha"), required_number("beta", pos, "beta")}});
    forms("empirical", {{required_numbers("values", any, 0, "the values resampled uniformly")},
                        {required_text("file", "a CSV file, relative to the scenario's folder"),
                         required_text("column", "the column of the file holding the values")}});
    for (const auto& kind : k)
      if (kind.forms.empty()) throw std::logic_error("distribution kind " + kind.name + " declares no parameters");
    return k;
  }();
  return kinds;
}

const DistributionKind& distribution_kind(const std::string& name) {
  for (const auto& k : distribution_kinds())
    if (k.name == name) return k;
  throw std::logic_error("no distribution kind \"" + name + "\"");
}

std::vector<std::vector<std::string>> distinguishing_keys(const DistributionKind& kind) {
  std::vector<std::vector<std::string>> out;
  for (std::size_t f = 0; f < kind.forms.size(); ++f) {
    std::vector<std::string> keys;
    for (const Param& p : kind.forms[f]) {
      bool shared = false;
      for (std::size_t g = 0; g < kind.forms.size(); ++g)
        if (g != f)
          for (const Param& q : kind.forms[g]) shared |= q.name == p.name;
      if (!shared) keys.push_back(p.name);
    }
    out.push_back(keys);
  }
  return out;
}

json distribution_object_schema() {
  json names = json::array(), rules = json::array();
  for (const auto& k : distribution_kinds()) {
    names.push_back(k.name);
    json alternatives = json::array();
    for (const ParamList& form : k.forms)
      alternatives.push_back(object_schema(form, {{"dist", {{"const", k.name}}}}, {"dist"}));
    json then = alternatives.size() == 1 ? alternatives[0] : json{{"oneOf", alternatives}};
    rules.push_back({{"if", {{"properties", {{"dist", {{"const", k.name}}}}}}}, {"then", then}});
  }
  return {{"type", "object"},
          {"required", {"dist"}},
          {"properties", {{"dist", {{"enum", names}}}}},
          {"allOf", rules}};
}

}  // namespace crowdsim::sim
