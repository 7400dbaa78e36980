// crowdsim._core: the simulator in the Python process (pybind11). The same experiment API the
// CLI uses (io::load_scenario, experiment::run_experiment, experiment::optimize into an
// io::Hdf5Recorder), so a run from Python writes the file `crowdsim run` writes with the same
// arguments, bit for bit but for timings. The Python side (crowdsim/simulate.py) wraps these
// calls; see its docstring.
//
// The simulation runs on a thread of its own with the GIL released; the calling thread waits
// for it, checking every 50 ms for a signal (Ctrl-C in a terminal or a notebook's "interrupt"),
// which stops the experiment at its next event: the finished runs stay in OUT.partial and
// KeyboardInterrupt is raised.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "crowdsim_commit.hpp"
#include "experiment/experiment.hpp"
#include "experiment/kpi_meta.hpp"
#include "experiment/memory.hpp"
#include "experiment/optimize.hpp"
#include "io/hdf5_recorder.hpp"
#include "io/projection.hpp"
#include "io/run_warnings.hpp"
#include "io/scenario.hpp"
#include "models/platform.hpp"
#include "models/registry.hpp"
#include "sim/distribution.hpp"
#include "sim/registry.hpp"

namespace py = pybind11;
using namespace crowdsim;

namespace {

// The scenario: a file (relative data paths against its folder) or a JSON text (against the
// working folder), with the overrides "path=value" of `crowdsim run --set` (seed, replications
// and detail among them, so the file's resolved scenario shows them as the CLI's does).
io::Scenario load(const std::string& source, bool is_text, const std::vector<std::string>& overrides) {
  if (!is_text) return io::load_scenario(source, overrides);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(source);
  } catch (const nlohmann::json::parse_error& e) {
    throw sim::ConfigError("", "a scenario as JSON text", std::string("text the parser refuses: ") + e.what());
  }
  for (const auto& o : overrides) io::apply_override(doc, o);
  io::Scenario s = io::parse_scenario(doc, ".");
  if (!doc.contains("name")) s.name = "scenario";
  return s;
}

// Runs `work(interrupt)` off the calling thread with the GIL released, and turns a signal that
// Python's handler raises meanwhile into an interrupt of the work, then into the Python error.
template <class Work>
void interruptible(Work work) {
  std::atomic<bool> interrupt{false};
  std::optional<py::error_already_set> signalled;
  std::exception_ptr failed;
  {
    py::gil_scoped_release release;
    std::promise<void> finished;
    std::future<void> done = finished.get_future();
    std::thread worker([&] {
      try {
        work(&interrupt);
      } catch (...) {
        failed = std::current_exception();
      }
      finished.set_value();
    });
    while (done.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      py::gil_scoped_acquire acquire;
      if (!signalled && PyErr_CheckSignals() != 0) {
        signalled.emplace();  // takes the error (KeyboardInterrupt) Python's handler raised
        interrupt.store(true);
      }
    }
    worker.join();
  }
  if (signalled) throw std::move(*signalled);
  if (failed) std::rethrow_exception(failed);
}

py::dict run(const std::string& source, bool is_text, const std::vector<std::string>& overrides,
             const std::string& output, unsigned threads, bool resume, bool force, const std::string& require) {
  io::Scenario s = load(source, is_text, overrides);
  if (!require.empty() && !s.resolved.contains(require))
    throw sim::ConfigError(require, "a " + require + " block (see docs/scenarios.md)", "none");
  if (threads == 0 || threads > 1024)
    throw sim::ConfigError("threads", "a whole number from 1 to 1024", std::to_string(threads));
  experiment::check_run_fits(s, threads, experiment::default_memory_limit(), output, 0, resume, force);
  io::FileMetadata meta{s.resolved.dump(2)};
  std::unique_ptr<io::Hdf5Recorder> recorder =
      resume ? io::Hdf5Recorder::resume(output, meta, s.detail) : std::make_unique<io::Hdf5Recorder>(output, meta, s.detail);
  std::set<std::uint64_t> skip = recorder->finished_runs();
  interruptible([&](const std::atomic<bool>* interrupt) {
    experiment::run_experiment(s, *recorder, {}, threads, interrupt, skip);
    recorder->finish();
  });
  py::dict out;
  out["runs"] = experiment::run_count(s);
  out["resumed"] = skip.size();
  return out;
}

py::dict optimize(const std::string& source, bool is_text, const std::vector<std::string>& overrides,
                  const std::string& output, unsigned threads) {
  io::Scenario s = load(source, is_text, overrides);
  if (!s.resolved.contains("optimize"))
    throw sim::ConfigError("optimize", "an optimize block (see docs/scenarios.md)", "none");
  std::unique_ptr<io::Hdf5Recorder> file;
  models::Recorder none;
  if (!output.empty()) file = std::make_unique<io::Hdf5Recorder>(output, io::FileMetadata{s.resolved.dump(2)}, s.detail);
  io::WarningTally tally(file ? static_cast<models::Recorder&>(*file) : none, io::group_names(s.resolved.dump()));
  experiment::OptimizeResult r;
  interruptible([&](const std::atomic<bool>* interrupt) {
    r = experiment::optimize(s.resolved, s.base_dir, tally, std::max(1u, threads), interrupt);
    if (file) file->finish({{"optimum", experiment::optimum_json(r)}});
  });
  std::ostringstream report;
  experiment::print_optimum(r, report);
  py::list points;
  for (const experiment::Evaluated& e : r.points) {
    py::dict p;
    p["point"] = e.point;
    p["params"] = py::module_::import("json").attr("loads")(e.params.dump());
    p["objective"] = e.objective.mean;
    p["feasible"] = e.feasible;
    p["runs"] = e.runs;
    points.append(p);
  }
  py::list warnings;
  for (const auto& w : tally.counter().warnings()) warnings.append(w.text);
  for (const auto& w : r.warnings) warnings.append(w);
  py::dict out;
  out["report"] = report.str();
  out["points"] = points;
  out["best"] = r.best;
  if (r.fresh.runs > 0) {
    py::dict f;
    f["point"] = r.fresh.point;
    f["seed"] = r.fresh_seed;
    f["objective"] = r.fresh.objective.mean;
    f["low"] = r.fresh.objective.low;
    f["high"] = r.fresh.objective.high;
    f["feasible"] = r.fresh.feasible;
    f["runs"] = r.fresh.runs;
    out["fresh"] = f;
  } else {
    out["fresh"] = py::none();
  }
  out["objective"] = r.objective_text;
  out["warnings"] = warnings;
  return out;
}

py::dict validate(const std::string& source, bool is_text, const std::vector<std::string>& overrides) {
  io::Scenario s = load(source, is_text, overrides);
  py::dict out;
  out["name"] = s.name;
  out["points"] = s.points.size();
  out["replications"] = s.replications;
  out["runs"] = experiment::run_count(s);
  return out;
}

// {kind: {name: description}}: every registry (the distributions' too) and the KPIs (`crowdsim list`).
py::dict list_models() {
  py::dict out;
  for (const sim::RegistryBase* r : models::all_registries()) {
    py::dict entries;
    for (const sim::EntryInfo& e : r->infos()) entries[py::str(e.name)] = e.description;
    out[py::str(r->kind())] = entries;
  }
  py::dict kpis;
  for (const experiment::KpiMeta& k : experiment::kpi_table())
    kpis[py::str(k.name)] = k.label + (k.unit.empty() ? "" : " (" + k.unit + ")");
  out["kpi"] = kpis;
  return out;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "The crowdsim simulator, in process (wrapped by crowdsim.run, sweep, optimize, validate, list_models)";
  // sim::ConfigError keeps its JSON path, what was expected and what was found: the Python side
  // turns this into crowdsim.ScenarioError with those three as attributes.
  static py::exception<sim::ConfigError> config_error(m, "ConfigError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const sim::ConfigError& e) {
      py::tuple args = py::make_tuple(e.what(), e.path(), e.expected(), e.found());
      PyErr_SetObject(config_error.ptr(), args.ptr());
    } catch (const io::OutputRefused& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const io::WriteError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
  m.def("run", &run, py::arg("source"), py::arg("is_text"), py::arg("overrides"), py::arg("output"),
        py::arg("threads") = 1, py::arg("resume") = false, py::arg("force") = false, py::arg("require") = "");
  m.def("optimize", &optimize, py::arg("source"), py::arg("is_text"), py::arg("overrides"), py::arg("output"),
        py::arg("threads") = 1);
  m.def("validate", &validate, py::arg("source"), py::arg("is_text"), py::arg("overrides"));
  m.def("list_models", &list_models);
  m.attr("git_commit") = CROWDSIM_GIT_COMMIT;
}
