"""Sweep plots: KPIs against a swept parameter (one panel per KPI, one line per value of --by),
or a heatmap over two swept parameters on their real numeric axes, with the values in the cells."""
import numpy as np

from .style import PlotInputError, figure, finish, style
from ..kpis import axis_label, distinct_format, kpi, number, param_label, param_short
from .comparison import ci_caption, grouped, wanted_kpis
from ..stats import errors, kpi_interval


def _param(summary, name, flag="--x"):
    if name is None:
        raise PlotInputError(f"sweep needs {flag} PARAM (a swept parameter)")
    col = name if name in summary else f"param.{name}"
    if col not in summary:
        swept = [c.removeprefix("param.") for c in summary.columns if c.startswith("param.")]
        raise PlotInputError(f"no swept parameter {name} in the file (swept: {', '.join(swept) or 'none'})")
    return col


def _numeric(series):
    return series.dtype.kind in "fiu"


def _axis(summary, col):
    """(sorted values, position of each, tick labels): numeric values stand at their value,
    others at 0, 1, 2 ... in file order."""
    values = list(dict.fromkeys(summary[col].dropna()))
    if _numeric(summary[col]):
        values = sorted(values)
        pos = {v: float(v) for v in values}
    else:
        pos = {v: float(i) for i, v in enumerate(values)}
    shown = distinct_format(values)
    return values, pos, [shown[v] for v in values]


def _edges(centres):
    """Cell edges halfway between sorted centres, half a gap beyond the ends."""
    c = np.asarray(centres, dtype=float)
    if len(c) == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def _lines(ax, s, xc, k, bc):
    xs, pos, ticks = _axis(s, xc)
    parts = [(None, s)]
    if bc:
        shown = distinct_format(list(s[bc].dropna().unique()))
        parts = [(shown[v], s[s[bc] == v]) for v in dict.fromkeys(s[bc].dropna())]
    for i, (value, part) in enumerate(parts):
        pts = [(pos[v], kpi_interval(part[part[xc] == v][k], k)) for v in xs if (part[xc] == v).any()]
        ax.errorbar([p for p, _ in pts], [st.mean for _, st in pts],
                    yerr=np.array([errors(st) for _, st in pts]).T.reshape(2, -1), marker="o", capsize=3,
                    color=f"C{i % 10}", label=value)
    if not _numeric(s[xc]) or len(xs) <= 8:
        ax.set_xticks([pos[v] for v in xs])
        ax.set_xticklabels(ticks)
    ax.set_ylabel(axis_label(k))


def _thin(positions, edges, inches, gap):
    """Which ticks to label so that labels stand at least `gap` inches apart (first kept)."""
    keep, last = [], None
    for p in positions:
        at = (p - edges[0]) / (edges[-1] - edges[0]) * inches
        keep.append(last is None or at - last >= gap)
        last = at if keep[-1] else last
    return keep


def _heatmap(fig, ax, s, xc, yc, k):
    xs, xpos, xticks = _axis(s, xc)
    ys, ypos, yticks = _axis(s, yc)
    grid = np.full((len(ys), len(xs)), np.nan)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            grid[i, j] = kpi_interval(s[(s[yc] == yv) & (s[xc] == xv)][k], k).mean
    xe = _edges([xpos[v] for v in xs]) if _numeric(s[xc]) else np.arange(len(xs) + 1) - 0.5
    ye = _edges([ypos[v] for v in ys]) if _numeric(s[yc]) else np.arange(len(ys) + 1) - 0.5
    mesh = ax.pcolormesh(xe, ye, np.ma.masked_invalid(grid), cmap="viridis", shading="flat")
    lo, hi = np.nanmin(grid), np.nanmax(grid)
    # Before layout and the colour bar: about 85% of what the axes will get.
    width, height = 0.85 * ax.get_position().width * fig.get_figwidth(), 0.85 * ax.get_position().height * fig.get_figheight()
    xspan, yspan = xe[-1] - xe[0], ye[-1] - ye[0]
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            v = grid[i, j]
            w, h = (xe[j + 1] - xe[j]) / xspan * width, (ye[i + 1] - ye[i]) / yspan * height
            if not np.isfinite(v) or w < 0.42 or h < 0.2:  # no room for the number: the colour says it
                continue
            dark = hi > lo and (v - lo) / (hi - lo) < 0.55
            ax.text(xpos[xv], ypos[yv], number(v), ha="center", va="center", fontsize=9,
                    color="white" if dark else "black")
    xat = _thin([xpos[v] for v in xs], xe, width, 0.45)
    ax.set_xticks([xpos[v] for v, keep in zip(xs, xat) if keep])
    shown = [t for t, keep in zip(xticks, xat) if keep]
    slanted = len(shown) > 6 or sum(len(t) for t in shown) * 0.09 > width  # ~0.09 inch per character
    ax.set_xticklabels(shown, rotation=30 if slanted else 0, ha="right" if slanted else "center")
    yat = _thin([ypos[v] for v in ys], ye, height, 0.22)
    ax.set_yticks([ypos[v] for v, keep in zip(ys, yat) if keep])
    ax.set_yticklabels([t for t, keep in zip(yticks, yat) if keep])
    ax.set_ylabel(param_label(yc))
    fig.colorbar(mesh, ax=ax, label=axis_label(k))
    ax.grid(False)


def sweep(results, x=None, y=None, kpi=None, by=None):
    """KPIs against a swept parameter (one panel each; one line per value of `by`), or, with
    `y`, one heatmap per KPI over the two parameters."""
    s = results.summary
    kpis = wanted_kpis(s, kpi or "accuracy")
    xc = _param(s, x)
    yc = _param(s, y, "--y") if y is not None else None
    bc = _param(s, by, "--by") if by else None
    n = len(kpis)
    cols = 1 if yc is None else min(n, 2)
    rows = (n + cols - 1) // cols
    fig = figure(7.5 * cols if yc else 7.5, (4.3 if yc else 3.4) * rows + 1.6)
    axes = fig.subplots(rows, cols, squeeze=False, sharex=yc is None).ravel()
    for ax in axes[n:]:
        fig.delaxes(ax)
    for ax, k in zip(axes, kpis):
        if yc:
            _heatmap(fig, ax, s, xc, yc, k)
        else:
            _lines(ax, s, xc, k, bc)
        style(ax)
        if yc:
            ax.grid(False)
        if yc or ax is axes[n - 1]:
            ax.set_xlabel(param_label(xc))
    if bc:
        axes[0].legend(title=param_short(bc), fontsize=9, title_fontsize=10, loc="upper left",
                       bbox_to_anchor=(1.01, 1), frameon=False)
    groups = grouped(s, kpis)
    if yc:
        reps = "/".join(map(str, sorted({g.n for g in groups})))
        caption = (f"Cells: mean of {kpi_label(kpis[0]) if n == 1 else 'each KPI'} over the {reps} replications of each "
                   f"sweep point, placed at the parameters' values (uneven values, uneven cells), "
                   f"written in the cells wide enough to hold them; blank: no run at that point.")
        title = f"{', '.join(kpi_label(k) for k in kpis)} over {param_short(xc)} and {param_short(yc)}"
    else:
        caption = ci_caption(kpis, groups)
        title = f"{', '.join(kpi_label(k) for k in kpis)} against {param_short(xc)}"
    finish(fig, f"{results.scenario_name}: {title}", caption)
    return fig


def kpi_label(name):
    return kpi(name).label

