"""Running the simulator from Python: `run`, `sweep`, `optimize`, `validate`, `list_models`.

In process: the compiled module `crowdsim._core` (built by the project's CMake with pybind11,
installed with the package by `make venv`) runs the same experiment code as the `crowdsim`
program, on threads of its own with the GIL released, and writes the same HDF5 file (same seed,
same rows and KPIs; only the timings differ). The Results object is the one `load()` returns.
Ctrl-C (or a notebook's interrupt) stops a run at its next event and raises KeyboardInterrupt;
the finished runs of a kept `output` stay in OUTPUT.partial, which `resume=True` completes.

Without the module (a package installed without building the simulator), or with an explicit
`binary_path`, the same functions call the `crowdsim` program as a subprocess instead. It is
found by, in order: `binary_path`, the CROWDSIM_BIN environment variable, `crowdsim` on PATH,
and `build/crowdsim` in the current folder or one above it.

Not possible from Python: policies or models written in Python (the simulator calls them
millions of times per run; write them in C++ as a plug-in: examples/custom_policy, then run
them with the program's `--plugin`).
"""
from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .kpis import kpi, kpi_names
from .results import Results, load
from .stats import method

try:
    from . import _core
except ImportError:  # installed without the compiled module: the program is used instead
    _core = None

__all__ = ["run", "sweep", "optimize", "validate", "list_models", "summarize", "ScenarioError", "Optimum",
           "binary", "in_process"]


class ScenarioError(ValueError):
    """A scenario the simulator refuses. `path` is the JSON path it names (e.g.
    "workers.accuracy"), `expected` and `found` what it wanted and what it got."""

    def __init__(self, message: str, path=None, expected=None, found=None):
        super().__init__(message)
        if path is None and expected is None:  # from the program's message
            first = message.strip().splitlines()[0] if message.strip() else ""
            m = re.match(r"(?:crowdsim: )?([A-Za-z0-9_.\[\]$-]+): (.*)", first)
            path = m.group(1) if m else None
            e = re.search(r"expected (.*?)(?:, found (.*))?$", m.group(2) if m else message)
            expected = e.group(1) if e else None
            found = e.group(2) if e and e.group(2) else None
        self.path, self.expected, self.found = path or None, expected, found


def in_process() -> bool:
    """True when runs happen in this process (the compiled module is installed)."""
    return _core is not None


def binary(explicit=None) -> str:
    """The simulator program to run (see the module's docstring for the order searched)."""
    candidates = [explicit, os.environ.get("CROWDSIM_BIN"), shutil.which("crowdsim")]
    here = Path.cwd()
    candidates += [str(d / "build" / "crowdsim") for d in (here, *here.parents)]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return str(c)
    raise FileNotFoundError("no crowdsim program: build it (make build) and set CROWDSIM_BIN=/path/to/build/crowdsim, "
                            "or put it on PATH")


def _source(scenario):
    """(text or path, is_text) of a scenario given as a path, a JSON text or a dict."""
    if isinstance(scenario, dict):
        return json.dumps(scenario), True
    if isinstance(scenario, (str, os.PathLike)) and not str(scenario).lstrip().startswith("{"):
        if not Path(scenario).exists():
            raise FileNotFoundError(f"no scenario file {scenario}")
        return str(scenario), False
    return str(scenario), True


def _value(v) -> str:
    return v if isinstance(v, str) and not v.lstrip().startswith(("{", "[")) else json.dumps(v)


def _overrides(seed, replications, detail, set):
    """The `--set` overrides of `crowdsim run`, the options among them (as the program adds them)."""
    out = [f"{key}={_value(v)}" for key, v in (set or {}).items()]
    for key, v, least in (("seed", seed, 0), ("replications", replications, 1)):
        if v is not None:
            if isinstance(v, bool) or not isinstance(v, int) or v < least:
                raise ScenarioError(f"{key}: expected a whole number >= {least}, found {v!r}", key,
                                    f"a whole number >= {least}", repr(v))
            out.append(f"{key}={v}")
    if detail is not None:
        out.append(f"detail={json.dumps(str(detail))}")
    return out


def _call_core(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except _core.ConfigError as e:
        message, path, expected, found = e.args
        raise ScenarioError(message, path, expected, found) from None


def _call(args):
    """Runs the program; Ctrl-C stops it and raises KeyboardInterrupt (the program keeps the
    finished runs in OUT.partial)."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        proc.wait()
        raise
    return proc.returncode, out, err


def _program_file(text, folder: Path) -> str:
    path = folder / "scenario.json"
    path.write_text(text)
    return str(path)


def _results(out: Path, tmp) -> Results:
    results = load(out)
    if tmp is not None:
        results._keep_alive = tmp  # the temporary file lives as long as the results
    told = results.attrs.get("warnings") or {}
    if isinstance(told, str):
        told = json.loads(told)
    for message in told.get("messages", []):
        warnings.warn(message, RuntimeWarning, stacklevel=3)
    return results


def run(scenario, seed=None, replications=None, set=None, detail=None, threads=None, output=None,
        binary_path=None, force=False, resume=False, *, _require=""):
    """Runs `scenario` (a path, a JSON text or a dict) and returns its Results, as `load()` does.
    `set`: {"tasks.count": 200, "incentive.beta": -1, ...} overrides (values are JSON), also a
    `sweep` block. `output`: where to keep the HDF5 file (None: a temporary file, removed with the
    Results); an existing one is refused unless `force`, and `resume=True` completes the
    OUTPUT.partial an interrupted run left (or salvages the OUTPUT.tmp a killed one left). Raises ScenarioError when the simulator refuses the
    scenario (with .path, .expected, .found). Warnings of degenerate runs (no task closed, budget
    exhausted, ...) are issued as RuntimeWarning."""
    source, is_text = _source(scenario)
    overrides = _overrides(seed, replications, detail, set)
    tmp = tempfile.TemporaryDirectory(prefix="crowdsim-") if output is None else None
    out = Path(output) if output is not None else Path(tmp.name) / "out.h5"
    if out.exists() and not force and not resume:
        raise FileExistsError(f"{out} already exists: pass force=True to overwrite it, or choose another output")
    if not force and not resume:  # an earlier attempt's finished runs: never dropped without a word
        if Path(f"{out}.partial").exists():
            raise FileExistsError(f"{out}.partial holds the finished runs of an interrupted run: pass resume=True "
                                  "to complete it, or force=True to start again")
        if Path(f"{out}.tmp").exists():
            raise FileExistsError(f"{out}.tmp exists: a run writing {out} is under way, or was killed; pass "
                                  "resume=True to salvage its finished runs, or force=True to start again")
    try:
        if _core is not None and binary_path is None:
            _call_core(_core.run, source, is_text, overrides, str(out), threads or 1, resume, force, _require)
        else:
            with tempfile.TemporaryDirectory(prefix="crowdsim-") as d:
                path = _program_file(source, Path(d)) if is_text else source
                args = [binary(binary_path), "sweep" if _require == "sweep" else "run", path, "-o", str(out), "--quiet"]
                args += [a for o in overrides for a in ("--set", o)]
                args += ["--threads", str(threads)] if threads else []
                args += ["--force"] if force else []
                args += ["--resume"] if resume else []
                code, _, err = _call(args)
            if code != 0:
                raise ScenarioError(err.strip() or f"crowdsim exited with status {code}")
    except BaseException:
        if tmp is not None:
            tmp.cleanup()
        raise
    return _results(out, tmp)


def sweep(scenario, seed=None, replications=None, set=None, detail=None, threads=None, output=None,
          binary_path=None, force=False, resume=False):
    """`run` for a scenario with a sweep block (as `crowdsim sweep`): every point times the
    replications, one group per point in `summarize`. ScenarioError when there is no sweep."""
    return run(scenario, seed, replications, set, detail, threads, output, binary_path, force, resume,
               _require="sweep")


@dataclass
class Optimum:
    """What `optimize` found: `report` (the text `crowdsim optimize` prints), `points` (one row
    per evaluated point: its parameters, objective mean, feasibility, runs), `best` (the best
    feasible point's row as a dict, None when none is feasible), `fresh` (the optimum run again on
    fresh draws, seed + 1: point, seed, objective with its 95% interval low..high, feasible, runs;
    the estimate to report, where `best`'s is optimistic; None without a choice), `warnings`, and
    `results` (the runs, when an `output` was given)."""
    report: str
    points: pd.DataFrame
    best: dict | None
    objective: str
    warnings: list = field(default_factory=list)
    results: Results | None = None
    fresh: dict | None = None

    def __str__(self):
        return self.report


def optimize(scenario, seed=None, replications=None, set=None, threads=None, output=None, force=False) -> Optimum:
    """Searches the parameters of the scenario's optimize block as `crowdsim optimize` does
    (in process only). The warnings (an optimum on a bound of the range, ...) are also issued as
    RuntimeWarning."""
    if _core is None:
        raise RuntimeError("crowdsim.optimize needs the compiled module crowdsim._core (make venv); "
                           "without it, run `crowdsim optimize` instead")
    source, is_text = _source(scenario)
    if output is not None and Path(output).exists() and not force:
        raise FileExistsError(f"{output} already exists: pass force=True to overwrite it")
    r = _call_core(_core.optimize, source, is_text, _overrides(seed, replications, None, set),
                   "" if output is None else str(output), threads or 1)
    rows = [{**p["params"], "objective": p["objective"], "feasible": p["feasible"], "runs": p["runs"],
             "point": p["point"]} for p in r["points"]]
    points = pd.DataFrame(rows)
    best = rows[r["best"]] if r["best"] >= 0 else None
    for w in r["warnings"]:
        warnings.warn(w, RuntimeWarning, stacklevel=2)
    return Optimum(r["report"], points, best, r["objective"], list(r["warnings"]),
                   load(output) if output is not None else None, r["fresh"])


def validate(scenario, set=None, binary_path=None) -> dict:
    """Checks a scenario (path, JSON text or dict, with `set` overrides) as `crowdsim validate`
    does; raises ScenarioError (with .path, .expected, .found) at the first error. Returns
    {"name", "points", "replications", "runs"} (in process; {} from the program)."""
    source, is_text = _source(scenario)
    overrides = _overrides(None, None, None, set)
    if _core is not None and binary_path is None:
        return _call_core(_core.validate, source, is_text, overrides)
    with tempfile.TemporaryDirectory(prefix="crowdsim-") as d:
        path = _program_file(source, Path(d)) if is_text else source
        code, _, err = _call([binary(binary_path), "validate", path] + [a for o in overrides for a in ("--set", o)])
    if code != 0:
        raise ScenarioError(err.strip())
    return {}


def list_models(kind=None, binary_path=None) -> dict:
    """{kind: {name: one-line description}} of the registered models, the distributions and
    the KPIs (`crowdsim list`); only `kind`'s when given."""
    if _core is not None and binary_path is None:
        models = _core.list_models()
    else:
        code, out, err = _call([binary(binary_path), "list"])
        if code != 0:
            raise ValueError(err.strip())
        models, current = {}, None
        for line in out.splitlines():
            if line and not line.startswith(" ") and ":" in line:
                current = line.split(":")[0].strip()
                models[current] = {}
            elif line.startswith("  ") and current is not None and line.strip():
                name, _, what = line.strip().partition(" ")
                models[current][name] = what.strip()
    if kind is None:
        return models
    if kind not in models:
        raise ValueError(f"no kind {kind!r}: one of {', '.join(sorted(models))}")
    return {kind: models[kind]}


def summarize(results, kpis=None) -> pd.DataFrame:
    """One row per group and KPI: n, runs, mean and the 95% interval of the mean with its method,
    grouped as `crowdsim summarize` and the plots group them (policies and swept parameters);
    `group` is the label `crowdsim summarize` gives the same group ("fifo / fixed",
    "fifo, incentive.beta=-1")."""
    from .plots.comparison import grouped

    s = results.summary
    wanted = [kpis] if isinstance(kpis, str) else list(kpis or kpi_names(s.columns))
    known = kpi_names(s.columns)
    for k in wanted:
        if k not in known:
            close = difflib.get_close_matches(k, known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise ValueError(f'kpis: expected KPIs of this file, found "{k}"{hint}; its KPIs: {", ".join(known)}')
    rows = []
    for g in grouped(s, wanted):
        for k in wanted:
            st = g.stats[k]
            rows.append({"group": g.label, "kpi": k, "unit": kpi(k).unit, "n": st.n, "runs": st.total,
                         "mean": st.mean, "ci_low": st.low, "ci_high": st.high, "ci_method": method(kpi(k).kind)})
    return pd.DataFrame(rows)
