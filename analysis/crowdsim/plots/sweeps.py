"""Sweep plots: KPIs against a swept parameter (one panel per KPI, one line per value of --by and
of every other parameter that varies), or a heatmap over two swept parameters on their real
numeric axes, with the values in the cells and, for an optimize output, its optimum marked."""
import json
import math

import numpy as np

from .style import TICK_PT, PlotInputError, figure, finish, style, text_size
from ..kpis import axis_label, distinct_format, kpi, number, param_label, param_short
from .comparison import ci_caption, group_columns, group_labels, grouped, wanted_kpis
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


def _line_columns(s, xc, bc):
    """The columns whose values split the lines: `--by` first, then every other column that
    tells groups apart and varies, so that each point is one group's runs, never a mean
    pooled over the values of a parameter the plot does not show."""
    shown = {_same(c) for c in (xc, bc) if c}
    others = [c for c in group_columns(s) if _same(c) not in shown and s[c].nunique(dropna=False) > 1]
    return ([bc] if bc else []) + others


def _same(column):
    """One name per parameter: /summary's `incentive.beta`, the runs' `param.incentive.beta`;
    `assignment_policy` and `param.assignment.policy`."""
    name = column.removeprefix("param.")
    return name.replace("_", ".") if name in ("assignment_policy", "incentive_policy") else name


def _lines(ax, s, xc, k, cols):
    xs, pos, ticks = _axis(s, xc)
    parts = [(None, s)]
    if cols:
        labels = group_labels(s, cols)
        parts = [(v, s[labels == v]) for v in dict.fromkeys(labels)]
    for i, (value, part) in enumerate(parts):
        pts = [(pos[v], kpi_interval(part[part[xc] == v][k], k)) for v in xs if (part[xc] == v).any()]
        ax.errorbar([p for p, _ in pts], [st.mean for _, st in pts],
                    yerr=np.array([errors(st) for _, st in pts]).T.reshape(2, -1), marker="o", capsize=3,
                    color=f"C{i % 10}", label=value)
    if not _numeric(s[xc]) or len(xs) <= 8:
        ax.set_xticks([pos[v] for v in xs])
        ax.set_xticklabels(ticks)
    ax.set_ylabel(axis_label(k))


TICK_GAP = 0.06  # inches between two tick labels side by side
LINE_GAP = 0.04  # ... one above the other (or slanted: across their slant)


def _thin(at, room):
    """Which of the positions `at` (inches along the axis) to label so that labels stand at
    least `room` inches apart: the first, the last, and greedily those between."""
    keep, last = [False] * len(at), None
    for i, a in enumerate(at):
        if last is None or a - last >= room:
            keep[i], last = True, a
    if not keep[-1]:  # the last value rather than the kept one too close to it
        keep[-1] = True
        for i in range(len(at) - 2, 0, -1):
            if keep[i] and at[-1] - at[i] < room:
                keep[i] = False
    return keep


def _tick_plan(at, texts, length, across):
    """How to label ticks at `at` (data positions over the axis' extent, mapped to `length`
    inches): every label level when they fit; else slanted (x only: `across` is False for the
    y axis), upright, and only when even that cannot fit, the labels that fit (the others a
    tick without a label, named in the caption). Returns (rotation, keep)."""
    sizes = [text_size(t, TICK_PT) for t in texts]
    gaps = np.diff(at)
    height = max(h for _, h in sizes) + LINE_GAP
    if all(g >= (a[0] + b[0]) / 2 + TICK_GAP for g, a, b in zip(gaps, sizes, sizes[1:])) if across else \
            all(g >= height for g in gaps):
        return 0, [True] * len(at)
    if not across:
        return 0, _thin(at, height)
    if all(g * math.sin(math.radians(45)) >= height for g in gaps):
        return 45, [True] * len(at)
    return 90, ([True] * len(at) if all(g >= height for g in gaps) else _thin(at, height))


def _inches(fig, ax):
    pos = ax.get_position()
    return pos.width * fig.get_figwidth(), pos.height * fig.get_figheight()


def _optimum_attr(results):
    """The root attribute "optimum" of an optimize output as a dict (docs/hdf5-layout.md), or None."""
    text = results.attrs.get("optimum")
    try:
        chosen = json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError:
        return None
    return chosen if isinstance(chosen, dict) else None


def optimum(results):
    """The point `crowdsim optimize` chose, or None (not an optimize output, one written before
    crowdsim recorded its choice, or no point feasible): from the root attribute "optimum"
    (docs/hdf5-layout.md). Returns (point, its rows, the objective in words, the constraints in
    words)."""
    chosen = _optimum_attr(results)
    s = results.summary
    if chosen is None or chosen.get("point") is None or "point" not in s:
        return None
    point = int(chosen["point"])
    math_text = lambda t: t.replace(" - ", " − ").replace(" * ", " × ").replace("<=", "≤").replace(">=", "≥")
    return (point, s[s["point"] == point], math_text(chosen.get("objective_text", "optimize its objective")),
            math_text("; ".join(chosen.get("constraints", []))))


def _fresh_point(results):
    """The point of an optimize output's runs of the optimum on fresh draws, or None."""
    fresh = (_optimum_attr(results) or {}).get("fresh")
    return int(fresh["point"]) if isinstance(fresh, dict) and "point" in fresh else None


def _heatmap(fig, ax, s, xc, yc, k, room, best):
    """One heatmap: cells around the parameters' values, the values of the cells that can hold
    them (judged after the layout: _fit_numbers), a tick label for every value that fits, and a
    star on the optimum `best` (its rows) of an optimize output. `room`: the axes' (width,
    height) in inches, from a first drawing; None: estimated. Returns the values left without
    a tick label, {column: [values]}."""
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
    width, height = room or (0.85 * ax.get_position().width * fig.get_figwidth(),
                             0.85 * ax.get_position().height * fig.get_figheight())
    at_best = None
    if best is not None:
        at_best = (best[xc].iloc[0], best[yc].iloc[0])
        ax.plot([xpos[at_best[0]]], [ypos[at_best[1]]], marker="*", ms=15, mfc="C3", mec="white", mew=1.2,
                ls="none", clip_on=False, zorder=4)
    cells = []
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            v = grid[i, j]
            if not np.isfinite(v) or (xv, yv) == at_best:  # the star's cell: its values are in the caption
                continue
            dark = hi > lo and (v - lo) / (hi - lo) < 0.55
            t = ax.text(xpos[xv], ypos[yv], number(v), ha="center", va="center", fontsize=9,
                        color="white" if dark else "black")
            t.set_in_layout(False)
            cells.append((t, (xe[j], xe[j + 1], ye[i], ye[i + 1])))
    ax._crowdsim_cells = cells
    unlabelled = {}
    for axis, values, pos, ticks, edges, length in (("x", xs, xpos, xticks, xe, width),
                                                     ("y", ys, ypos, yticks, ye, height)):
        at = [(pos[v] - edges[0]) / (edges[-1] - edges[0]) * length for v in values]
        rotation, keep = _tick_plan(at, ticks, length, axis == "x")
        getattr(ax, f"set_{axis}ticks")([pos[v] for v in values])
        getattr(ax, f"set_{axis}ticklabels")([t if kept else "" for t, kept in zip(ticks, keep)],
                                             **({"rotation": rotation, "ha": "right" if rotation == 45 else "center",
                                                 "rotation_mode": "anchor" if rotation == 45 else "default"}
                                                if axis == "x" else {}))
        if not all(keep):
            unlabelled[axis] = [t for t, kept in zip(ticks, keep) if not kept]
    if at_best is not None:  # the star reaches past the axes on the lowest row or first column: labels clear it
        star = 7.5 + 1  # its radius and edge, in points
        for axis, v, edges, length in (("x", ypos[at_best[1]], ye, height), ("y", xpos[at_best[0]], xe, width)):
            near = (v - edges[0]) / (edges[-1] - edges[0]) * length * 72
            if near < star:
                ax.tick_params(axis=axis, pad=3.5 + star - near)
    ax.set_ylabel(param_label(yc))
    fig.colorbar(mesh, ax=ax, label=axis_label(k))
    ax.grid(False)
    return unlabelled


def _fit_numbers(fig):
    """Places the numbers written in heatmap cells (_heatmap) on the laid-out figure: centred on
    the parameters' values when the cell holds it there (a value may sit anywhere in its cell,
    which reaches halfway to the neighbouring values, so the number needs half its width on the
    nearer side), else moved to the middle of the cell along the axis where it does not fit;
    removed when the whole cell cannot hold it."""
    for ax in fig.axes:
        cells = getattr(ax, "_crowdsim_cells", [])
        if not cells:
            continue
        width, height = _inches(fig, ax)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        sx, sy = width / abs(x1 - x0), height / abs(y1 - y0)
        for t, (left, right, bottom, top) in cells:
            w, h = text_size(t.get_text(), t.get_fontsize())
            x, y = t.get_position()
            x = x if min(x - left, right - x) * sx >= w / 2 + 0.03 else (left + right) / 2
            y = y if min(y - bottom, top - y) * sy >= h / 2 + 0.02 else (bottom + top) / 2
            if (right - left) * sx >= w + 0.06 and (top - bottom) * sy >= h + 0.04:
                t.set_position((x, y))
            else:
                t.remove()


def _draw(results, s, kpis, xc, yc, bc, room=None):
    n = len(kpis)
    cols = 1 if yc is None else min(n, 2)
    rows = (n + cols - 1) // cols
    fig = figure(7.5 * cols if yc else 7.5, (4.3 if yc else 3.4) * rows + 1.6)
    axes = fig.subplots(rows, cols, squeeze=False, sharex=yc is None).ravel()
    for ax in axes[n:]:
        fig.delaxes(ax)
    lines = _line_columns(s, xc, bc) if yc is None else []
    best = optimum(results) if yc else None
    unlabelled = {}
    for i, (ax, k) in enumerate(zip(axes, kpis)):
        if yc:
            for axis, values in _heatmap(fig, ax, s, xc, yc, k, room[i] if room else None,
                                          best[1] if best else None).items():
                unlabelled.setdefault(axis, []).extend(v for v in values if v not in unlabelled.get(axis, []))
        else:
            _lines(ax, s, xc, k, lines)
        style(ax)
        if yc:
            ax.grid(False)
        if yc or ax is axes[n - 1]:
            ax.set_xlabel(param_label(xc))
    legend = ", ".join(param_short(c) for c in lines)
    if lines:
        axes[0].legend(title=legend, fontsize=9, title_fontsize=10, loc="upper left",
                       bbox_to_anchor=(1.01, 1), frameon=False)
    groups = grouped(s, kpis)
    if yc:
        reps = "/".join(map(str, sorted({g.n for g in groups})))
        caption = (f"Cells: mean of {kpi_label(kpis[0]) if n == 1 else 'each KPI'} over the {reps} replications of each "
                   f"sweep point, placed at the parameters' values (uneven values, uneven cells), "
                   f"written in the cells that can hold them (mid-cell where the value is too near an edge); blank: "
                   f"no run at that point.")
        if best is not None:
            point, chosen, words, limits = best
            shown = {c: dict(zip(v, t)) for c, (v, _, t) in ((c, _axis(s, c)) for c in (xc, yc))}
            where = ", ".join(f"{param_short(c)}={shown[c][chosen[c].iloc[0]]}" for c in (xc, yc))
            values = ", ".join(f"{kpi_label(k)} {number(kpi_interval(chosen[k], k).mean)}" for k in kpis)
            caption += (f" ★: the optimum crowdsim optimize chose, point {point} ({where}; there {values}): "
                        f"of the points evaluated, the feasible one"
                        + (f" ({limits})" if limits else "") + f" chosen to {words}, each on the mean of its runs.")
        missing = [f"{param_short(c)} = {', '.join(unlabelled[axis])} ({order})"
                   for axis, c, order in (("x", xc, "left to right"), ("y", yc, "bottom to top")) if unlabelled.get(axis)]
        if missing:
            caption += f" Ticks without a label (no room): {'; '.join(missing)}."
        title = f"{', '.join(kpi_label(k) for k in kpis)} over {param_short(xc)} and {param_short(yc)}"
    else:
        caption = ci_caption(kpis, groups)
        if lines:
            caption += (f" One line per {legend}: each point is the runs of one sweep point, none pooled "
                        f"over another parameter.")
        title = (f"{', '.join(kpi_label(k) for k in kpis)} against {param_short(xc)}"
                 + (f" by {legend}" if lines else ""))
    finish(fig, f"{results.scenario_name}: {title}", caption)
    heatmaps = [ax for ax in fig.axes if hasattr(ax, "_crowdsim_cells")]
    return fig, [_inches(fig, ax) for ax in heatmaps]


def sweep(results, x=None, y=None, kpi=None, by=None):
    """KPIs against a swept parameter (one panel each; one line per value of `by` and of every
    other parameter that varies), or, with `y`, one heatmap per KPI over the two parameters.
    The runs an optimize output made of its optimum on fresh draws (another seed) are not a
    point of the search and are left out."""
    s = results.summary
    fresh = _fresh_point(results)
    if fresh is not None and "point" in s:
        s = s[s["point"] != fresh].drop(columns=[c for c in ("param.seed",) if c in s])
    kpis = wanted_kpis(s, kpi or "accuracy")
    xc = _param(s, x)
    yc = _param(s, y, "--y") if y is not None else None
    bc = _param(s, by, "--by") if by else None
    fig, room = _draw(results, s, kpis, xc, yc, bc)
    if yc:  # the labels chosen for the estimated size, again for the size the layout gave
        for _ in range(3):
            again, measured = _draw(results, s, kpis, xc, yc, bc, room)
            settled = np.allclose(measured, room, atol=0.02)
            fig, room = again, measured
            if settled:
                break
        _fit_numbers(fig)
    return fig


def kpi_label(name):
    return kpi(name).label

