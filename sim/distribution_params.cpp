#include "sim/distribution_params.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "sim/csv.hpp"

namespace crowdsim::sim {

using nlohmann::json;

namespace {

std::string fmt(double v) {
  std::ostringstream os;
  os.precision(6);
  os << v;
  return os.str();
}

std::vector<double> read_csv_column(const Params& p, const std::string& base_dir) {
  const Config& c = p.config();
  std::string column = p.string("column");
  std::filesystem::path path(p.string("file"));
  if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
  std::optional<CsvTable> table = read_csv(path.string());
  if (!table) throw ConfigError(c.path_of("file"), "a readable CSV file", "no file at \"" + path.string() + "\"");
  std::optional<std::size_t> col = table->column(column);
  if (!col) throw ConfigError(c.path_of("column"), "a column of " + path.string(), quoted_with_hint(column, table->header));
  std::vector<double> values;
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    const auto& row = table->rows[r];
    if (*col >= row.size() || row[*col].empty()) continue;  // a missing value is skipped, not an error
    std::optional<double> v = parse_number(row[*col]);
    if (!v)
      throw ConfigError(c.path_of("column"), "numbers in column \"" + column + "\"",
                        "\"" + row[*col] + "\" at line " + std::to_string(table->lines[r]) + " of " + path.string());
    values.push_back(*v);
  }
  if (values.empty()) throw ConfigError(c.path_of("column"), "a column with at least one number", "an empty column");
  return values;
}

using Make = std::function<Distribution(const Params&)>;

void add(Registry<Distribution>& r, std::string name, std::string description, std::vector<ParamList> forms, Make make) {
  ParamList first = std::move(forms.front());
  forms.erase(forms.begin());
  r.add({std::move(name), std::move(description), std::move(first),
         [make](const Params& p) {
           // Each parameter may be in range while their arithmetic is not: gamma's mean 1 and sd
           // 1e-200 make a shape of 1e400. A law whose mean or variance is not finite would
           // schedule events at NaN times mid-run: refused here, at its path.
           auto d = std::make_unique<Distribution>(make(p));
           const double m = d->mean(), v = d->variance();
           if (!std::isfinite(m) || !std::isfinite(v)) {
             throw ConfigError(p.config().path(), "parameters whose law has a finite mean and variance",
                               "mean " + (std::isnan(m) ? std::string("NaN") : fmt(m)) + ", variance " +
                                   (std::isnan(v) ? std::string("NaN") : fmt(v)));
           }
           return d;
         },
         std::move(forms)});
}

// Each kind's parameterisations, read through their declarations; the arithmetic turns the form
// given into the family's canonical parameters.
void add_builtins(Registry<Distribution>& r) {
  const Bounds any = Bounds::any(), pos = Bounds::positive();
  const Param sd = required_number("sd", pos, "standard deviation");
  const Param shape = required_number("shape", pos, "shape"), scale = required_number("scale", pos, "scale");
  const Param sigma = required_number("sigma", pos, "sigma: standard deviation of the logarithm");
  const Param mean_pos = required_number("mean", pos, "the mean");
  add(r, "constant", "always `value` (a bare number means this)", {{required_number("value", any, "the value")}},
      [](const Params& p) { return Distribution::constant(p.number("value")); });
  add(r, "uniform", "uniform on [min, max)",
      {{required_number("min", any, "the lower end"), required_number("max", any, "the upper end (> min)")}},
      [](const Params& p) {
        double lo = p.number("min"), hi = p.number("max");
        if (!(hi > lo)) throw ConfigError(p.config().path_of("max"), "a number > min (" + fmt(lo) + ")", fmt(hi));
        return Distribution::uniform(lo, hi);
      });
  add(r, "exponential", "exponential with `mean` or `rate`",
      {{mean_pos}, {required_number("rate", pos, "the rate, 1 / mean")}}, [](const Params& p) {
        return Distribution::exponential(p.form() == 0 ? p.number("mean") : 1.0 / p.number("rate"));
      });
  add(r, "normal", "normal with `mean` and `sd`", {{required_number("mean", any, "the mean"), sd}},
      [](const Params& p) { return Distribution::normal(p.number("mean"), p.number("sd")); });
  add(r, "lognormal", "log-normal by `mean` and `sd`, `mu` and `sigma`, or `median` and `sigma`",
      {{mean_pos, sd}, {required_number("mu", any, "mu: mean of the logarithm"), sigma},
       {required_number("median", pos, "the median"), sigma}},
      [](const Params& p) {
        if (p.form() == 0) {
          double mean = p.number("mean"), s = p.number("sd");
          double s2 = std::log1p(s * s / (mean * mean));
          return Distribution::lognormal(std::log(mean) - 0.5 * s2, std::sqrt(s2));
        }
        return Distribution::lognormal(p.form() == 1 ? p.number("mu") : std::log(p.number("median")), p.number("sigma"));
      });
  add(r, "gamma", "gamma by `shape` and `scale`, or `mean` and `sd`", {{shape, scale}, {mean_pos, sd}},
      [](const Params& p) {
        if (p.form() == 0) return Distribution::gamma(p.number("shape"), p.number("scale"));
        double mean = p.number("mean"), s = p.number("sd");
        return Distribution::gamma(mean * mean / (s * s), s * s / mean);
      });
  add(r, "weibull", "Weibull with `shape` and `scale`", {{shape, scale}},
      [](const Params& p) { return Distribution::weibull(p.number("shape"), p.number("scale")); });
  add(r, "beta", "beta with `alpha` and `beta`, on [0, 1]",
      {{required_number("alpha", pos, "alpha"), required_number("beta", pos, "beta")}},
      [](const Params& p) { return Distribution::beta(p.number("alpha"), p.number("beta")); });
  add(r, "empirical", "resamples `values`, or a `column` of a CSV `file`",
      {{required_numbers("values", any, 0, "the values resampled uniformly")},
       {required_text("file", "a CSV file, relative to the scenario's folder"),
        required_text("column", "the column of the file holding the values")}},
      [](const Params& p) {
        return Distribution::empirical(p.form() == 0 ? p.numbers("values") : read_csv_column(p, p.base_dir()));
      });
}

}  // namespace

Registry<Distribution>& distributions() {
  static Registry<Distribution> r("distribution", "dist", "every random trait; a bare number is a constant", "", nullptr);
  static const bool added = (add_builtins(r), true);
  (void)added;
  return r;
}

json distribution_object_schema() {
  json names = json::array(), rules = json::array();
  for (const EntryInfo& k : distributions().infos()) {
    names.push_back(k.name);
    json alternatives = json::array();
    for (const ParamList* form : k.forms)
      alternatives.push_back(object_schema(*form, {{"dist", {{"const", k.name}}}}, {"dist"}));
    json then = alternatives.size() == 1 ? alternatives[0] : json{{"oneOf", alternatives}};
    rules.push_back({{"if", {{"properties", {{"dist", {{"const", k.name}}}}}}}, {"then", then}});
  }
  return {{"type", "object"},
          {"required", {"dist"}},
          {"properties", {{"dist", {{"enum", names}}}}},
          {"allOf", rules}};
}

}  // namespace crowdsim::sim
