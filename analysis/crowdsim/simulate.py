"""Running the simulator from Python: `run`, `validate`, `list_models`, and `summarize`.

These call the simulator program (`crowdsim`, built by `make build`) as a subprocess, so a run
gives exactly the file `build/crowdsim run` writes with the same arguments; the Results object
is the one `load()` returns. The program is found by, in order: the `binary` argument, the
CROWDSIM_BIN environment variable, `crowdsim` on PATH, and `build/crowdsim` in the current
folder or one above it. What is not possible from here: policies written in Python (write
them in C++ as a plug-in: examples/custom_policy).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from .kpis import kpi, kpi_names
from .results import load
from .stats import method

__all__ = ["run", "validate", "list_models", "summarize", "ScenarioError", "binary"]


class ScenarioError(ValueError):
    """A scenario the simulator refuses. `path` is the JSON path it names (e.g.
    "workers.accuracy"), `expected` and `found` what it wanted and what it got, when it says."""

    def __init__(self, message: str):
        super().__init__(message)
        m = re.match(r"(?:crowdsim: )?([A-Za-z0-9_.\[\]$-]+): (.*)", message.strip().splitlines()[0]
                     if message.strip() else "")
        self.path = m.group(1) if m else None
        detail = m.group(2) if m else message
        e = re.search(r"expected (.*?)(?:, found (.*))?$", detail)
        self.expected = e.group(1) if e else None
        self.found = e.group(2) if e and e.group(2) else None


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


def _scenario_file(scenario, folder: Path) -> str:
    """A path to the scenario: given as a path, a JSON text or a dict."""
    if isinstance(scenario, dict):
        text = json.dumps(scenario)
    elif isinstance(scenario, (str, os.PathLike)) and not str(scenario).lstrip().startswith("{"):
        if not Path(scenario).exists():
            raise FileNotFoundError(f"no scenario file {scenario}")
        return str(scenario)
    else:
        text = str(scenario)
    path = folder / "scenario.json"
    path.write_text(text)
    return str(path)


def _value(v) -> str:
    return v if isinstance(v, str) and not v.lstrip().startswith(("{", "[")) else json.dumps(v)


def _call(args, quiet_errors=False):
    """Runs the program; Ctrl-C stops it and raises KeyboardInterrupt (no half-written file is
    kept: the simulator removes its partial output when interrupted)."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        proc.wait()
        raise
    return proc.returncode, out, err


def run(scenario, seed=None, replications=None, set=None, detail=None, threads=None, output=None,
        binary_path=None, force=False):
    """Runs `scenario` (a path, a JSON text or a dict) and returns its Results, as `load()` does.
    `set`: {"tasks.count": 200, "incentive.beta": -1, ...} overrides (values are JSON), also a
    `sweep` block. `output`: where to keep the HDF5 file (None: a temporary file, removed with the
    Results). Raises ScenarioError when the simulator refuses the scenario."""
    tmp = tempfile.TemporaryDirectory(prefix="crowdsim-")
    folder = Path(tmp.name)
    out = Path(output) if output is not None else folder / "out.h5"
    args = [binary(binary_path), "run", _scenario_file(scenario, folder), "-o", str(out), "--quiet"]
    for flag, v in (("--seed", seed), ("--replications", replications), ("--detail", detail),
                    ("--threads", threads)):
        if v is not None:
            args += [flag, str(v)]
    for key, v in (set or {}).items():
        args += ["--set", f"{key}={_value(v)}"]
    if force:
        args.append("--force")
    code, _, err = _call(args)
    if code != 0:
        tmp.cleanup()
        raise ScenarioError(err.strip() or f"crowdsim exited with status {code}")
    results = load(out)
    results._keep_alive = tmp  # the temporary file lives as long as the results
    return results


def validate(scenario, binary_path=None) -> None:
    """Checks a scenario (path, JSON text or dict) as `crowdsim validate` does; raises ScenarioError
    (with .path, .expected, .found) at the first error."""
    with tempfile.TemporaryDirectory(prefix="crowdsim-") as d:
        code, _, err = _call([binary(binary_path), "validate", _scenario_file(scenario, Path(d))])
    if code != 0:
        raise ScenarioError(err.strip())


def list_models(kind=None, binary_path=None) -> dict:
    """{kind: {name: one-line description}} of the registered models (`crowdsim list`)."""
    code, out, err = _call([binary(binary_path), "list"] + (["--kind", kind] if kind else []))
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
    return models


def summarize(results, kpis=None) -> pd.DataFrame:
    """One row per group and KPI: n, runs, mean and the 95% interval of the mean with its method,
    grouped as `crowdsim summarize` and the plots group them (policies and swept parameters)."""
    from .plots.comparison import grouped

    s = results.summary
    wanted = [kpis] if isinstance(kpis, str) else list(kpis or kpi_names(s.columns))
    rows = []
    for g in grouped(s, wanted):
        for k in wanted:
            st = g.stats[k]
            rows.append({"group": g.label, "kpi": k, "unit": kpi(k).unit, "n": st.n, "runs": st.total,
                         "mean": st.mean, "ci_low": st.low, "ci_high": st.high, "ci_method": method(kpi(k).kind)})
    return pd.DataFrame(rows)
