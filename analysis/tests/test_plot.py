"""crowdsim-plot: each plot is checked for content, and the command for its files and errors."""
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crowdsim import Results, load

from crowdsim import plots
from crowdsim.plots import comparison as plots_compare
from crowdsim.plots.style import caption_text

SCRIPT = Path(__file__).resolve().parents[1] / "crowdsim-plot"


def synthetic(params, reps=3, seed=1):
    """Results with only a summary: every combination of `params` ({column: values}), `reps` runs each."""
    rng = np.random.default_rng(seed)
    rows = []
    for point, combo in enumerate(pd.MultiIndex.from_product(list(params.values()))):
        for r in range(reps):
            rows.append({"run_id": len(rows), "point": point, "replication": r,
                         **{f"param.{k}": v for k, v in zip(params, combo)},
                         "accuracy": 0.5 + 0.1 * point % 0.4 + rng.normal(0, 0.01),
                         "total_cost": 100.0 * (point + 1) + rng.normal(0, 1)})
    return Results(attrs={"scenario": {"name": "synthetic"}}, runs=pd.DataFrame(), summary=pd.DataFrame(rows))


def tick_sizes(fig):
    return [t.get_fontsize() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]


@pytest.mark.sim
def test_trajectory_of_one_group_has_a_line_per_run(sim_file_3runs):
    fig = plots.trajectory(load(sim_file_3runs))
    axes = fig.axes
    assert len(axes) == 4
    assert [len(ax.lines) for ax in axes] == [6, 6, 3, 6]  # two series per panel but cost; three runs each
    assert axes[2].get_xlabel() == "time [h]" and "currency" in axes[2].get_ylabel()
    assert "demo" in fig._suptitle.get_text() and "3 runs" in fig._suptitle.get_text()
    assert min(tick_sizes(fig)) >= 10
    assert [len(ax.lines) for ax in plots.trajectory(load(sim_file_3runs), run=1).axes] == [2, 2, 1, 2]


@pytest.mark.sim
def test_trajectory_and_workers_split_by_group(sweep_file):
    results = load(sweep_file)
    fig = plots.trajectory(results)
    assert [len(ax.lines) for ax in fig.axes] == [4, 4, 4, 4]  # one line per sweep point
    legend = fig.legends[0]
    assert legend.get_title().get_text() == "assignment, beta"
    assert sorted(t.get_text() for t in legend.get_texts()) == sorted(
        f"assignment={p}, beta={b}" for p in ("fifo", "random") for b in ("-1", "0.5"))
    assert "fifo" not in fig._suptitle.get_text() and "random" not in fig._suptitle.get_text()
    box = plots.workers(results)
    assert len(box.axes[0].get_yticklabels()) == 4  # one box per group


@pytest.mark.sim
def test_workers_histogram(sim_file):
    results = load(sim_file)
    ax = plots.workers(results).axes[0]
    assert sum(p.get_height() for p in ax.patches) == (results.workers["busy_time"] > 0).sum()
    assert ax.get_xlabel() == "earnings per hour worked [currency/h]"


@pytest.mark.sim
def test_compare_points_with_intervals_and_captions(sweep_file):
    results = load(sweep_file)
    fig = plots.compare(results, kpis="accuracy,total_cost")
    assert len(fig.axes) == 2
    means = results.summary.groupby("point")[["accuracy", "total_cost"]].mean()
    for ax, k in zip(fig.axes, ("accuracy", "total_cost")):
        xs = sorted(c.lines[0].get_xdata()[0] for c in ax.containers)
        assert xs == pytest.approx(sorted(means[k]))
        assert all(c.has_xerr for c in ax.containers)
    assert fig.axes[0].get_xlabel() == "accuracy [fraction]"
    assert fig.axes[0].get_xlim()[0] > 0.3  # the accuracy axis starts near the data, not at 0
    caption = caption_text(fig)
    assert "error bars: 95% confidence intervals" in caption and "over 3 replications" in caption
    assert "logit-scale t for accuracy" in caption and "log-scale t for total cost" in caption
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "assignment=fifo, beta=-1" in labels
    assert min(tick_sizes(fig)) >= 10


@pytest.mark.sim
def test_diff_plots_paired_differences_from_the_baseline(sweep_file):
    results = load(sweep_file)
    fig = plots.diff(results, kpis="accuracy,total_cost", baseline="assignment=fifo, beta=-1")
    s = results.summary
    base = s[(s["param.assignment.policy"] == "fifo") & (s["param.incentive.beta"] == -1)].set_index("replication")
    other = s[(s["param.assignment.policy"] == "random") & (s["param.incentive.beta"] == 0.5)].set_index("replication")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 3 and "assignment=fifo, beta=-1" not in labels
    ax = fig.axes[1]
    at = labels.index("assignment=random, beta=0.5")
    ys = sorted({c.lines[0].get_ydata()[0] for c in ax.containers}, reverse=True)
    point = next(c for c in ax.containers if c.lines[0].get_ydata()[0] == ys[at])
    assert point.lines[0].get_xdata()[0] == pytest.approx((other["total_cost"] - base["total_cost"]).mean())
    assert ax.get_xlabel() == "Δ total cost [currency]"
    with pytest.raises(ValueError, match="no group 'ucb'"):
        plots.diff(results, baseline="ucb")
    with pytest.raises(ValueError, match="'random' is in several groups"):
        plots.diff(results, baseline="random")


@pytest.mark.sim
def test_sweep_draws_one_panel_per_kpi(sweep_file):
    results = load(sweep_file)
    fig = plots.sweep(results, x="incentive.beta", kpi="duration_mean,total_cost", by="assignment.policy")
    assert len(fig.axes) == 2
    assert [ax.get_ylabel() for ax in fig.axes] == ["work duration (mean) [s]", "total cost [currency]"]
    assert fig.axes[-1].get_xlabel() == "incentive β"
    assert fig.axes[0].get_legend().get_title().get_text() == "assignment"
    lines = [c.lines[0] for c in fig.axes[1].containers]
    assert len(lines) == 2 and all(list(line.get_xdata()) == [-1.0, 0.5] for line in lines)
    assert all(line.get_ydata()[1] > line.get_ydata()[0] for line in lines)  # the reward grows with beta
    with pytest.raises(ValueError, match="no swept parameter"):
        plots.sweep(results, x="tasks.bounty", kpi="accuracy")


def test_heatmap_on_the_values_with_numbers_in_the_cells():
    results = synthetic({"incentive.beta": [0.0, 1.0, 4.0], "tasks.bounty": [0.1, 0.22812499999999997]})
    fig = plots.sweep(results, x="incentive.beta", y="tasks.bounty", kpi="accuracy")
    ax = fig.axes[0]
    mesh = ax.collections[0]
    xs = np.unique(mesh.get_coordinates()[..., 0])
    assert list(xs) == pytest.approx([-0.5, 0.5, 2.5, 5.5])  # cells around the uneven values
    assert list(ax.get_xticks()) == [0.0, 1.0, 4.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.1", "0.23"]
    s = results.summary
    means = s.groupby(["param.tasks.bounty", "param.incentive.beta"])["accuracy"].mean()
    texts = {(t.get_position()[0], t.get_position()[1]): t.get_text() for t in ax.texts}
    assert len(texts) == 6
    assert texts[(4.0, 0.1)] == f"{means[(0.1, 4.0)]:.3g}"
    assert ax.get_xlabel() == "incentive β" and ax.get_ylabel() == "bounty k [currency]"


@pytest.mark.sim
def test_pareto_axes_by_flag_and_legend_beside(sweep_file):
    results = load(sweep_file)
    fig = plots.pareto(results, x="latency_mean", y="accuracy")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "latency (mean) [s]" and ax.get_ylabel() == "accuracy [fraction]"
    front = [line for line in ax.lines if line.get_label() == "Pareto front"][0]
    pts = [(g.stats["latency_mean"].mean, g.stats["accuracy"].mean)
           for g in plots_compare.grouped(results.summary, ["latency_mean", "accuracy"])]
    beaten = lambda p: any(q[0] <= p[0] and q[1] >= p[1] and q != p for q in pts)  # lower latency is better
    assert list(zip(front.get_xdata(), front.get_ydata())) == pytest.approx(sorted(p for p in pts if not beaten(p)))
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "assignment, beta"
    fig.canvas.draw()
    assert legend.get_window_extent().x0 > ax.get_window_extent().x1  # beside the axes: covers no bar


def test_group_labels_leave_out_parameters_a_group_does_not_set():
    summary = pd.DataFrame({"param.assignment.policy": ["random", "hungarian"],
                            "param.assignment.interval": [float("nan"), "30s"], "accuracy": [0.8, 0.9]})
    assert [g.label for g in plots_compare.grouped(summary, ["accuracy"])] == [
        "assignment=random", "assignment=hungarian, interval=30s"]


def test_caption_gives_n_where_runs_have_no_value():
    results = synthetic({"tasks.bounty": [0.05, 0.5]})
    results.summary.loc[results.summary["run_id"] == 0, "accuracy"] = float("nan")  # closed no task
    caption = caption_text(plots.compare(results, kpis="accuracy,total_cost"))
    assert "over 3 replications" in caption and "accuracy n=2." in caption and "total cost n=" not in caption


@pytest.mark.sim
def test_every_kind_reads_as_a_figure(sweep_file):
    """Ticks of at least 10 pt, a label on every axis, a caption, a title, for every kind."""
    m, results = plots, load(sweep_file)
    figures = {"trajectory": m.trajectory(results), "workers": m.workers(results),
               "compare": m.compare(results), "diff": m.diff(results), "pareto": m.pareto(results),
               "sweep": m.sweep(results, x="incentive.beta", kpi="accuracy,total_cost", by="assignment.policy"),
               "heatmap": m.sweep(results, x="incentive.beta", y="assignment.policy", kpi="accuracy")}
    for kind, fig in figures.items():
        assert min(tick_sizes(fig)) >= 10, kind
        axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
        assert all(ax.get_xlabel() or ax.get_ylabel() for ax in axes), kind
        assert any(ax.get_xlabel() for ax in axes) and any(ax.get_ylabel() for ax in axes), kind
        assert fig._suptitle.get_text().startswith("demo: ") and caption_text(fig), kind
