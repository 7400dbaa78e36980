#include "models/behavior/review_law.hpp"

#include <algorithm>
#include <cmath>

namespace crowdsim::models {

namespace {
double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI); }
}  // namespace

void ReviewLaw::point(double weight, double value) {
  if (weight > 0) parts_.push_back(Part{weight, std::clamp(value, 0.0, 1.0), 0.0});
}

void ReviewLaw::clipped_normal(double weight, double mean, double sd) {
  if (weight > 0) parts_.push_back(Part{weight, mean, sd});
}

void ReviewLaw::add(const ReviewLaw& other, double weight) {
  for (const Part& p : other.parts_)
    if (p.weight * weight > 0) parts_.push_back(Part{p.weight * weight, p.mean, p.sd});
}

double ReviewLaw::total() const {
  double t = 0.0;
  for (const Part& p : parts_) t += p.weight;
  return t;
}

double ReviewLaw::mean() const {
  double m = 0.0;
  for (const Part& p : parts_) {
    if (p.sd == 0.0) {
      m += p.weight * p.mean;
      continue;
    }
    // E[clip(X, 0, 1)] for X ~ N(μ, σ²): the middle part plus the mass clipped to 1.
    double a = -p.mean / p.sd, b = (1.0 - p.mean) / p.sd;
    double middle = p.mean * (normal_cdf(b) - normal_cdf(a)) + p.sd * (normal_pdf(a) - normal_pdf(b));
    m += p.weight * (middle + (1.0 - normal_cdf(b)));
  }
  return m;
}

double ReviewLaw::below(double r) const {
  double s = 0.0;
  for (const Part& p : parts_) {
    if (p.sd == 0.0) s += p.mean < r ? p.weight : 0.0;
    else if (r > 1.0) s += p.weight;
    else if (r > 0.0) s += p.weight * normal_cdf((r - p.mean) / p.sd);
  }
  return s;
}

double ReviewLaw::equal(double r) const {
  double s = 0.0;
  for (const Part& p : parts_) {
    if (p.sd == 0.0) s += p.mean == r ? p.weight : 0.0;
    else if (r == 0.0) s += p.weight * normal_cdf(-p.mean / p.sd);
    else if (r == 1.0) s += p.weight * (1.0 - normal_cdf((1.0 - p.mean) / p.sd));
  }
  return s;
}

void ReviewLaw::nodes(std::vector<Node>& out) const {
  for (const Part& p : parts_) {
    if (p.sd == 0.0) {
      out.push_back(Node{p.mean, p.weight});
      continue;
    }
    for (const Node& z : normal_nodes()) out.push_back(Node{std::clamp(p.mean + p.sd * z.x, 0.0, 1.0), p.weight * z.w});
  }
}

}  // namespace crowdsim::models
