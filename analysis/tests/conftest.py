"""Fixtures: small files made by the real simulator, and copies altered with h5py."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("CROWDSIM_BIN", REPO / "build" / "crowdsim"))


def run_sim(out: Path, *args: str) -> Path:
    """Runs the simulator; fails (never skips) if it is not built: `make test` builds it first."""
    assert BINARY.exists(), f"{BINARY} is missing: build it first (make build)"
    subprocess.run([str(BINARY), "run", str(REPO / "scenarios" / "demo.json"), "-o", str(out),
                    "--set", "tasks.count=200", "--quiet", *args], check=True)
    return out


@pytest.fixture(scope="session")
def sim_file(tmp_path_factory) -> Path:
    """One run of the demo scenario, 200 tasks, full detail."""
    return run_sim(tmp_path_factory.mktemp("sim") / "demo.h5")


@pytest.fixture(scope="session")
def sim_file_3runs(tmp_path_factory) -> Path:
    """Three replications of the demo scenario."""
    return run_sim(tmp_path_factory.mktemp("sim") / "demo3.h5", "--replications", "3")


@pytest.fixture
def altered(tmp_path, sim_file):
    """A copy of sim_file whose root attribute `name` is set to `value`."""
    import h5py

    def make(name, value):
        path = tmp_path / "altered.h5"
        shutil.copy(sim_file, path)
        with h5py.File(path, "r+") as f:
            f.attrs[name] = value
        return path
    return make


@pytest.fixture(scope="session")
def sweep_file(tmp_path_factory) -> Path:
    """The demo at 2 x 2 sweep points (beta x assignment policy), 3 replications each."""
    return run_sim(tmp_path_factory.mktemp("sim") / "sweep.h5", "--replications", "3", "--set",
                   'sweep={"grid": {"incentive.beta": [-1, 0.5], "assignment.policy": ["fifo", "random"]}}')


@pytest.fixture(scope="session")
def sweep_report(sweep_file, tmp_path_factory) -> Path:
    """`crowdsim-plot report` of sweep_file, written once for the tests that read it."""
    from crowdsim import load
    from crowdsim.report import report
    path = tmp_path_factory.mktemp("report") / "report.html"
    report(load(sweep_file), path)
    return path
