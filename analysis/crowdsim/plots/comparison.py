"""Plots across groups of runs: policy comparisons, paired differences from a baseline, and a
Pareto front between two KPIs.

Runs are grouped by the policies and swept parameters that differ between them; each group
shows the mean over its replications with a 95% confidence interval whose method depends on the
KPI's kind (stats.py: logit-scale t for proportions, log-scale t for positive quantities,
Student t otherwise)."""
from collections import namedtuple
import json
import math

import numpy as np
import pandas as pd

from .style import PlotInputError, figure, finish, style
from ..kpis import axis_label, distinct_format, kpi, param_short
from ..stats import differences, errors, holm, kpi_interval, method, p_paired, p_welch, paired_difference

DEFAULT_KPIS = ["accuracy", "total_cost", "latency_mean", "utilization"]
Group = namedtuple("Group", "label stats n runs")
__all__ = ["PlotInputError", "DEFAULT_KPIS", "grouped", "group_columns", "summary_labels", "compare", "diff", "pareto"]


def group_columns(summary):
    """The columns that tell groups apart: policies that vary (unless swept), then swept parameters."""
    params = [c for c in summary.columns if c.startswith("param.")]
    cols = [c for c in ("assignment_policy", "incentive_policy")
            if c in summary and summary[c].nunique() > 1 and f"param.{c.replace('_', '.')}" not in params]
    return cols + params


def legend_title(summary):
    """"assignment, interval": what the group labels are made of."""
    return ", ".join(param_short(c) for c in group_columns(summary)) or "group"


def _missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def group_labels(summary, cols):
    """One label per row: "assignment=ucb, interval=30s", numbers with the fewest significant
    digits that tell the column's values apart, leaving out parameters a group does not set
    (a sweep over policies with their own options leaves them NaN elsewhere)."""
    shown = {c: distinct_format(list(summary[c])) for c in cols}

    def one(row):
        if len(cols) == 1:
            return shown[cols[0]][row[cols[0]]]
        parts = [f"{param_short(c)}={shown[c][row[c]]}" for c in cols if not _missing(row[c])]
        return ", ".join(parts) or "defaults"
    return summary[cols].apply(one, axis=1)


def _is_number(v):
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _json_text(v):
    """A parameter's value that is not a number, as `crowdsim summarize` writes it: a string as
    it is, anything else as compact JSON (true, [1,2])."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    return json.dumps(v.item() if isinstance(v, np.generic) else v, separators=(",", ":"), ensure_ascii=False)


def _same_value(v):
    """What tells two values apart (JSON's: 3 and "3" differ); None when missing."""
    if _missing(v):
        return None
    return ("number", float(v)) if _is_number(v) else ("text", _json_text(v))


def _params_json(params):
    """A group's parameters as its runs' `params` attribute has them, {"path":value} (numbers
    that are whole as integers: a column with a missing value holds 5 as 5.0)."""
    def plain(v):
        v = v.item() if isinstance(v, np.generic) else v
        return int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else v
    return json.dumps({k: plain(v) for k, v in sorted(params.items())}, separators=(",", ":"), ensure_ascii=False)


def summary_labels(summary):
    """Each row's group label, the text `crowdsim summarize` gives the same group
    (experiment/summarize.cpp, label_groups). A group is the runs with the same policies and
    parameters (the `param.*` columns). Its label names what differs between the groups: the
    assignment then the incentive policy when they vary, then each parameter that varies, as
    `path=value` in the order of the paths, numbers with the fewest digits that tell its values
    apart (a group that does not set a parameter leaves it out). When a label comes out empty or
    the same as another's, every group is named by its policies, "fifo / fixed" (so is the one
    group of a file whose runs do not differ), and, if still not unique, by its policies and
    parameters as JSON: `{"path":value}` as a sweep writes them (a point that overrides a whole
    object, {"incentive": {...}}, is written flat here, which crowdsim summarize does not)."""
    params = [c for c in summary.columns if c.startswith("param.")]
    rows = summary[[c for c in ("assignment_policy", "incentive_policy") if c in summary] + params].to_dict("records")

    def policy(row, kind):
        if f"{kind}_policy" in summary:
            return str(row[f"{kind}_policy"])
        v = row.get(f"param.{kind}.policy")  # a frame without the runs' attributes
        return "" if _missing(v) else str(v)

    keys, groups = [], {}
    for row in rows:
        values = {c[len("param."):]: row[c] for c in params if not _missing(row[c])}
        key = (policy(row, "assignment"), policy(row, "incentive"),
               tuple(sorted((k, _same_value(v)) for k, v in values.items())))
        keys.append(key)
        groups.setdefault(key, values)
    order = list(groups)
    names = sorted({k for values in groups.values() for k in values} - {"assignment.policy", "incentive.policy"})
    labels = {key: [] for key in order}
    for i, kind in enumerate(("assignment", "incentive")):
        if len({key[i] for key in order}) > 1:
            for key in order:
                labels[key].append(key[i])
    for name in names:
        values = [groups[key].get(name) for key in order]
        if len({_same_value(v) for v in values}) < 2:
            continue
        shown = distinct_format([v for v in values if not _missing(v) and _is_number(v)], max_digits=17)
        for key, v in zip(order, values):
            if not _missing(v):
                labels[key].append(f"{name}={shown[v] if _is_number(v) else _json_text(v)}")
    text = {key: ", ".join(parts) for key, parts in labels.items()}
    if "" in text.values() or len(set(text.values())) < len(text):
        text = {key: f"{key[0]} / {key[1]}" for key in order}
    if len(set(text.values())) < len(text):
        for key in order:
            text[key] = f"{key[0]} / {key[1]}" + (f" {_params_json(groups[key])}" if groups[key] else "")
    return pd.Series([text[key] for key in keys], index=summary.index, dtype=object)


def grouped(summary, kpis):
    """[Group(label, {kpi: Stat}, runs in the group, its rows)] in file order, labelled as
    `crowdsim summarize` labels them (summary_labels). Sweep points with the same parameters are
    the same runs (same seed, same replication): a group keeps the first run of each
    replication, as `crowdsim summarize` does, not copies that would add no spread."""
    labels = summary_labels(summary)
    parts = [(k, summary[labels == k]) for k in dict.fromkeys(labels)]
    if "replication" in summary:
        parts = [(name, part[~part["replication"].duplicated()]) for name, part in parts]
    return [Group(name, {k: kpi_interval(part[k], k) for k in kpis}, len(part), part) for name, part in parts]


def wanted_kpis(summary, kpis, default=None):
    wanted = [k.strip() for k in kpis.split(",")] if isinstance(kpis, str) else list(kpis or default or DEFAULT_KPIS)
    missing = [k for k in wanted if k not in summary]
    if missing:
        raise PlotInputError(f"no KPI {', '.join(missing)} in the file")
    return wanted


def ci_caption(kpis, groups, what="Points"):
    """"Points: means over 10 replications per group; error bars: 95% confidence intervals of the
    mean (logit-scale t for accuracy; log-scale t for total_cost)." with n per KPI when it differs."""
    ns = sorted({g.n for g in groups})
    reps = "/".join(map(str, ns))
    by_method = {}
    for k in kpis:
        by_method.setdefault(method(kpi(k).kind), []).append(kpi(k).label)
    methods = "; ".join(f"{m} for {', '.join(names)}" for m, names in by_method.items())
    fewer = {}
    for k in kpis:
        ns_k = sorted({g.stats[k].n for g in groups if k in g.stats and g.stats[k].n < g.n})
        if ns_k:
            fewer[kpi(k).label] = ns_k
    note = ("" if not fewer else " Fewer runs with a value (NaN left out) in some groups: "
            + "; ".join(f"{name} n={', '.join(map(str, ns_k))}" for name, ns_k in fewer.items()) + ".")
    return (f"{what}: means over {reps} replications per group; error bars: 95% confidence intervals "
            f"of the mean over the replications ({methods}).{note}")


def compare(results, kpis=None):
    """One panel per KPI, one point per group with its 95% interval (the axis starts where the
    data do: 0.86 and 0.91 look different)."""
    s = results.summary
    wanted = wanted_kpis(s, kpis)
    groups = grouped(s, wanted)
    height = max(3.2, 0.32 * len(groups) + 2.2)
    fig = figure(min(3.0 * len(wanted) + 2.6, 16), height)
    axes = fig.subplots(1, len(wanted), sharey=True, squeeze=False)[0]
    ys = np.arange(len(groups))[::-1]  # first group on top
    for j, (ax, k) in enumerate(zip(axes, wanted)):
        for i, (y, g) in enumerate(zip(ys, groups)):
            st = g.stats[k]
            ax.errorbar([st.mean], [y], xerr=np.array(errors(st)).reshape(2, 1), fmt="o", capsize=3,
                        color=f"C{i % 10}", ms=6)
        ax.set_xlabel(axis_label(k))
        style(ax)
        ax.margins(x=0.15)
        if j == 0:
            ax.set_yticks(ys)
            ax.set_yticklabels([g.label for g in groups])
            ax.set_ylabel(legend_title(s))
    finish(fig, f"{results.scenario_name}: {len(groups)} groups compared", ci_caption(wanted, groups))
    return fig


def _label_values(label):
    """The values a group label names, in order: "assignment=hungarian, interval=30s" and
    `crowdsim summarize`'s "hungarian, assignment.interval=30s" both give hungarian, 30s."""
    return sorted(part.split("=")[-1] for part in label.split(", "))


def _baseline(groups, baseline):
    """The group whose label is `baseline` (this package's or `crowdsim summarize`'s), or the one
    group with `baseline` among its values."""
    if baseline is None:
        return groups[0]
    exact = [g for g in groups if g.label == baseline] or [
        g for g in groups if _label_values(g.label) == _label_values(baseline)]
    found = exact or [g for g in groups if baseline in [part.split("=")[-1] for part in g.label.split(", ")]]
    if len(found) == 1:
        return found[0]
    if found:
        raise PlotInputError(f"baseline {baseline!r} is in several groups ({'; '.join(g.label for g in found)}): "
                             f"give one whole label")
    raise PlotInputError(f"no group {baseline!r} (groups: {'; '.join(g.label for g in groups)})")


def compared(group, base, k):
    """(Stat of the paired differences group − base in KPI k, two-sided p of no difference):
    the paired t test on the replications both have, Welch's t test on the two groups' runs
    when fewer than 2 pair up, as `crowdsim summarize --baseline`."""
    values, ref = group.runs.set_index("replication")[k], base.runs.set_index("replication")[k]
    st = paired_difference(values, ref)
    if st.n >= 2:
        return st, p_paired(list(differences(values, ref)))
    return st, p_welch(group.runs[k], base.runs[k])


def diff(results, kpis=None, baseline=None):
    """Per KPI, each group's mean paired difference from the baseline group (replication r
    against replication r) with its 95% Student t interval; filled red when the paired t test's
    p-value, Holm-corrected over every comparison drawn (groups × KPIs), is below 0.05: the
    stars of `crowdsim summarize --baseline` for the same KPIs."""
    s = results.summary
    wanted = wanted_kpis(s, kpis, ["accuracy", "total_cost"])
    groups = grouped(s, wanted)
    if len(groups) < 2:
        raise PlotInputError("diff needs at least two groups (policies or sweep points)")
    base = _baseline(groups, baseline)
    others = [g for g in groups if g is not base]
    tests = {(g.label, k): compared(g, base, k) for g in others for k in wanted}
    p_holm = dict(zip(tests, holm([p for _, p in tests.values()])))
    fig = figure(min(3.2 * len(wanted) + 2.6, 16), max(3.2, 0.32 * len(others) + 2.4))
    axes = fig.subplots(1, len(wanted), sharey=True, squeeze=False)[0]
    ys = np.arange(len(others))[::-1]
    ns = set()
    for j, (ax, k) in enumerate(zip(axes, wanted)):
        spread = 0.0
        for i, (y, g) in enumerate(zip(ys, others)):
            st = tests[(g.label, k)][0]
            ns.add(st.n)
            spread = max([spread] + [abs(v) for v in st[:3] if np.isfinite(v)])
            significant = p_holm[(g.label, k)] < 0.05
            ax.errorbar([st.mean], [y], xerr=np.array(errors(st)).reshape(2, 1), fmt="o", capsize=3, ms=6,
                        color="C3" if significant else "C0", mfc="C3" if significant else "white")
        ax.axvline(0, color="0.3", lw=1)
        unit = axis_label(k)[len(kpi(k).label):]
        ax.set_xlabel(f"Δ {kpi(k).label}{unit}")
        style(ax)
        ax.margins(x=0.15)
        if spread == 0:  # no difference at all: a readable axis around 0
            ax.set_xlim(-1, 1)
        if j == 0:
            ax.set_yticks(ys)
            ax.set_yticklabels([g.label for g in others])
            ax.set_ylabel(legend_title(s))
    pairs = "/".join(map(str, sorted(ns)))
    m = sum(1 for p in p_holm.values() if not math.isnan(p))
    welch = any(st.n < 2 and not math.isnan(p) for st, p in tests.values())
    caption = (f"Points: mean over {pairs} paired replications of (group − {base.label}), replication r "
               f"against replication r (same seed); error bars: 95% confidence intervals, Student t on the "
               f"differences, each on its own (not corrected for the multiple comparisons). Filled red: "
               f"p (Holm) < 0.05, the two-sided paired t test"
               + (" (Welch's t test where fewer than 2 replications pair)" if welch else "")
               + f" Holm-corrected over the {m} comparison{'' if m == 1 else 's'} shown, as in crowdsim "
               f"summarize --baseline (docs/statistics.md); an interval may exclude 0 where p (Holm) ≥ 0.05.")
    finish(fig, f"{results.scenario_name}: paired differences from {base.label}", caption)
    return fig


def _front(points, xdir, ydir):
    """The points no other point beats on both axes (xdir, ydir: +1 more is better, -1 less)."""
    def beats(q, p):
        return xdir * q[0] >= xdir * p[0] and ydir * q[1] >= ydir * p[1] and (q[0], q[1]) != (p[0], p[1])
    return sorted((p for p in points if not any(beats(q, p) for q in points)), key=lambda p: p[0])


def pareto(results, x=None, y=None):
    """Group means of KPI y against KPI x with their intervals; the groups no other beats on
    both (by each KPI's better direction) are joined by the front."""
    s = results.summary
    x, y = x or "total_cost", y or "accuracy"
    wanted_kpis(s, [x, y])
    groups = grouped(s, [x, y])
    pts = [(g.stats[x].mean, g.stats[y].mean, g) for g in groups]
    pts = [p for p in pts if np.isfinite(p[0]) and np.isfinite(p[1])]
    if not pts:
        raise PlotInputError(f"no group with both {x} and {y}")
    xdir, ydir = (kpi(x).higher or 1), (kpi(y).higher or 1)
    front = _front(pts, xdir, ydir)
    legend = len(pts) <= 12
    fig = figure(9.5 if legend else 7.5, 5.2)
    ax = fig.subplots()
    for i, (cx, cy, g) in enumerate(pts):
        many = {} if legend else {"alpha": 0.45, "elinewidth": 0.8, "capsize": 0, "ms": 4}
        ax.errorbar(cx, cy, xerr=np.array(errors(g.stats[x])).reshape(2, 1),
                    yerr=np.array(errors(g.stats[y])).reshape(2, 1), fmt="o", **{"capsize": 3, **many},
                    color=f"C{i % 10}" if legend else "C0", label=g.label if legend else None)
    ax.plot([p[0] for p in front], [p[1] for p in front], "k--", lw=1, label="Pareto front", zorder=0)
    if not legend:  # too many groups to name in a legend: the front's are named in the caption
        ax.plot([p[0] for p in front], [p[1] for p in front], "o", mfc="none", mec="k", ms=9, label="on the front")
    ax.set_xlabel(axis_label(x))
    ax.set_ylabel(axis_label(y))
    style(ax)
    ax.legend(title=legend_title(s), loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=9,
              title_fontsize=10, frameon=False)
    better = lambda d: "higher" if d > 0 else "lower"
    caption = (ci_caption([x, y], [p[2] for p in pts]) + f" Front: groups no other beats on both "
               f"({better(xdir)} {kpi(x).label}, {better(ydir)} {kpi(y).label} is better)"
               + ("." if legend else ": " + "; ".join(p[2].label for p in front) + "."))
    for a, b in ((x, y), (y, x)):  # a KPI every group shares: no trade-off to draw
        if len({p[0 if a == x else 1] for p in pts}) == 1:
            caption += (f" Every group has the same {kpi(a).label}: the front is only the best {kpi(b).label}, "
                        f"which the intervals may not tell apart from the others'.")
    finish(fig, f"{results.scenario_name}: {kpi(y).label} against {kpi(x).label} "
                f"({len(front)} of {len(pts)} on the front)", caption)
    return fig
