#include "models/population.hpp"

#include <algorithm>
#include <boost/random/gamma_distribution.hpp>

namespace crowdsim::models {

WorkerState draw_worker(const WorkerParams& params, const std::vector<TaskType>& types, double now,
                        sim::Stream s, sim::Stream work) {
  WorkerState w;
  double u = s.uniform01(), cum = 0.0;
  w.group = static_cast<std::int32_t>(params.groups.size() - 1);
  for (std::size_t g = 0; g < params.groups.size(); ++g) {
    cum += params.groups[g].share;
    if (u < cum) {
      w.group = static_cast<std::int32_t>(g);
      break;
    }
  }
  const WorkerGroup& g = params.groups[static_cast<std::size_t>(w.group)];
  w.arrived = now;
  w.online = true;
  for (const auto& d : g.skill) w.skill.push_back(d.sample(s));
  w.speed = g.speed.sample(s);
  w.reservation_wage = g.reservation_wage.sample(s);
  w.abandon_hazard = g.abandon_hazard.sample(s);
  w.session_end = now + g.session.sample(s);  // the default constant +inf draws nothing
  w.confusion.resize(types.size());
  if (g.confusion != ConfusionModel::kOneCoin) {
    for (std::size_t t = 0; t < types.size(); ++t) {
      if (!types[t].labelled) continue;
      auto k = static_cast<std::size_t>(types[t].classes);
      std::vector<double>& c = w.confusion[t];
      for (std::size_t i = 0; i < k; ++i) c.push_back(g.skill[t].sample(s));
      if (g.confusion != ConfusionModel::kDirichlet) continue;
      boost::random::gamma_distribution<double> gamma(g.concentration, 1.0);
      for (std::size_t i = 0; i < k; ++i) {
        std::size_t row = c.size();
        double total = 0.0;
        for (std::size_t j = 0; j < k; ++j) {
          double x = j == i ? 0.0 : gamma(s);
          c.push_back(x);
          total += x;
        }
        for (std::size_t j = 0; j < k; ++j) c[row + j] = total > 0 ? c[row + j] / total : (j == i ? 0.0 : 1.0 / (k - 1));
      }
    }
  }
  w.work = work;
  return w;
}

namespace detail {

Answer wrong_from_row(const std::vector<double>& c, std::size_t k, std::int32_t truth, double q, double u) {
  double v = q < 1.0 ? std::clamp((u - q) / (1.0 - q), 0.0, 1.0) : 0.0;
  const double* row = &c[k + static_cast<std::size_t>(truth) * k];
  double cum = 0.0;
  std::int32_t last = -1;
  for (std::size_t j = 0; j < k; ++j) {
    if (row[j] <= 0) continue;
    last = static_cast<std::int32_t>(j);
    cum += row[j];
    if (v < cum) return Answer{q, last};
  }
  return Answer{q, last};  // rounding: the last label with weight
}

}  // namespace detail

double mean_accuracy(const WorkerState& w, std::size_t t, std::size_t classes) {
  const std::vector<double>& c = w.confusion[t];
  if (c.empty()) return w.skill[t];
  double sum = 0.0;
  for (std::size_t i = 0; i < classes; ++i) sum += c[i];  // the per-class accuracies come first
  return sum / static_cast<double>(classes);
}

}  // namespace crowdsim::models
