"""`crowdsim-plot report`: one self-contained HTML page with every relevant plot and the KPI table."""
import base64
import html
import io
import math

import matplotlib.pyplot as plt

from plots_compare import DEFAULT_KPIS, PlotInputError, group_columns, grouped

TABLE_KPIS = ["tasks_closed", "completion_rate", "accuracy", "total_cost", "cost_per_task", "cost_per_closed_task",
              "latency_mean", "latency_p95", "throughput_per_hour", "utilization", "earnings_per_hour_median", "earnings_gini",
              "abandonment_rate"]


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _fmt(mean, half):
    if math.isnan(mean):
        return "–"
    return f"{mean:.4g}" + ("" if math.isnan(half) else f" ± {half:.2g}")


def report(results, path, plots):
    """Writes the report; returns the list of figure titles included."""
    s = results.summary
    kpis = [k for k in TABLE_KPIS if k in s]
    groups = grouped(s, kpis)
    figures = []
    several = len(groups) > 1
    swept = [c.removeprefix("param.") for c in s.columns if c.startswith("param.") and s[c].nunique() > 1]
    numeric = [p for p in swept if s[f"param.{p}"].dtype.kind in "fi"]
    wanted = [("trajectory", {"run": None}), ("workers", {"run": None})]
    if several:
        wanted += [("compare", {"kpis": ",".join(k for k in DEFAULT_KPIS if k in s)}), ("pareto", {})]
    if numeric:
        others = [c.removeprefix("param.") for c in group_columns(s) if c.removeprefix("param.") != numeric[0]]
        by = others[0] if others else None
        for kpi in ("accuracy", "total_cost"):
            wanted.append(("sweep", {"x": numeric[0], "kpi": kpi, "by": by}))
    for name, options in wanted:
        try:
            fig = plots[name](results, **options)
        except (PlotInputError, ValueError, KeyError) as e:
            figures.append((name, None, str(e)))
            continue
        figures.append((name, _png(fig), ""))
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{n}</td>" + "".join(f"<td>{_fmt(*stats[k])}</td>" for k in kpis) + "</tr>"
        for name, stats, n in groups)
    head = "".join(f"<th>{html.escape(k)}</th>" for k in kpis)
    imgs = "".join(
        f'<figure><img alt="{name}" src="data:image/png;base64,{data}"><figcaption>{name}</figcaption></figure>' if data
        else f"<p>{name}: not drawn ({html.escape(err)})</p>" for name, data, err in figures)
    title = html.escape(f"crowdsim report: {results.scenario_name}")
    attrs = results.attrs
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1200px}}table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}}td:first-child{{text-align:left}}
figure{{margin:1em 0}}img{{max-width:100%}}</style></head><body>
<h1>{title}</h1>
<p>{len(s)} runs in {len(groups)} group(s); crowdsim {html.escape(str(attrs.get("crowdsim_version")))},
commit {html.escape(str(attrs.get("git_commit")))}, file status {html.escape(str(attrs.get("status")))}.
Values are means over runs ± the half-width of the 95% confidence interval (Student t).</p>
<h2>KPIs</h2><table><tr><th>group</th><th>runs</th>{head}</tr>{rows}</table>
<h2>Plots</h2>{imgs}
</body></html>
"""
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return [f[0] for f in figures if f[1]]
