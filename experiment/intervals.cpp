#include "experiment/intervals.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace crowdsim::experiment {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Moments {
  std::size_t n = 0;
  double mean = kNaN, var = kNaN;
};

Moments moments(const std::vector<double>& values) {
  Moments m;
  double sum = 0;
  for (double v : values)
    if (std::isfinite(v)) sum += v, ++m.n;
  if (m.n == 0) return m;
  m.mean = sum / static_cast<double>(m.n);
  if (m.n < 2) return m;
  double ss = 0, lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v)) ss += (v - m.mean) * (v - m.mean), lo = std::min(lo, v), hi = std::max(hi, v);
  // Equal values have no spread, whatever the rounding of their mean says.
  m.var = lo == hi ? 0.0 : ss / static_cast<double>(m.n - 1);
  return m;
}

double t_quantile(double df, double p) { return boost::math::quantile(boost::math::students_t(df), p); }

// Two-sided tail probability of |T| >= |t| with `df` degrees of freedom.
double two_sided(double t, double df) {
  if (std::isinf(t)) return 0.0;
  return 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(df), std::fabs(t)));
}

double logit(double p) { return std::log(p / (1 - p)); }
double expit(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }

}  // namespace

const char* interval_method(KpiKind kind) {
  switch (kind) {
    case KpiKind::kProportion: return "logit-scale t";
    case KpiKind::kPositive:
    case KpiKind::kCount: return "log-scale t";
    case KpiKind::kUnbounded: break;
  }
  return "Student t";
}

KpiStat kpi_stat(const std::vector<double>& values, double confidence, KpiKind kind) {
  KpiStat s;
  Moments m = moments(values);
  s.n = m.n;
  s.total = values.size();
  s.mean = m.mean;
  s.low = s.high = kNaN;
  if (s.n < 2) return s;
  double se = std::sqrt(m.var / static_cast<double>(s.n));
  double t = t_quantile(static_cast<double>(s.n - 1), 0.5 + confidence / 2);
  if (se == 0) {  // every value equal: no spread to show, on any scale
    s.low = s.high = s.mean;
    return s;
  }
  if (kind == KpiKind::kProportion && s.mean > 0 && s.mean < 1) {
    double c = logit(s.mean), h = t * se / (s.mean * (1 - s.mean));
    s.low = expit(c - h);
    s.high = expit(c + h);
    return s;
  }
  if ((kind == KpiKind::kPositive || kind == KpiKind::kCount) && s.mean > 0) {
    double f = std::exp(t * se / s.mean);
    s.low = s.mean / f;
    s.high = s.mean * f;
    return s;
  }
  // Unbounded, or values outside the kind's range (a mean of 0 with a spread cannot come from
  // values >= 0): Student t, kept inside the range the kind promises.
  s.low = s.mean - t * se;
  s.high = s.mean + t * se;
  if (kind != KpiKind::kUnbounded) s.low = std::max(s.low, 0.0);
  if (kind == KpiKind::kProportion) s.high = std::min(s.high, 1.0);
  return s;
}

double paired_t_p(const std::vector<double>& d) {
  Moments m = moments(d);
  if (m.n < 2) return kNaN;
  if (m.var == 0) return m.mean == 0 ? 1.0 : 0.0;
  return two_sided(m.mean / std::sqrt(m.var / static_cast<double>(m.n)), static_cast<double>(m.n - 1));
}

double welch_t_p(const std::vector<double>& a, const std::vector<double>& b) {
  Moments x = moments(a), y = moments(b);
  if (x.n < 2 || y.n < 2) return kNaN;
  double va = x.var / static_cast<double>(x.n), vb = y.var / static_cast<double>(y.n);
  if (va + vb == 0) return x.mean == y.mean ? 1.0 : 0.0;
  double t = (x.mean - y.mean) / std::sqrt(va + vb);
  double df = (va + vb) * (va + vb) /
              (va * va / static_cast<double>(x.n - 1) + vb * vb / static_cast<double>(y.n - 1));
  return two_sided(t, df);
}

std::vector<double> holm(const std::vector<double>& p) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> out(p.size(), kNaN);
  double m = static_cast<double>(order.size()), running = 0;
  for (std::size_t j = 0; j < order.size(); ++j) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(j)) * p[order[j]]));
    out[order[j]] = running;
  }
  return out;
}

}  // namespace crowdsim::experiment
