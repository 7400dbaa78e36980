"""Plots across runs: policy comparisons, sweep curves and heatmaps, the cost-accuracy front.

Runs are grouped by assignment policy, incentive policy and swept parameters; each group shows
the mean over its replications with a 95% confidence interval (Student t)."""
import math

import matplotlib.pyplot as plt
import numpy as np
from scipy import stats

LABELS = {  # KPI -> axis label with unit
    "accuracy": "accuracy (fraction right)", "total_cost": "total cost (currency units)",
    "cost_per_task": "cost per published task (currency units)",
    "cost_per_closed_task": "cost per closed task (currency units)", "latency_mean": "mean latency (s)",
    "latency_p95": "latency p95 (s)", "utilization": "utilisation (fraction)",
    "throughput_per_hour": "throughput (tasks/h)", "earnings_per_hour_median": "median earnings (currency/h)",
    "mean_quality": "mean quality", "abandonment_rate": "abandonment rate", "completion_rate": "completion rate",
}
DEFAULT_KPIS = ["accuracy", "total_cost", "latency_mean", "utilization"]


class PlotInputError(ValueError):
    """Input the plot cannot use (exit status 2 in the command)."""


def label(kpi):
    return LABELS.get(kpi, kpi)


def group_columns(summary):
    """The columns that tell groups apart: policies that vary (unless swept), then swept parameters."""
    params = [c for c in summary.columns if c.startswith("param.")]
    cols = [c for c in ("assignment_policy", "incentive_policy")
            if c in summary and summary[c].nunique() > 1 and f"param.{c.replace('_', '.')}" not in params]
    return cols + params


def short(column):
    """A readable name for a group column: "assignment" for assignment.policy, "beta" for incentive.beta."""
    name = column.removeprefix("param.")
    if name in ("assignment_policy", "incentive_policy", "assignment.policy", "incentive.policy"):
        return name.split("_")[0].split(".")[0]
    return name.rsplit(".", 1)[-1]


def group_label(cols, values):
    """"assignment=ucb, interval=30s": the group's values, leaving out the parameters it does
    not set (a sweep over policies with their own options leaves them NaN elsewhere)."""
    if len(cols) == 1:
        return str(values.iloc[0])
    shown = [f"{short(c)}={v}" for c, v in zip(cols, values)
             if not (v is None or (isinstance(v, float) and math.isnan(v)))]
    return ", ".join(shown) or "defaults"


def mean_ci(values):
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return math.nan, math.nan
    if len(v) < 2:
        return v.mean(), math.nan
    return v.mean(), stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))


def grouped(summary, kpis):
    """[(group label, {kpi: (mean, half-width)}, n)] in file order."""
    cols = group_columns(summary)
    if not cols:
        parts = [("all runs", summary)]
    else:
        keys = summary[cols].apply(lambda r: group_label(cols, r), axis=1)
        parts = [(k, summary[keys == k]) for k in dict.fromkeys(keys)]
    return [(name, {k: mean_ci(part[k]) for k in kpis}, len(part)) for name, part in parts]


def _kpis(summary, kpis):
    wanted = kpis.split(",") if isinstance(kpis, str) else (kpis or DEFAULT_KPIS)
    missing = [k for k in wanted if k not in summary]
    if missing:
        raise PlotInputError(f"no KPI {', '.join(missing)} in the file")
    return wanted


def compare(results, kpis=None):
    """One horizontal bar per group for each KPI, with 95% confidence intervals."""
    s = results.summary
    wanted = _kpis(s, kpis)
    groups = grouped(s, wanted)
    height = max(3.0, 0.45 * len(groups) + 1.6)
    fig, axes = plt.subplots(1, len(wanted), figsize=(2.8 * len(wanted) + 3.0, height), sharey=True, squeeze=False)
    ys = np.arange(len(groups))[::-1]  # first group on top
    for j, (ax, kpi) in enumerate(zip(axes[0], wanted)):
        means = [g[1][kpi][0] for g in groups]
        errs = [0 if math.isnan(g[1][kpi][1]) else g[1][kpi][1] for g in groups]
        ax.barh(ys, means, xerr=errs, capsize=3, color=[f"C{i % 10}" for i in range(len(groups))])
        ax.set_xlabel(label(kpi))
        ax.grid(axis="x", alpha=0.3)
        if j == 0:
            ax.set_yticks(ys)
            ax.set_yticklabels([g[0] for g in groups], fontsize=8)
    n = sorted({g[2] for g in groups})
    fig.suptitle(f"{results.scenario_name}: comparison (mean of {'/'.join(map(str, n))} runs, 95% CI)")
    fig.tight_layout()
    return fig


def _param(summary, name):
    if name is None:
        raise PlotInputError("sweep needs --x PARAM (a swept parameter)")
    col = name if name in summary else f"param.{name}"
    if col not in summary:
        swept = [c.removeprefix("param.") for c in summary.columns if c.startswith("param.")]
        raise PlotInputError(f"no swept parameter {name} in the file (swept: {', '.join(swept) or 'none'})")
    return col


def sweep(results, x=None, y=None, kpi=None, by=None):
    """A KPI against a swept parameter (one line per value of `by`), or a heatmap over two."""
    s = results.summary
    kpi = _kpis(s, kpi or "accuracy")[0]
    xc = _param(s, x)
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    if y is not None:
        yc = _param(s, y)
        table = s.groupby([yc, xc])[kpi].mean().unstack(xc)
        im = ax.imshow(table.to_numpy(float), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(len(table.columns)))
        ax.set_xticklabels([f"{v:g}" if isinstance(v, float) else v for v in table.columns])
        ax.set_yticks(range(len(table.index)))
        ax.set_yticklabels([f"{v:g}" if isinstance(v, float) else v for v in table.index])
        ax.set_ylabel(y)
        fig.colorbar(im, ax=ax, label=label(kpi))
    else:
        bc = _param(s, by) if by else None
        lines = s.groupby(bc) if bc else [(None, s)]
        for i, (value, part) in enumerate(lines):
            pts = sorted((xv, *mean_ci(g[kpi])) for xv, g in part.groupby(xc))
            xs, ms, hs = zip(*pts)
            ax.errorbar(xs, ms, yerr=[0 if math.isnan(h) else h for h in hs], marker="o", capsize=3,
                        color=f"C{i}", label=f"{by}={value}" if bc else None)
        if bc:
            ax.legend(fontsize=9)
        ax.set_ylabel(label(kpi))
        ax.grid(alpha=0.3)
    ax.set_xlabel(x)
    ax.set_title(f"{results.scenario_name}: {kpi} against {x}" + (f" and {y}" if y else ""))
    fig.tight_layout()
    return fig


def pareto(results):
    """Mean cost against mean accuracy per group; the groups no other beats on both are joined."""
    s = results.summary
    groups = grouped(s, ["total_cost", "accuracy"])
    pts = [(g[1]["total_cost"][0], g[1]["accuracy"][0], g[0], g[1]["total_cost"][1], g[1]["accuracy"][1]) for g in groups]
    pts = [p for p in pts if np.isfinite(p[0]) and np.isfinite(p[1])]
    if not pts:
        raise PlotInputError("no run with both a cost and an accuracy")
    front = [p for p in pts if not any(q[0] <= p[0] and q[1] >= p[1] and (q[0], q[1]) != (p[0], p[1]) for q in pts)]
    front.sort()
    fig, ax = plt.subplots(figsize=(7.5, 5))
    for i, (c, a, name, ce, ae) in enumerate(pts):
        ax.errorbar(c, a, xerr=0 if math.isnan(ce) else ce, yerr=0 if math.isnan(ae) else ae, fmt="o", color=f"C{i % 10}",
                    capsize=3, label=name)
    ax.plot([p[0] for p in front], [p[1] for p in front], "k--", lw=1, label="Pareto front")
    ax.set_xlabel(label("total_cost"))
    ax.set_ylabel(label("accuracy"))
    ax.grid(alpha=0.3)
    if len(pts) <= 12:
        ax.legend(fontsize=8)
    ax.set_title(f"{results.scenario_name}: cost against accuracy ({len(front)} on the front)")
    fig.tight_layout()
    return fig
