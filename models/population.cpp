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

Answer draw_answer(WorkerState& w, const TaskType& type, std::int32_t type_index, std::int32_t truth,
                   double difficulty, double effort_gain) {
  auto t = static_cast<std::size_t>(type_index);
  if (!type.labelled) return Answer{answer_quality(w.skill[t], 0.0, effort_gain, difficulty), -1};
  const std::vector<double>& c = w.confusion[t];
  auto k = static_cast<std::size_t>(type.classes);
  double a = c.empty() ? w.skill[t] : c[static_cast<std::size_t>(truth)];
  double chance = 1.0 / static_cast<double>(k);
  double q = answer_quality(a, chance, effort_gain, difficulty);
  // One uniform decides right or wrong and, when wrong, which label: given u >= q, (u - q) /
  // (1 - q) is uniform on [0, 1) again. One word per answer, and the label is picked without
  // a branch on the (random) outcome, which a processor cannot predict.
  double u = w.work.uniform01();
  bool right = u < q;
  auto rescaled = [&] { return q < 1.0 ? std::clamp((u - q) / (1.0 - q), 0.0, 1.0) : 0.0; };
  if (c.size() == k + k * k) {  // dirichlet: the error row of the true class
    if (right) return Answer{q, truth};
    double v = rescaled();
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
  // Two classes: the one wrong label needs no v (`other` is 0 whatever v is).
  auto other = k == 2 ? 0
                      : std::min(static_cast<std::int32_t>(rescaled() * static_cast<double>(k - 1)),
                                 static_cast<std::int32_t>(k) - 2);
  std::int32_t wrong = other >= truth ? other + 1 : other;  // uniform over the k - 1 other labels
  return Answer{q, right ? truth : wrong};
}

double mean_accuracy(const WorkerState& w, std::size_t t, std::size_t classes) {
  const std::vector<double>& c = w.confusion[t];
  if (c.empty()) return w.skill[t];
  double sum = 0.0;
  for (std::size_t i = 0; i < classes; ++i) sum += c[i];  // the per-class accuracies come first
  return sum / static_cast<double>(classes);
}

}  // namespace crowdsim::models
