"""crowdsim-plot: each plot is checked for content, and the command for its files and errors."""
import importlib.machinery
import importlib.util
import subprocess
from pathlib import Path

import pytest

from crowdsim import load

pytestmark = pytest.mark.sim
SCRIPT = Path(__file__).resolve().parents[1] / "crowdsim-plot"


def plot_module():
    loader = importlib.machinery.SourceFileLoader("crowdsim_plot", str(SCRIPT))
    spec = importlib.util.spec_from_loader("crowdsim_plot", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_trajectory_content(sim_file_3runs):
    fig = plot_module().trajectory(load(sim_file_3runs))
    axes = fig.axes
    assert len(axes) == 4
    # Two series per panel but cost; three runs each.
    assert [len(ax.lines) for ax in axes] == [6, 6, 3, 6]
    for ax in axes:
        assert ax.get_ylabel()
        assert all(len(line.get_xdata()) > 2 for line in ax.lines)
    assert axes[2].get_xlabel() == "time (hours)"
    assert "currency" in axes[2].get_ylabel()
    assert "demo" in fig._suptitle.get_text()


def test_trajectory_one_run(sim_file_3runs):
    fig = plot_module().trajectory(load(sim_file_3runs), run=1)
    assert [len(ax.lines) for ax in fig.axes] == [2, 2, 1, 2]


def test_workers_histogram(sim_file):
    results = load(sim_file)
    fig = plot_module().workers(results)
    ax = fig.axes[0]
    counts = sum(p.get_height() for p in ax.patches)
    assert counts == (results.workers["busy_time"] > 0).sum()
    assert "per hour" in ax.get_xlabel() and "/h" in ax.get_xlabel()


def test_command_writes_png_and_svg(sim_file, tmp_path):
    for name in ("t.png", "t.svg"):
        out = tmp_path / name
        subprocess.run([str(SCRIPT), "trajectory", str(sim_file), "-o", str(out)], check=True)
        assert out.stat().st_size > 10_000


def test_command_errors_exit_2(tmp_path):
    r = subprocess.run([str(SCRIPT), "trajectory", str(tmp_path / "none.h5"), "-o", str(tmp_path / "x.png")],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "no file" in r.stderr
