#pragma once
/// \file Probability distributions configured from JSON, drawn from a Stream.

#include <memory>
#include <string>
#include <vector>

#include "sim/config.hpp"
#include "sim/rng.hpp"

namespace crowdsim::sim {

/// A univariate distribution chosen by name in the scenario, e.g.
/// `{"dist": "lognormal", "mean": 1, "sd": 0.5}`; a bare number means a constant.
/// Kinds and parameters:
///   constant {value} | uniform {min, max} | exponential {mean} or {rate}
///   normal {mean, sd} | lognormal {mean, sd} or {mu, sigma} or {median, sigma}
///   gamma {shape, scale} or {mean, sd} | weibull {shape, scale} | beta {alpha, beta}
///   empirical {values: [...]} or {file: "x.csv", column: "name"} (resampled uniformly)
class Distribution {
 public:
  enum class Kind { kConstant, kUniform, kExponential, kNormal, kLognormal, kGamma, kWeibull, kBeta, kEmpirical };

  /// A constant (the default: 0).
  explicit Distribution(double value = 0.0);
  /// Draws one value. The common cheap kinds are inline, so each call site predicts its own.
  double sample(Stream& s) const {
    switch (kind_) {
      case Kind::kConstant: return a_;
      case Kind::kUniform: return a_ + (b_ - a_) * s.uniform01();
      case Kind::kExponential: return s.exponential(a_);
      default: return sample_other(s);
    }
  }
  /// Analytic mean (the sample mean for empirical).
  double mean() const;
  /// Analytic variance (the population variance for empirical).
  double variance() const;
  /// P(X <= x).
  double cdf(double x) const;
  /// The p-quantile, p in (0, 1): the smallest x with P(X <= x) >= p (for empirical, of the
  /// values resampled uniformly).
  double quantile(double p) const;
  /// Smallest and largest values it can produce.
  double lower() const;
  double upper() const;
  /// True when the bound is a limit never drawn (0 for the exponential, both ends for beta).
  bool lower_open() const;
  bool upper_open() const;
  /// True when every value it can draw satisfies `b` (an unbounded side needs an unbounded b).
  bool within(const Bounds& b) const;
  Kind kind() const { return kind_; }
  /// Canonical name of the kind ("lognormal", ...).
  std::string name() const;
  /// One line such as `lognormal(mu=-0.11, sigma=0.47)`.
  std::string describe() const;
  /// The kind and its exact parameters (hexadecimal floats): equal keys, equal distributions.
  std::string key() const;

  static Distribution constant(double v);
  static Distribution uniform(double min, double max);
  static Distribution exponential(double mean);
  static Distribution normal(double mean, double sd);
  static Distribution lognormal(double mu, double sigma);
  static Distribution gamma(double shape, double scale);
  static Distribution weibull(double shape, double scale);
  static Distribution beta(double alpha, double beta);
  static Distribution empirical(std::vector<double> values);

 private:
  double sample_other(Stream& s) const;  // the kinds drawn through Boost.Random, and empirical

  Kind kind_ = Kind::kConstant;
  double a_ = 0.0, b_ = 0.0;  // the kind's two parameters, canonical form
  std::shared_ptr<const std::vector<double>> values_;  // empirical only
};

/// Reads a distribution at `key` of `parent`: a number (constant) or an object with "dist".
/// Relative CSV paths are resolved against `base_dir`. Errors name the JSON path.
Distribution read_distribution(const Config& parent, const std::string& key,
                               const std::string& base_dir = ".");
/// The same, `fallback` when the key is absent.
Distribution read_distribution(const Config& parent, const std::string& key,
                               const Distribution& fallback, const std::string& base_dir = ".");

}  // namespace crowdsim::sim
