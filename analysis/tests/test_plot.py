"""crowdsim-plot: each plot is checked for content, and the command for its files and errors."""
import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crowdsim import Results, load

from crowdsim import plots
from crowdsim.plots import comparison as plots_compare
from crowdsim import stats
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
    # two series per panel but cost (assignments in progress, equal to busy workers in the demo,
    # drawn once: in the workers panel); three runs each
    assert [len(ax.lines) for ax in axes] == [3, 6, 3, 6]
    assert axes[2].get_xlabel() == "time [h]" and "currency" in axes[2].get_ylabel()
    assert "demo" in fig._suptitle.get_text() and "3 runs" in fig._suptitle.get_text()
    assert min(tick_sizes(fig)) >= 10
    assert [len(ax.lines) for ax in plots.trajectory(load(sim_file_3runs), run=1).axes] == [1, 2, 1, 2]


@pytest.mark.sim
def test_trajectory_and_workers_split_by_group(sweep_file):
    results = load(sweep_file)
    fig = plots.trajectory(results)
    assert [len(ax.lines) for ax in fig.axes] == [4, 4, 4, 4]  # one line per sweep point
    legend = fig.legends[0]
    assert legend.get_title().get_text() == "assignment, beta"
    assert sorted(t.get_text() for t in legend.get_texts()) == sorted(  # crowdsim summarize's labels
        f"{p}, incentive.beta={b}" for p in ("fifo", "random") for b in ("-1", "0.5"))
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
    assert "fifo, incentive.beta=-1" in labels
    assert min(tick_sizes(fig)) >= 10


@pytest.mark.sim
def test_diff_plots_paired_differences_from_the_baseline(sweep_file):
    results = load(sweep_file)
    fig = plots.diff(results, kpis="accuracy,total_cost", baseline="assignment=fifo, beta=-1")
    s = results.summary
    base = s[(s["param.assignment.policy"] == "fifo") & (s["param.incentive.beta"] == -1)].set_index("replication")
    other = s[(s["param.assignment.policy"] == "random") & (s["param.incentive.beta"] == 0.5)].set_index("replication")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 3 and "fifo, incentive.beta=-1" not in labels
    # a baseline written column=value (above) and as crowdsim summarize labels it are the same group
    again = plots.diff(results, kpis="accuracy,total_cost", baseline="fifo, incentive.beta=-1")
    assert [t.get_text() for t in again.axes[0].get_yticklabels()] == labels
    ax = fig.axes[1]
    at = labels.index("random, incentive.beta=0.5")
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
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.1", "0.2281"]
    s = results.summary
    means = s.groupby(["param.tasks.bounty", "param.incentive.beta"])["accuracy"].mean()
    texts = {(t.get_position()[0], t.get_position()[1]): t.get_text() for t in ax.texts}
    assert len(texts) == 6
    assert texts[(4.0, 0.1)] == f"{means[(0.1, 4.0)]:.3g}"
    assert ax.get_xlabel() == "incentive β" and ax.get_ylabel() == "bounty k [currency]"


@pytest.mark.sim
def test_pareto_says_when_every_group_has_the_same_cost():
    results = synthetic({"assignment.policy": ["a", "b", "c"]})
    results.summary["total_cost"] = 600.0  # fixed pay: the same bill for every policy
    caption = caption_text(plots.pareto(results))
    assert "Every group has the same total cost: the front is only the best accuracy" in caption
    assert "Every group has the same" not in caption_text(plots.pareto(synthetic({"assignment.policy": ["a", "b"]})))


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
        "random", "hungarian, assignment.interval=30s"]


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


# Each point of a sweep is one group; the diff's colours are summarize's stars; heatmap labels
# and numbers fit; the optimum is marked; the trajectory says what it draws, once.

@pytest.mark.sim
def test_sweep_without_by_draws_a_line_per_value_of_the_other_parameter(sweep_file):
    # beta x assignment policy: the accuracy at a beta is never a mean over fifo and random.
    results = load(sweep_file)
    s = results.summary
    fig = plots.sweep(results, x="incentive.beta", kpi="accuracy")
    ax = fig.axes[0]
    assert ax.get_legend().get_title().get_text() == "assignment"
    lines = {t.get_text(): c.lines[0] for t, c in zip(ax.get_legend().get_texts(), ax.containers)}
    assert sorted(lines) == ["fifo", "random"]
    for policy, line in lines.items():
        means = s[s["param.assignment.policy"] == policy].groupby("param.incentive.beta")["accuracy"].mean()
        assert list(line.get_xdata()) == [-1.0, 0.5] and list(line.get_ydata()) == pytest.approx(list(means))
    caption = caption_text(fig)
    assert "means over 3 replications per group" in caption and "One line per assignment" in caption
    assert "by assignment" in fig._suptitle.get_text()
    by = plots.sweep(results, x="incentive.beta", kpi="accuracy", by="assignment.policy")  # --by: the same lines
    assert [list(c.lines[0].get_ydata()) for c in by.axes[0].containers] == [list(v.get_ydata()) for v in lines.values()]
    assert by.axes[0].get_legend().get_title().get_text() == "assignment"


def test_sweep_by_one_parameter_splits_by_the_others_that_vary_too():
    results = synthetic({"incentive.beta": [0.0, 1.0], "workers.behavior.model": ["sampled", "strategic"],
                         "tasks.bounty": [0.1, 0.2]})
    fig = plots.sweep(results, x="incentive.beta", kpi="total_cost", by="workers.behavior.model")
    ax = fig.axes[0]
    assert ax.get_legend().get_title().get_text() == "model, bounty"
    s = results.summary
    expected = sorted(tuple(part.groupby("param.incentive.beta")["total_cost"].mean())
                      for _, part in s.groupby(["param.workers.behavior.model", "param.tasks.bounty"]))
    drawn = sorted(tuple(c.lines[0].get_ydata()) for c in ax.containers)
    assert len(drawn) == 4 and np.allclose(drawn, expected)


def two_policies_against_a_baseline():
    """Summary of groups base, b, c (assignment policy), 5 replications, KPIs accuracy and
    total_cost, with these paired differences from base: b's accuracy has p = 0.031 on its own
    (its interval excludes 0), but 0.093 once Holm-corrected over the 4 comparisons; c's cost
    differs by ~50 with p < 1e-6."""
    diffs = {"b": {"accuracy": [0.02, 0.008, 0.015, 0.0, 0.012], "total_cost": [1.0, -1.0, 0.5, -0.5, 0.2]},
             "c": {"accuracy": [0.01, -0.01, 0.005, -0.004, 0.0], "total_cost": [50.0, 52.0, 49.0, 51.0, 50.0]}}
    base = {"accuracy": [0.80, 0.82, 0.79, 0.81, 0.78], "total_cost": [100.0, 104.0, 98.0, 101.0, 99.0]}
    rows = []
    for point, name in enumerate(["base", "b", "c"]):
        for r in range(5):
            rows.append({"run_id": len(rows), "point": point, "replication": r, "param.assignment.policy": name,
                         **{k: base[k][r] + (diffs[name][k][r] if name in diffs else 0.0) for k in base}})
    return Results(attrs={"scenario": {"name": "synthetic"}}, runs=pd.DataFrame(), summary=pd.DataFrame(rows)), diffs


def test_diff_fills_only_what_is_significant_after_holm():
    from matplotlib.colors import to_rgba
    from scipy import stats as sps
    results, diffs = two_policies_against_a_baseline()
    fig = plots.diff(results, kpis="accuracy,total_cost", baseline="base")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["b", "c"]

    def filled(ax, label):
        ys = sorted({c.lines[0].get_ydata()[0] for c in ax.containers}, reverse=True)
        point = next(c for c in ax.containers if c.lines[0].get_ydata()[0] == ys[labels.index(label)])
        return to_rgba(point.lines[0].get_markerfacecolor()) == to_rgba("C3")

    p = sps.ttest_1samp(diffs["b"]["accuracy"], 0).pvalue
    assert 0.0125 < p < 0.05  # the 95% t interval excludes 0 ...
    b = next(c for c in fig.axes[0].containers if c.lines[0].get_ydata()[0] == 1)
    assert min(b[2][0].get_segments()[0][:, 0]) > 0
    assert not filled(fig.axes[0], "b")  # ... but not Holm's p (3 p > 0.05): open, as summarize shows no star
    assert filled(fig.axes[1], "c") and not filled(fig.axes[0], "c") and not filled(fig.axes[1], "b")
    # Holm over the 3 p-values (NaN is no test): the smallest times 3, the next times 2, kept increasing.
    assert stats.holm([p, 0.5, 1e-7, math.nan]) == pytest.approx([2 * p, 0.5, 3e-7, math.nan], nan_ok=True)
    assert stats.holm([0.04, 0.03]) == [0.06, 0.06]
    caption = caption_text(fig)
    assert "p (Holm) < 0.05" in caption and "over the 4 comparisons shown" in caption


@pytest.mark.sim
def test_diff_fills_what_crowdsim_summarize_stars(sweep_file):
    import csv
    import io
    from matplotlib.colors import to_rgba
    from conftest import BINARY
    from test_summarize_agrees import runs_of
    kpis = ["accuracy", "total_cost", "latency_mean"]
    out = subprocess.run([str(BINARY), "summarize", str(sweep_file), "--csv", "--baseline", "fifo, incentive.beta=-1",
                          "--kpi", ",".join(kpis)], check=True, capture_output=True, text=True).stdout
    reader = csv.DictReader(io.StringIO(out))
    params = reader.fieldnames[reader.fieldnames.index("incentive_policy") + 1:reader.fieldnames.index("kpi")]
    rows = [r for r in reader if r["test"]]
    assert len(rows) == 9
    results = load(sweep_file)
    fig = plots.diff(results, kpis=kpis, baseline="assignment=fifo, beta=-1")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    groups = plots_compare.grouped(results.summary, kpis)
    for row in rows:
        ids = set(runs_of(results.summary, row, params)["run_id"])
        label = next(g.label for g in groups if set(g.runs["run_id"]) == ids)
        ax = fig.axes[kpis.index(row["kpi"])]
        ys = sorted({c.lines[0].get_ydata()[0] for c in ax.containers}, reverse=True)
        point = next(c for c in ax.containers if c.lines[0].get_ydata()[0] == ys[labels.index(label)])
        red = to_rgba(point.lines[0].get_markerfacecolor()) == to_rgba("C3")
        assert red == (float(row["p_holm"]) < 0.05), (label, row["kpi"], row["p_holm"])


def rendered(fig):
    """The figure drawn by Agg: its renderer, for the extents of texts as they are drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def heat_axes(fig):
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def test_heatmap_numbers_stay_inside_their_cells():
    # -1 sits near the right edge of its cell (which reaches to -1.5 and -0.875): centred on it,
    # a number would spill into the next column.
    results = synthetic({"incentive.beta": [-2.0, -1.0, -0.75, 0.0, 2.0], "tasks.bounty": [0.1, 0.5, 1.0]})
    fig = plots.sweep(results, x="incentive.beta", y="tasks.bounty", kpi="accuracy")
    renderer = rendered(fig)
    ax = heat_axes(fig)[0]
    xe = np.unique(ax.collections[0].get_coordinates()[..., 0])
    ye = np.unique(ax.collections[0].get_coordinates()[..., 1])
    assert ax.texts
    for t in ax.texts:
        x, y = t.get_position()
        j, i = np.searchsorted(xe, x) - 1, np.searchsorted(ye, y) - 1
        (x0, y0), (x1, y1) = ax.transData.transform([(xe[j], ye[i]), (xe[j + 1], ye[i + 1])])
        box = t.get_window_extent(renderer)
        assert x0 <= box.x0 and box.x1 <= x1 and y0 <= box.y0 and box.y1 <= y1, (t.get_text(), x, y)
    assert sum(1 for t in ax.texts if xe[1] < t.get_position()[0] < xe[2]) == 3  # the -1 column: mid-cell


def overlaps(ax, labels, renderer):
    """Whether neighbouring tick labels overlap as drawn: level ones by their boxes; slanted ones
    (parallel, each from its tick) when the ticks stand closer, across the slant, than a label is high."""
    if all(t.get_rotation() == 0 for t in labels):
        boxes = [t.get_window_extent(renderer) for t in labels]
        return any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))
    height = max(renderer.get_text_width_height_descent(t.get_text(), t.get_fontproperties(), False)[1]
                 for t in labels)
    at = [ax.transData.transform((x, 0))[0] for x in ax.get_xticks()]
    across = math.sin(math.radians(labels[0].get_rotation()))
    return any((b - a) * across < height for a, b in zip(at, at[1:]))


def test_heatmap_labels_every_value_that_fits():
    from crowdsim.kpis import distinct_format
    betas = [-2.0, -1.0, -0.75, -0.5, -0.25, 0.0, 0.5, 1.0, 2.0]  # as an optimize's refined grid
    results = synthetic({"incentive.beta": betas, "tasks.bounty": [0.1, 0.5, 1.0]})
    fig = plots.sweep(results, x="incentive.beta", y="tasks.bounty", kpi="accuracy,total_cost")
    renderer = rendered(fig)
    shown = distinct_format(betas)
    for ax in heat_axes(fig):
        ticks = ax.get_xticklabels()
        assert list(ax.get_xticks()) == betas and [t.get_text() for t in ticks] == [shown[b] for b in betas]
        assert not overlaps(ax, ticks, renderer)
        assert all(t.get_rotation() == 45 for t in ticks)  # slanted: level, they would overlap
        assert [t.get_text() for t in ax.get_yticklabels()] == list(distinct_format([0.1, 0.5, 1.0]).values())
    assert "without a label" not in caption_text(fig)
    wide = plots.sweep(synthetic({"incentive.beta": [0.0, 1.0, 4.0], "tasks.bounty": [0.1, 0.2]}),
                       x="incentive.beta", y="tasks.bounty", kpi="accuracy")
    assert all(t.get_rotation() == 0 and t.get_text() for t in heat_axes(wide)[0].get_xticklabels())


def test_heatmap_leaves_unlabelled_only_values_too_close_and_names_them():
    bounties = [0.05, 0.0648, 0.0797, 0.0945, 0.109, 0.3, 0.6, 1.0]
    results = synthetic({"incentive.beta": [0.0, 1.0], "tasks.bounty": bounties})
    fig = plots.sweep(results, x="incentive.beta", y="tasks.bounty", kpi="accuracy")
    renderer = rendered(fig)
    ax = heat_axes(fig)[0]
    assert list(ax.get_yticks()) == bounties  # a tick at every row
    labels = ax.get_yticklabels()
    kept = [t for t in labels if t.get_text()]
    missing = [b for b, t in zip(bounties, labels) if not t.get_text()]
    assert missing and set(missing) < {0.0648, 0.0797, 0.0945, 0.109}  # only within the cluster
    assert not overlaps(ax, kept, renderer)
    from crowdsim.kpis import distinct_format
    shown = distinct_format(bounties)
    assert f"Ticks without a label (no room): bounty = {', '.join(shown[b] for b in missing)} (bottom to top)." \
        in caption_text(fig)


@pytest.fixture(scope="module")
def optimize_file(tmp_path_factory):
    """A small `crowdsim optimize` of the shipped tune_incentives scenario, and what it printed."""
    from conftest import BINARY, REPO
    out = tmp_path_factory.mktemp("opt") / "opt.h5"
    r = subprocess.run([str(BINARY), "optimize", str(REPO / "scenarios" / "tune_incentives.json"), "-o", str(out),
                        "--quiet", "-j", "2", "--set", "tasks.count=100", "--set", "optimize.rounds=2"],
                       check=True, capture_output=True, text=True)
    return out, r.stdout


@pytest.mark.sim
def test_heatmap_of_an_optimize_marks_the_point_it_chose(optimize_file):
    import re
    path, printed = optimize_file
    point = int(re.search(r"^optimum \(point (\d+)\)", printed, re.M).group(1))
    results = load(path)
    s = results.summary
    at = s[s["point"] == point].iloc[0]
    fig = plots.sweep(results, x="incentive.beta", y="tasks.bounty", kpi="accuracy,total_cost")
    for ax in heat_axes(fig):
        stars = [line for line in ax.lines if line.get_marker() == "*"]
        assert len(stars) == 1
        assert (stars[0].get_xdata()[0], stars[0].get_ydata()[0]) == (at["param.incentive.beta"], at["param.tasks.bounty"])
    # The optimum's runs on fresh draws (the last point, seed in its params) are in the file but
    # not in the search's heatmap: the optimum's cell is the mean of the search's runs alone.
    fresh = s[s["point"] == s["point"].max()]
    assert fresh["param.seed"].notna().all() and s[s["point"] == point]["param.seed"].isna().all()
    ax = heat_axes(fig)[0]
    xs, ys = sorted(s["param.incentive.beta"].unique()), sorted(s[s["point"] != s["point"].max()]["param.tasks.bounty"].unique())
    cells = ax.collections[0].get_array().reshape(len(ys), len(xs))
    cell = cells[ys.index(at["param.tasks.bounty"]), xs.index(at["param.incentive.beta"])]
    assert cell == pytest.approx(s[s["point"] == point]["accuracy"].mean())
    assert cell != pytest.approx(pd.concat([s[s["point"] == point], fresh])["accuracy"].mean())
    caption = caption_text(fig)
    assert f"★: the optimum crowdsim optimize chose, point {point} (" in caption
    assert "latency_p95 ≤ 1800 s" in caption and "accuracy − 0.002 × total_cost" in caption
    plain = plots.sweep(synthetic({"incentive.beta": [0.0, 1.0], "tasks.bounty": [0.1, 0.2]}),
                        x="incentive.beta", y="tasks.bounty", kpi="accuracy")
    assert not [line for line in plain.axes[0].lines if line.get_marker() == "*"] and "★" not in caption_text(plain)


@pytest.mark.sim
def test_trajectory_of_one_run_says_what_each_panel_draws_and_no_series_twice(sim_file):
    results = load(sim_file)
    ts = results.timeseries
    assert (ts["in_progress"] == ts["busy_workers"]).all()  # one assignment per worker in the demo
    fig = plots.trajectory(results)
    data = [(tuple(line.get_xdata()), tuple(line.get_ydata())) for ax in fig.axes for line in ax.lines]
    assert len(set(data)) == len(data)  # no series drawn twice
    assert [[t.get_text() for t in ax.get_legend().get_texts()] for ax in fig.axes] == [
        ["open tasks"], ["online workers", "busy workers (= assignments in progress)"], ["cumulative cost"],
        ["accuracy so far", "mean quality"]]
    caption = caption_text(fig)
    assert caption.startswith("1 run. Panels: open tasks") and "drawn once" in caption
    assert "accuracy so far (correct / judged over the labelled tasks closed up to then)" in caption
    assert "mean quality so far (mean q, a submission's probability of a right answer" in caption
    # Where they differ (a worker on two assignments), both are drawn, and the caption says nothing of it.
    two = ts[ts["run_id"] == ts["run_id"].iloc[0]].assign(in_progress=lambda t: 2 * t["busy_workers"])
    other = Results(attrs=results.attrs, runs=pd.DataFrame(), summary=results.summary.iloc[:1], timeseries=two)
    fig = plots.trajectory(other)
    assert [len(ax.lines) for ax in fig.axes] == [2, 2, 1, 2] and "drawn once" not in caption_text(fig)
