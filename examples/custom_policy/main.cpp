// A user-defined assignment policy, registered next to the built-ins and run on a scenario.
//
// `cheapest`: a task's slot goes to the idle worker with the lowest reservation wage (a platform
// minimising what it must pay to keep workers), and a free worker takes the oldest task.
#include <cstdio>
#include <limits>
#include <string>

#include "io/experiment.hpp"
#include "io/hdf5_recorder.hpp"
#include "io/scenario.hpp"
#include "models/assignment/policy.hpp"
#include "models/platform.hpp"

using namespace crowdsim;

namespace {

class Cheapest final : public models::AssignmentPolicy {
 public:
  std::uint32_t choose_worker(const models::Platform& p, std::uint32_t task, sim::Stream&) override {
    std::uint32_t best = models::kNone;
    double wage = std::numeric_limits<double>::infinity();
    for (std::uint32_t w = p.idle_workers().front(); w != models::kNone; w = p.idle_workers().next(w))
      if (p.eligible(task, w) && p.worker(w).reservation_wage < wage) best = w, wage = p.worker(w).reservation_wage;
    return best;
  }
  std::uint32_t choose_task(const models::Platform& p, std::uint32_t worker, sim::Stream&) override {
    for (std::uint32_t t = p.open_tasks().front(); t != models::kNone; t = p.open_tasks().next(t))
      if (p.eligible(t, worker)) return t;
    return models::kNone;
  }
};

// Poisson tasks, a pool twice as large as needed, wages log-normal around $1.38/h.
const char* kScenario = R"({
  "name": "custom_policy_example", "seed": 1, "replications": 3, "detail": "summary",
  "tasks": {"count": 500, "arrival": {"process": "poisson", "rate_per_hour": 120},
            "expected_duration": 60, "bounty": 0.05, "redundancy": 3, "classes": 2},
  "workers": {"count": 20, "reservation_wage": {"dist": "lognormal", "median": 1.38, "sigma": 0.8}},
  "assignment": {"policy": "cheapest"},
  "incentive": {"policy": "fixed"},
  "sweep": {"list": [{"assignment": {"policy": "cheapest"}}, {"assignment": {"policy": "random"}}]}
})";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: custom_policy OUT.h5\n");
    return 2;
  }
  models::assignment_policies().add("cheapest", "push: the idle worker with the lowest reservation wage",
                                    [] { return std::make_unique<Cheapest>(); });
  io::Scenario s = io::parse_scenario(nlohmann::json::parse(kScenario), ".");
  io::Hdf5Recorder recorder(argv[1], io::FileMetadata{s.resolved.dump(2)}, s.detail);
  io::run_experiment(s, recorder);
  recorder.finish();
  std::printf("ran %s with the policies:", s.name.c_str());
  for (const auto& name : models::assignment_policies().names()) std::printf(" %s", name.c_str());
  std::printf("\nwrote %s; compare with: crowdsim summarize %s --baseline random\n", argv[1], argv[1]);
  return 0;
}
