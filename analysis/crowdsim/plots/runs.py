"""Plots over the runs' own tables: the trajectory in time and the workers' earnings, split by
group (policy or sweep point) when the file holds several."""
import numpy as np

from .style import PlotInputError, figure, finish, style
from .comparison import legend_title, summary_labels

# (column, label) per panel, and the panel's y label with its unit.
PANELS = [
    ([("open_tasks", "open tasks"), ("in_progress", "assignments in progress")], "count"),
    ([("online_workers", "online workers"), ("busy_workers", "busy workers")], "workers"),
    ([("cum_cost", "cumulative cost")], "cost [currency]"),
    ([("accuracy", "accuracy so far"), ("mean_quality", "mean quality")], "fraction"),
]


# What each series is, for the caption (docs/hdf5-layout.md, timeseries).
MEANING = {
    "open_tasks": "open tasks (published, not yet ended)",
    "in_progress": "assignments in progress",
    "online_workers": "workers online",
    "busy_workers": "workers busy on an assignment",
    "cum_cost": "the cost paid so far",
    "accuracy": "accuracy so far (correct / judged over the labelled tasks closed up to then)",
    "mean_quality": "mean quality so far (mean q, a submission's probability of a right answer, over the "
                    "submissions up to then)",
}


def _panels(ts):
    """PANELS, less "assignments in progress" where it equals "busy workers" at every sample
    (a worker holds one assignment at a time): one series drawn twice would look like two.
    Returns (panels, True if it was left out)."""
    same = "in_progress" in ts and "busy_workers" in ts and (ts["in_progress"] == ts["busy_workers"]).all()
    if not same:
        return PANELS, False
    return [([(c, "busy workers (= assignments in progress)" if c == "busy_workers" else label)
              for c, label in series if c != "in_progress"], unit) for series, unit in PANELS], True


def _panel_caption(panels):
    """"Panels: open tasks ...; workers online and workers busy ...; ...": what each panel draws."""
    return "Panels: " + "; ".join(" and ".join(MEANING[c] for c, _ in series) for series, _ in panels) + "."


def run_groups(results, run=None):
    """{group label: run ids} in file order, labelled as `crowdsim summarize` labels the groups."""
    s = results.summary
    if run is not None:
        if run not in set(s["run_id"]):
            raise PlotInputError(f"no run {run} in the file")
        s = s[s["run_id"] == run]
    labels = summary_labels(results.summary).loc[s.index]
    return {k: list(s["run_id"][labels == k]) for k in dict.fromkeys(labels)}


def _of_group(results, name, sep):
    """" of fifo / fixed" to name the group a plot shows; nothing when the file has only that one."""
    return "" if summary_labels(results.summary).nunique() == 1 else f"{sep}{name}"


def _plural(n, word):
    return f"{n} {word}{'s' if n != 1 else ''}"


def trajectory(results, run=None):
    """Open work, workers, cost and quality over time (hours). One group: one line per run and
    series; several groups: per panel its first series, one line per group (mean over the
    group's runs at each sample time) with a band from the lowest to the highest run."""
    ts = results.timeseries
    if ts.empty:
        raise PlotInputError("the file has no timeseries rows")
    groups = run_groups(results, run)
    fig = figure(11, 7.4)
    axes = fig.subplots(2, 2, sharex=True).ravel()
    several = len(groups) > 1
    runs = sum(len(v) for v in groups.values())
    bands = len(groups) <= 4  # more would hide each other
    ids_shown = [i for ids in groups.values() for i in ids]
    panels, merged = (PANELS, False) if several else _panels(ts[ts["run_id"].isin(ids_shown)])
    for ax, (series, ylabel) in zip(axes, panels):
        if several:
            column, label = series[0]
            for i, (name, ids) in enumerate(groups.items()):
                part = ts[ts["run_id"].isin(ids)].assign(hour=lambda t: (t["time"] / 3600.0).round(6))
                # Sample times most runs share: a run's last row (its own end) would make a spike.
                common = part.groupby("hour")["run_id"].nunique()
                part = part[part["hour"].isin(common[common * 2 >= len(ids)].index)]
                at = part.groupby("hour")[column]
                mean, lo, hi = at.mean(), at.min(), at.max()
                ax.plot(mean.index, mean.to_numpy(), color=f"C{i % 10}", lw=1.6, label=name)
                if bands:
                    ax.fill_between(mean.index, lo.to_numpy(), hi.to_numpy(), color=f"C{i % 10}", alpha=0.12, lw=0)
            ax.set_title(label, fontsize=11)
        else:
            ids = next(iter(groups.values()))
            part = ts[ts["run_id"].isin(ids)]
            for j, (column, label) in enumerate(series):
                for k, (_, one) in enumerate(part.groupby("run_id")):
                    ax.plot(one["time"] / 3600.0, one[column], color=f"C{j}", alpha=0.35 if len(ids) > 1 else 1.0,
                            lw=1.0 if len(ids) > 1 else 1.6, label=label if k == 0 else None)
            ax.legend(loc="best", fontsize=9)
        ax.set_ylabel(ylabel)
        style(ax)
    for ax in axes[2:]:
        ax.set_xlabel("time [h]")
    if several:
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, title=legend_title(results.summary), loc="center right", fontsize=9,
                   title_fontsize=10, frameon=False)
        caption = (f"{_plural(len(groups), 'group')}, {_plural(runs, 'run')}. Lines: mean over a group's runs at "
                   f"each sample time (times at least half of its runs reached)"
                   + ("; bands: lowest to highest run. " if bands else ". ")
                   + _panel_caption([(series[:1], unit) for series, unit in panels]))
        title = f"trajectory by {legend_title(results.summary)}"
    else:
        name = next(iter(groups))
        caption = (f"{_plural(runs, 'run')}" + _of_group(results, name, " of ")
                   + ("; one line per run and series. " if runs > 1 else ". ") + _panel_caption(panels)
                   + (" Assignments in progress equal workers busy at every sample (one assignment per worker "
                      "at a time): drawn once, in the workers panel." if merged else ""))
        title = "trajectory" + _of_group(results, name, " — ") + f" ({_plural(runs, 'run')})"
    finish(fig, f"{results.scenario_name}: {title}", caption, right=0.74 if several else 1)
    return fig


def workers(results, run=None):
    """Earnings per hour worked: a histogram for one group, one box per group for several."""
    w = results.workers
    if w.empty:
        raise PlotInputError("the file has no worker rows (written with detail summary?)")
    groups = run_groups(results, run)
    w = w[w["busy_time"] > 0]
    per = {name: (w[w["run_id"].isin(ids)]["earnings"] / (w[w["run_id"].isin(ids)]["busy_time"] / 3600.0)).to_numpy()
           for name, ids in groups.items()}
    per = {k: v for k, v in per.items() if len(v)}
    if not per:
        raise PlotInputError("the file has no worker with busy time")
    runs = sum(len(v) for v in groups.values())
    if len(per) == 1:
        name, values = next(iter(per.items()))
        fig = figure(7.5, 4.8)
        ax = fig.subplots()
        ax.hist(values, bins=min(40, max(5, len(values) // 3)), color="C0", edgecolor="white")
        med = float(np.median(values))
        ax.axvline(med, color="C3", ls="--", label=f"median {med:.3g} currency/h")
        ax.set_xlabel("earnings per hour worked [currency/h]")
        ax.set_ylabel("workers")
        ax.legend(fontsize=9)
        caption = (f"{len(values)} workers with busy time > 0 over {_plural(runs, 'run')}"
                   + _of_group(results, name, " of ") + "; earnings / busy time.")
        title = "earnings per hour" + _of_group(results, name, " — ")
    else:
        names = list(per)
        fig = figure(8.5, max(3.4, 0.38 * len(names) + 2.2))
        ax = fig.subplots()
        ax.boxplot([per[k] for k in names][::-1], vert=False, labels=names[::-1], showfliers=False,
                   medianprops={"color": "C3"})
        ax.set_xlabel("earnings per hour worked [currency/h]")
        ax.set_ylabel(legend_title(results.summary))
        caption = (f"One box per group over its workers with busy time > 0 ({_plural(runs, 'run')}): "
                   f"median (red), quartiles (box), 1.5 IQR (whiskers); outliers not drawn.")
        title = f"earnings per hour by {legend_title(results.summary)}"
    style(ax)
    finish(fig, f"{results.scenario_name}: {title}", caption)
    return fig
