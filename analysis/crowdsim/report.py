"""`crowdsim-plot report`: one self-contained HTML page (no script, nothing fetched) with an
overview of the groups (policies or sweep points), KPI tables with units and intervals, and,
for up to MAX_SECTIONS groups, one section per group with its own trajectory. A file with more
groups (an optimize or a large sweep) gets its sweep plots and a table of every group instead."""
import base64
import html
import io

from .plots.style import PlotInputError, strip_caption
from .kpis import axis_label, kpi, number, param_label
from .plots.comparison import DEFAULT_KPIS, compare, diff, group_columns, grouped, pareto
from .plots.runs import _plural, run_groups, trajectory, workers
from .plots.sweeps import sweep
from .stats import method

TABLE_KPIS = ["tasks_closed", "completion_rate", "accuracy", "participation", "total_cost", "cost_per_closed_task",
              "latency_mean", "latency_p95", "throughput_per_hour", "utilization", "earnings_per_hour_median",
              "earnings_gini", "abandonment_rate", "tasks_refused"]
OVERVIEW_KPIS = ["accuracy", "participation", "completion_rate", "total_cost", "latency_p95", "throughput_per_hour",
                 "tasks_refused"]
MAX_SECTIONS = 12
CSS = """body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1150px;padding:0 1em;line-height:1.4}
table{border-collapse:collapse;font-size:13px;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}.wide{overflow-x:auto}
figure{margin:1em 0}img{max-width:100%;height:auto}figcaption{font-size:13px;color:#444}
td small{color:#555}section{border-top:2px solid #ddd;margin-top:1.5em}.n{color:#a33}"""


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(name, make):
    """An HTML <figure> of the plot `make()` draws, its caption under it; a line if it cannot."""
    try:
        fig = make()
    except (PlotInputError, ValueError, KeyError) as e:
        return f"<p>{html.escape(name)}: not drawn ({html.escape(str(e))})</p>", None
    text = strip_caption(fig)
    return (f'<figure><img alt="{html.escape(name)}" src="data:image/png;base64,{_png(fig)}">'
            f"<figcaption>{html.escape(text)}</figcaption></figure>"), name


def _cell(st, runs):
    if st.n == 0:
        return "–"
    ci = "" if st.low != st.low else f"<br><small>[{number(st.low)}, {number(st.high)}]</small>"
    n = "" if st.n == runs else f' <span class="n">n={st.n}</span>'
    return f"{number(st.mean)}{ci}{n}"


def _overview_table(groups, kpis):
    head = "".join(f"<th>{html.escape(axis_label(k))}</th>" for k in kpis)
    rows = "".join(f"<tr><td>{html.escape(g.label)}</td><td>{g.n}</td>"
                   + "".join(f"<td>{_cell(g.stats[k], g.n)}</td>" for k in kpis) + "</tr>" for g in groups)
    return f'<div class="wide"><table><tr><th>group</th><th>runs</th>{head}</tr>{rows}</table></div>'


def _group_table(group, kpis):
    rows = "".join(
        f"<tr><td>{html.escape(kpi(k).label)}</td><td>{html.escape(axis_label(k)[len(kpi(k).label):].strip(' []'))}</td>"
        f"<td>{number(group.stats[k].mean)}</td>"
        f"<td>{'–' if group.stats[k].low != group.stats[k].low else f'{number(group.stats[k].low)} – {number(group.stats[k].high)}'}</td>"
        f"<td>{group.stats[k].n}</td><td>{'–' if group.stats[k].low != group.stats[k].low else method(kpi(k).kind)}</td></tr>"
        for k in kpis)
    return ("<table><tr><th>KPI</th><th>unit</th><th>mean</th><th>95% CI</th><th>n</th><th>interval</th></tr>"
            f"{rows}</table>")


def _subset(results, run_ids):
    """The results of these runs only."""
    return results.subset(run_ids)


def _overview(results, groups, kpis):
    """The overview's figures: a comparison for a few groups, sweep plots for many."""
    s, parts = results.summary, []
    present = [k for k in DEFAULT_KPIS if k in s]
    if len(groups) == 1:
        return [("trajectory", lambda: trajectory(results)), ("workers", lambda: workers(results))]
    if len(groups) <= MAX_SECTIONS:
        parts += [("compare", lambda: compare(results, present)),
                  ("diff", lambda: diff(results, [k for k in ("accuracy", "total_cost") if k in s])),
                  ("pareto", lambda: pareto(results)),
                  ("trajectory", lambda: trajectory(results))]
    numeric = [c for c in group_columns(s) if c.startswith("param.") and s[c].dtype.kind in "fi" and s[c].nunique() > 1]
    shown = [k for k in ("accuracy", "total_cost") if k in s]
    if len(numeric) >= 2:
        parts.append(("heatmap", lambda: sweep(results, x=numeric[0], y=numeric[1], kpi=shown)))
    elif numeric:
        others = [c for c in group_columns(s) if c != numeric[0] and s[c].nunique() > 1]
        parts.append(("sweep", lambda: sweep(results, x=numeric[0], kpi=shown, by=others[0] if others else None)))
    if len(groups) > MAX_SECTIONS and not numeric:
        parts.append(("pareto", lambda: pareto(results)))
    return parts


def report(results, path):
    """Writes the report; returns the names of the figures drawn."""
    s = results.summary
    kpis = [k for k in TABLE_KPIS if k in s]
    groups = grouped(s, kpis)
    if len(groups) > MAX_SECTIONS:  # in the order of the parameters' values, not of the search
        cols = group_columns(s)
        groups.sort(key=lambda g: tuple(g.runs[c].iloc[0] for c in cols))
    overview = [k for k in OVERVIEW_KPIS if k in s]
    if len(groups) > MAX_SECTIONS:
        table = (f"<details><summary>every group ({len(groups)}), in the order of "
                 f"{html.escape(', '.join(param_label(c) for c in group_columns(s)))}</summary>"
                 f"{_overview_table(groups, overview)}</details>")
    else:
        table = _overview_table(groups, overview)
    drawn, body = [], []
    for name, make in _overview(results, groups, kpis):
        text, ok = _figure(name, make)
        body.append(text)
        drawn += [ok] if ok else []
    sections = []
    if 1 < len(groups) <= MAX_SECTIONS:
        ids = run_groups(results)
        for i, g in enumerate(groups):
            text, ok = _figure(f"trajectory {g.label}", lambda: trajectory(_subset(results, ids[g.label])))
            drawn += [ok] if ok else []
            sections.append(f'<section id="group-{i}"><h3>{html.escape(g.label)} ({_plural(g.n, "run")})</h3>'
                            f"{_group_table(g, kpis)}{text}</section>")
    elif len(groups) == 1:
        sections.append(f"<section><h3>{html.escape(groups[0].label)} ({_plural(groups[0].n, 'run')})</h3>"
                        f"{_group_table(groups[0], kpis)}</section>")
    else:
        sections.append(f"<p>{len(groups)} groups: too many for a section each; the table above has every "
                        f"group, the plots show them over {', '.join(param_label(c) for c in group_columns(s))}.</p>")
    title = html.escape(f"crowdsim report: {results.scenario_name}")
    a = results.attrs
    methods = "; ".join(sorted({f"{method(kpi(k).kind)} for {kpi(k).kind} KPIs" for k in kpis}))
    if max(g.n for g in groups) < 2:
        values = "Values are each group's one run: no confidence interval (it needs 2 runs or more)."
    else:
        values = f"""Values are means over a group's replications with 95% confidence intervals [low, high] of the mean
({html.escape(methods)}; crowdsim.stats); none (–) where fewer than 2 runs have a value. <span class="n">n=…</span>: runs with
a value, when fewer than the group's runs (a run that closed no task has no accuracy)."""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{CSS}</style></head><body>
<h1>{title}</h1>
<p>{_plural(len(s), "run")} in {_plural(len(groups), "group")}; crowdsim {html.escape(str(a.get("crowdsim_version")))},
commit {html.escape(str(a.get("git_commit")))}, file status {html.escape(str(a.get("status")))}.
{values}</p>
<h2>Overview</h2>{"".join(body)}
<h2>KPIs by group</h2>{table}
<h2>Groups</h2>{"".join(sections)}
</body></html>
"""
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return drawn
