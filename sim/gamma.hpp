#pragma once
/// \file A gamma draw for hot paths: Marsaglia and Tsang's method ("A simple method for
/// generating gamma variables", ACM TOMS 26(3), 2000). Exact (a rejection method over Boost's
/// ziggurat normal), and about five times as fast as Boost's gamma_distribution, whose
/// Cauchy-envelope rejection takes a tangent, an exponential and a logarithm per try. Thompson
/// sampling draws two per candidate worker per choice. The gamma and beta *distributions* of a
/// scenario (sim::Distribution: one draw per task or worker) keep Boost's draws, so that their
/// results stay as they were.

#include <boost/random/normal_distribution.hpp>

#include <cmath>

#include "sim/rng.hpp"

namespace crowdsim::sim {

/// A Gamma(shape, 1) draw from `s`, shape > 0 (mean and variance `shape`). At shape 1, an
/// exponential; below 1, the draw of shape + 1 times U^(1 / shape), U drawn after it.
inline double gamma_draw(Stream& s, double shape) {
  if (shape == 1.0) return s.exponential(1.0);  // Gamma(1) is Exp(1): one word (Thompson's prior)
  if (shape < 1.0) {
    const double g = gamma_draw(s, shape + 1.0);
    return g * std::pow(s.uniform01(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  boost::random::normal_distribution<double> normal;
  for (;;) {
    double x, v;
    do {
      x = normal(s);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = s.uniform01(), x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;  // the squeeze: about 98% of tries, no logarithm
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

/// A Beta(a, b) draw from `s` (a, b > 0): X / (X + Y) with X ~ Gamma(a), then Y ~ Gamma(b).
inline double beta_draw(Stream& s, double a, double b) {
  const double x = gamma_draw(s, a);
  const double y = gamma_draw(s, b);
  return x / (x + y);
}

}  // namespace crowdsim::sim
