#include "sim/distribution.hpp"

#include "sim/distribution_params.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace crowdsim::sim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The family's name (its `dist` in the scenario: sim/distribution_params.cpp registers them).
const std::pair<Distribution::Kind, const char*> kKinds[] = {
    {Distribution::Kind::kConstant, "constant"}, {Distribution::Kind::kUniform, "uniform"},
    {Distribution::Kind::kExponential, "exponential"}, {Distribution::Kind::kNormal, "normal"},
    {Distribution::Kind::kLognormal, "lognormal"}, {Distribution::Kind::kGamma, "gamma"},
    {Distribution::Kind::kWeibull, "weibull"}, {Distribution::Kind::kBeta, "beta"},
    {Distribution::Kind::kEmpirical, "empirical"},
};

std::string fmt(double v) {
  std::ostringstream os;
  os.precision(6);
  os << v;
  return os.str();
}

}  // namespace

Distribution::Distribution(double value) : kind_(Kind::kConstant), a_(value) {}

Distribution Distribution::constant(double v) { return Distribution(v); }
Distribution Distribution::uniform(double min, double max) {
  Distribution d;
  d.kind_ = Kind::kUniform, d.a_ = min, d.b_ = max;
  return d;
}
Distribution Distribution::exponential(double mean) {
  Distribution d;
  d.kind_ = Kind::kExponential, d.a_ = mean;
  return d;
}
Distribution Distribution::normal(double mean, double sd) {
  Distribution d;
  d.kind_ = Kind::kNormal, d.a_ = mean, d.b_ = sd;
  return d;
}
Distribution Distribution::lognormal(double mu, double sigma) {
  Distribution d;
  d.kind_ = Kind::kLognormal, d.a_ = mu, d.b_ = sigma;
  return d;
}
Distribution Distribution::gamma(double shape, double scale) {
  Distribution d;
  d.kind_ = Kind::kGamma, d.a_ = shape, d.b_ = scale;
  return d;
}
Distribution Distribution::weibull(double shape, double scale) {
  Distribution d;
  d.kind_ = Kind::kWeibull, d.a_ = shape, d.b_ = scale;
  return d;
}
Distribution Distribution::beta(double alpha, double beta) {
  Distribution d;
  d.kind_ = Kind::kBeta, d.a_ = alpha, d.b_ = beta;
  return d;
}
Distribution Distribution::empirical(std::vector<double> values) {
  Distribution d;
  d.kind_ = Kind::kEmpirical;
  double sum = 0, sq = 0;
  for (double v : values) sum += v;
  d.a_ = sum / static_cast<double>(values.size());
  for (double v : values) sq += (v - d.a_) * (v - d.a_);
  d.b_ = sq / static_cast<double>(values.size());
  d.values_ = std::make_shared<const std::vector<double>>(std::move(values));
  return d;
}

double Distribution::sample_other(Stream& s) const {
  switch (kind_) {
    case Kind::kConstant:
    case Kind::kUniform:
    case Kind::kExponential: return sample(s);  // inline in the header
    case Kind::kNormal: return boost::random::normal_distribution<double>(a_, b_)(s);
    case Kind::kLognormal: return std::exp(boost::random::normal_distribution<double>(a_, b_)(s));
    case Kind::kGamma: return boost::random::gamma_distribution<double>(a_, b_)(s);
    case Kind::kWeibull: return boost::random::weibull_distribution<double>(a_, b_)(s);
    case Kind::kBeta: return boost::random::beta_distribution<double>(a_, b_)(s);
    case Kind::kEmpirical: {
      const auto& v = *values_;
      auto i = static_cast<std::size_t>(s.uniform01() * static_cast<double>(v.size()));
      return v[i < v.size() ? i : v.size() - 1];
    }
  }
  return a_;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::kConstant: return a_;
    case Kind::kUniform: return 0.5 * (a_ + b_);
    case Kind::kExponential: return a_;
    case Kind::kNormal: return a_;
    case Kind::kLognormal: return std::exp(a_ + 0.5 * b_ * b_);
    case Kind::kGamma: return a_ * b_;
    case Kind::kWeibull: return b_ * std::tgamma(1.0 + 1.0 / a_);
    case Kind::kBeta: return a_ / (a_ + b_);
    case Kind::kEmpirical: return a_;
  }
  return a_;
}

double Distribution::variance() const {
  switch (kind_) {
    case Kind::kConstant: return 0.0;
    case Kind::kUniform: return (b_ - a_) * (b_ - a_) / 12.0;
    case Kind::kExponential: return a_ * a_;
    case Kind::kNormal: return b_ * b_;
    case Kind::kLognormal: return std::expm1(b_ * b_) * std::exp(2 * a_ + b_ * b_);
    case Kind::kGamma: return a_ * b_ * b_;
    case Kind::kWeibull: {
      double g1 = std::tgamma(1.0 + 1.0 / a_), g2 = std::tgamma(1.0 + 2.0 / a_);
      return b_ * b_ * (g2 - g1 * g1);
    }
    case Kind::kBeta: return a_ * b_ / ((a_ + b_) * (a_ + b_) * (a_ + b_ + 1));
    case Kind::kEmpirical: return b_;
  }
  return 0.0;
}

double Distribution::cdf(double x) const {
  namespace bm = boost::math;
  switch (kind_) {
    case Kind::kConstant: return x >= a_ ? 1.0 : 0.0;
    case Kind::kUniform: return std::clamp((x - a_) / (b_ - a_), 0.0, 1.0);
    case Kind::kExponential: return x <= 0 ? 0.0 : -std::expm1(-x / a_);
    case Kind::kNormal: return bm::cdf(bm::normal_distribution<double>(a_, b_), x);
    case Kind::kLognormal: return x <= 0 ? 0.0 : bm::cdf(bm::lognormal_distribution<double>(a_, b_), x);
    case Kind::kGamma: return x <= 0 ? 0.0 : bm::cdf(bm::gamma_distribution<double>(a_, b_), x);
    case Kind::kWeibull: return x <= 0 ? 0.0 : bm::cdf(bm::weibull_distribution<double>(a_, b_), x);
    case Kind::kBeta: return x <= 0 ? 0.0 : x >= 1 ? 1.0 : bm::cdf(bm::beta_distribution<double>(a_, b_), x);
    case Kind::kEmpirical: {
      double n = 0;
      for (double v : *values_) n += v <= x ? 1 : 0;
      return n / static_cast<double>(values_->size());
    }
  }
  return 0.0;
}

double Distribution::quantile(double p) const {
  namespace bm = boost::math;
  switch (kind_) {
    case Kind::kConstant: return a_;
    case Kind::kUniform: return a_ + (b_ - a_) * p;
    case Kind::kExponential: return -a_ * std::log1p(-p);
    case Kind::kNormal: return bm::quantile(bm::normal_distribution<double>(a_, b_), p);
    case Kind::kLognormal: return bm::quantile(bm::lognormal_distribution<double>(a_, b_), p);
    case Kind::kGamma: return bm::quantile(bm::gamma_distribution<double>(a_, b_), p);
    case Kind::kWeibull: return bm::quantile(bm::weibull_distribution<double>(a_, b_), p);
    case Kind::kBeta: return bm::quantile(bm::beta_distribution<double>(a_, b_), p);
    case Kind::kEmpirical: {
      // Resampling draws each value with probability 1/n: the quantile of that discrete law.
      std::vector<double> v(*values_);
      std::sort(v.begin(), v.end());
      auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
      return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
    }
  }
  return a_;
}

double Distribution::lower() const {
  switch (kind_) {
    case Kind::kConstant: return a_;
    case Kind::kUniform: return a_;
    case Kind::kNormal: return -kInf;
    case Kind::kEmpirical: return *std::min_element(values_->begin(), values_->end());
    default: return 0.0;  // exponential, lognormal, gamma, weibull, beta
  }
}

double Distribution::upper() const {
  switch (kind_) {
    case Kind::kConstant: return a_;
    case Kind::kUniform: return b_;
    case Kind::kBeta: return 1.0;
    case Kind::kEmpirical: return *std::max_element(values_->begin(), values_->end());
    default: return kInf;
  }
}

bool Distribution::lower_open() const {
  switch (kind_) {
    case Kind::kExponential: case Kind::kLognormal: case Kind::kGamma: case Kind::kWeibull: case Kind::kBeta:
      return true;
    default: return false;
  }
}

bool Distribution::upper_open() const { return kind_ == Kind::kBeta || kind_ == Kind::kUniform; }

bool Distribution::within(const Bounds& b) const {
  // One side of the support against one side of the bounds: strictly inside is fine; on the
  // limit itself it is fine if the limit is allowed or the distribution never draws it.
  auto side_ok = [](double x, bool x_open, double limit, bool limit_open, bool low) {
    if (std::isinf(x)) return std::isinf(limit);
    if (low ? x > limit : x < limit) return true;
    return x == limit && (!limit_open || x_open);
  };
  return side_ok(lower(), lower_open(), b.min, b.min_open, true) &&
         side_ok(upper(), upper_open(), b.max, b.max_open, false);
}

std::string Distribution::name() const {
  for (const auto& [kind, name] : kKinds)
    if (kind == kind_) return name;
  return "?";
}

std::string Distribution::describe() const {
  switch (kind_) {
    case Kind::kConstant: return "constant(" + fmt(a_) + ")";
    case Kind::kUniform: return "uniform(min=" + fmt(a_) + ", max=" + fmt(b_) + ")";
    case Kind::kExponential: return "exponential(mean=" + fmt(a_) + ")";
    case Kind::kNormal: return "normal(mean=" + fmt(a_) + ", sd=" + fmt(b_) + ")";
    case Kind::kLognormal: return "lognormal(mu=" + fmt(a_) + ", sigma=" + fmt(b_) + ")";
    case Kind::kGamma: return "gamma(shape=" + fmt(a_) + ", scale=" + fmt(b_) + ")";
    case Kind::kWeibull: return "weibull(shape=" + fmt(a_) + ", scale=" + fmt(b_) + ")";
    case Kind::kBeta: return "beta(alpha=" + fmt(a_) + ", beta=" + fmt(b_) + ")";
    case Kind::kEmpirical: return "empirical(" + std::to_string(values_->size()) + " values, mean=" + fmt(a_) + ")";
  }
  return "?";
}

std::string Distribution::key() const {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s(%a,%a)", name().c_str(), a_, b_);
  std::string out = buf;
  if (values_)
    for (double v : *values_) {
      std::snprintf(buf, sizeof buf, ",%a", v);
      out += buf;
    }
  return out;
}

Distribution read_distribution(const Config& parent, const std::string& key, const std::string& base_dir) {
  const nlohmann::json& v = parent.raw(key);
  if (v.is_number()) {
    double x = v.get<double>();
    if (!std::isfinite(x)) throw ConfigError(parent.path_of(key), "a finite number", describe_json(v));
    return Distribution::constant(x);
  }
  if (!v.is_object())
    throw ConfigError(parent.path_of(key), "a number or a distribution object such as {\"dist\": \"lognormal\", ...}",
                      describe_json(v));
  // The kinds and their parameterisations are entries of a registry (sim/distribution_params.cpp).
  Distribution d = *distributions().create(parent.object(key), base_dir);
  return d;
}

Distribution read_distribution(const Config& parent, const std::string& key, const Distribution& fallback,
                               const std::string& base_dir) {
  return parent.has(key) ? read_distribution(parent, key, base_dir) : fallback;
}

}  // namespace crowdsim::sim
