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


def test_compare_bars_with_intervals(sweep_file):
    results = load(sweep_file)
    fig = plot_module().compare(results, kpis="accuracy,total_cost")
    assert len(fig.axes) == 2
    for ax, kpi in zip(fig.axes, ("accuracy", "total_cost")):
        bars = ax.patches
        assert len(bars) == 4  # one per sweep point
        assert kpi.split("_")[0] in ax.get_xlabel()
        # Each bar is the mean of its group's three runs.
        expected = sorted(results.summary.groupby("point")[kpi].mean())
        assert sorted(b.get_width() for b in bars) == pytest.approx(expected)
        assert len(ax.lines) + len(ax.collections) > 0  # error bars drawn
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "assignment=fifo, beta=-1.0" in labels or "assignment=fifo, beta=-1" in labels


def test_sweep_lines_and_heatmap(sweep_file):
    results = load(sweep_file)
    fig = plot_module().sweep(results, x="incentive.beta", kpi="total_cost", by="assignment.policy")
    ax = fig.axes[0]
    assert len(ax.get_legend().get_texts()) == 2  # one line per policy
    assert ax.get_xlabel() == "incentive.beta" and "currency" in ax.get_ylabel()
    lines = [c.lines[0] for c in ax.containers]  # the data line of each errorbar
    assert len(lines) == 2 and all(list(l.get_xdata()) == [-1.0, 0.5] for l in lines)
    # Cost rises with beta: the reward k r exp(beta p) grows with beta.
    assert all(l.get_ydata()[1] > l.get_ydata()[0] for l in lines)
    heat = plot_module().sweep(results, x="incentive.beta", y="assignment.policy", kpi="accuracy")
    image = heat.axes[0].images[0].get_array()
    assert image.shape == (2, 2)
    with pytest.raises(ValueError, match="no swept parameter"):
        plot_module().sweep(results, x="tasks.bounty", kpi="accuracy")


def test_pareto_front(sweep_file):
    results = load(sweep_file)
    fig = plot_module().pareto(results)
    ax = fig.axes[0]
    front = [l for l in ax.lines if l.get_label() == "Pareto front"]
    assert len(front) == 1 and len(front[0].get_xdata()) >= 1
    assert "cost" in ax.get_xlabel() and "accuracy" in ax.get_ylabel()
    # The front is exactly the group means that no other group beats on both cost and accuracy.
    import plots_compare
    points = [(g[1]["total_cost"][0], g[1]["accuracy"][0]) for g in plots_compare.grouped(results.summary, ["total_cost", "accuracy"])]
    beaten = lambda p: any(q[0] <= p[0] and q[1] >= p[1] and q != p for q in points)
    expected = sorted(p for p in points if not beaten(p))
    assert list(zip(front[0].get_xdata(), front[0].get_ydata())) == pytest.approx(expected)
    assert len(expected) < len(points)  # the sweep has dominated points: the test can tell


def test_report_is_one_self_contained_page(sweep_file, tmp_path):
    out = tmp_path / "report.html"
    subprocess.run([str(SCRIPT), "report", str(sweep_file), "-o", str(out)], check=True)
    page = out.read_text()
    assert page.count("data:image/png;base64,") == 6  # trajectory, workers, compare, pareto, 2 sweeps
    assert page.count("<tr>") == 1 + 4  # header + one row per group
    assert 'src="http' not in page and "<link" not in page  # nothing fetched from elsewhere
    assert "95% confidence interval" in page


def test_group_labels_leave_out_parameters_a_group_does_not_set():
    import pandas as pd
    plot_module()  # puts analysis/ on the path
    import plots_compare
    summary = pd.DataFrame({"param.assignment.policy": ["random", "hungarian"],
                            "param.assignment.interval": [float("nan"), "30s"], "accuracy": [0.8, 0.9]})
    labels = [g[0] for g in plots_compare.grouped(summary, ["accuracy"])]
    assert labels == ["assignment=random", "assignment=hungarian, interval=30s"]
