"""What each KPI and swept parameter is: the one table the plots and the report read.

Each KPI of `/summary` (docs/hdf5-layout.md) has a label, a unit, a kind and a direction:

- kind `proportion`: values in [0, 1] (accuracy, rates, shares): logit-scale interval;
- kind `positive`: continuous values >= 0 (times, money, rates per hour): log-scale interval;
- kind `count`: whole numbers >= 0 per run (tasks closed, ...): log-scale interval;
- kind `unbounded`: any real (budget left): Student t interval.

`higher` is +1 when more is better, -1 when less is better, 0 when neither. The C++ side keeps
the same table (experiment/kpi_meta.cpp, used by `crowdsim summarize`); analysis/tests/test_kpis.py
fails when /summary has a KPI this table does not describe. The intervals are in stats.py.
"""
from collections import namedtuple
import math

import numpy as np

Kpi = namedtuple("Kpi", "name label unit kind higher")

_P, _POS, _C, _U = "proportion", "positive", "count", "unbounded"
KPIS = {k.name: k for k in (
    Kpi("tasks_published", "tasks published", "", _C, 0),
    Kpi("tasks_closed", "tasks closed", "", _C, +1),
    Kpi("tasks_late", "tasks late", "", _C, -1),
    Kpi("tasks_expired", "tasks expired", "", _C, -1),
    Kpi("tasks_refused", "tasks refused (budget)", "", _C, -1),
    Kpi("tasks_deferred", "tasks deferred (budget)", "", _C, -1),
    Kpi("subtasks_closed", "subtasks ended", "", _C, 0),
    Kpi("completion_rate", "completion rate", "", _P, +1),
    Kpi("latency_mean", "latency (mean)", "s", _POS, -1),
    Kpi("latency_p50", "latency (median)", "s", _POS, -1),
    Kpi("latency_p95", "latency (95th pct.)", "s", _POS, -1),
    Kpi("latency_p99", "latency (99th pct.)", "s", _POS, -1),
    Kpi("wait_mean", "wait for first assignment (mean)", "s", _POS, -1),
    Kpi("throughput_per_hour", "throughput", "1/h", _POS, +1),
    Kpi("utilization", "utilization", "", _P, 0),
    Kpi("accuracy", "accuracy", "", _P, +1),
    Kpi("mean_quality", "quality (mean)", "", _P, +1),
    Kpi("mean_review", "review score (mean)", "", _P, +1),
    Kpi("effort_mean", "effort (mean)", "", _POS, 0),
    Kpi("duration_mean", "work duration (mean)", "s", _POS, 0),
    Kpi("participation", "participation", "", _P, +1),
    Kpi("total_cost", "total cost", "currency", _POS, -1),
    Kpi("cost_per_task", "cost per task", "currency", _POS, -1),
    Kpi("cost_per_closed_task", "cost per closed task", "currency", _POS, -1),
    Kpi("cost_per_correct", "cost per correct answer", "currency", _POS, -1),
    Kpi("earnings_per_hour_mean", "earnings per hour (mean)", "currency/h", _POS, +1),
    Kpi("earnings_per_hour_median", "earnings per hour (median)", "currency/h", _POS, +1),
    Kpi("earnings_per_hour_p10", "earnings per hour (10th pct.)", "currency/h", _POS, +1),
    Kpi("earnings_gini", "earnings Gini", "", _P, -1),
    Kpi("abandonment_rate", "abandonment rate", "", _P, -1),
    Kpi("assignments_cancelled", "assignments cancelled", "", _C, -1),
    Kpi("overdue_tasks", "overdue tasks", "", _C, -1),
    Kpi("budget_left", "budget left", "currency", _U, 0),
    Kpi("budget_exhausted_at", "budget exhausted at", "s", _POS, 0),
    Kpi("workers_total", "workers ever online", "", _C, 0),
    Kpi("end_time", "end time", "s", _POS, 0),
    Kpi("deviation_expected_gain", "deviation's expected gain", "currency", _U, 0),
    Kpi("deviation_worker", "deviating worker", "", _U, 0),
    Kpi("deviation_expected_utility", "deviators' expected utility", "currency", _U, 0),
    Kpi("deviation_entries", "assignments taken as entry", "", _C, 0),
    Kpi("deviation_entry_utility", "entries' utility", "currency", _U, 0),
    Kpi("deviation_entry_expected", "entries' expected utility", "currency", _U, 0),
)}

# Columns of /summary that are not KPIs: the run's coordinates (swept parameters, named by
# their path, contain a dot) and the run attributes `load` joins in.
NOT_KPIS = {"run_id", "point", "replication", "assignment_policy", "incentive_policy", "detail",
            "events_processed", "seed", "wall_seconds"}

# Swept parameters an axis names often: label and unit; any other is shown by its path.
PARAMS = {
    "incentive.beta": ("incentive β", ""), "tasks.bounty": ("bounty k", "currency"),
    "incentive.policy": ("incentive policy", ""), "assignment.policy": ("assignment policy", ""),
    "assignment.interval": ("assignment interval", ""), "tasks.count": ("tasks", ""),
    "tasks.redundancy": ("answers per task", ""), "tasks.deadline": ("deadline", "s"),
    "budget": ("budget", "currency"), "workers.behavior.model": ("worker behaviour", ""),
}


def kpi(name):
    """The metadata of `name`: `accuracy_<method>` is a proportion like accuracy, an EM batch
    method's `em_capped_<method>` a count and `em_moved_<method>` a positive quantity; an
    unknown name is its own label, no unit, unbounded (Student t: no range to respect)."""
    if name in KPIS:
        return KPIS[name]
    if name.startswith("accuracy_"):
        return Kpi(name, f"accuracy ({name[len('accuracy_'):]})", "", _P, +1)
    if name.startswith("em_capped_"):
        return Kpi(name, f"EM batches at the iteration cap ({name[len('em_capped_'):]})", "", _C, -1)
    if name.startswith("em_moved_"):
        return Kpi(name, f"EM change at the last iteration ({name[len('em_moved_'):]})", "", _POS, -1)
    return Kpi(name, name, "", _U, 0)


def kpi_names(columns):
    """The KPI columns among a summary's columns, in their order."""
    return [c for c in columns if c not in NOT_KPIS and "." not in c]


def unit_text(name):
    """The unit as an axis shows it: "s", "currency"; without one, "fraction" for a proportion,
    "count" for a count, "dimensionless" for another positive quantity (effort)."""
    k = kpi(name)
    return k.unit or {_P: "fraction", _C: "count", _POS: "dimensionless"}.get(k.kind, "")


def axis_label(name):
    """"latency (95th pct.) [s]": the label and its unit, for an axis or a table header."""
    unit = unit_text(name)
    return f"{kpi(name).label} [{unit}]" if unit else kpi(name).label


def param_label(name):
    """"bounty k [currency]" for tasks.bounty; a parameter not in PARAMS is its path."""
    name = name.removeprefix("param.")
    label, unit = PARAMS.get(name, (name, ""))
    return f"{label} [{unit}]" if unit else label


def param_short(name):
    """The word a group label uses: "beta" for incentive.beta, "assignment" for assignment.policy."""
    name = name.removeprefix("param.")
    if name in ("assignment_policy", "incentive_policy", "assignment.policy", "incentive.policy"):
        return name.split("_")[0].split(".")[0]
    return name.rsplit(".", 1)[-1]


def _is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def distinct_format(values, max_digits=12):
    """{value: text}: the labels of a parameter's values, as `crowdsim summarize` writes them.
    Each number has the fewest significant digits that tell the distinct values apart and
    state it to 4 significant digits, or exactly within float noise: 1.5 is "1.5" beside -1
    and 0, never "2"; 0.30000000000000004 is "0.3"; 0.22812499999999997 is "0.2281" beside 0.2.
    Texts and missing values are shown as they are."""
    nums = sorted({float(v) for v in values if isinstance(v, (int, float, np.number)) and not _is_missing(v)})
    common = max_digits
    for digits in range(1, max_digits + 1):
        if len({_sig(v, digits) for v in nums}) == len(nums):
            common = digits
            break
    out = {}
    for v in nums:
        digits = common
        while digits < 4 and not abs(float(_sig(v, digits)) - v) <= 1e-9 * abs(v):
            digits += 1
        out[v] = _sig(v, digits)
    return {v: (out[float(v)] if isinstance(v, (int, float, np.number)) and not _is_missing(v) else str(v))
            for v in values}


def _sig(v, digits):
    """`v` with `digits` significant digits, trimmed; the integer digits are never dropped
    (11921, not 1.19e+04), as io::sig does."""
    if v != 0 and 10 ** (digits - 1) <= abs(v) < 1e9:
        return f"{v:.0f}"
    return f"{v:.{digits}g}"


def number(value, digits=3):
    """A number for a table or an annotation: 3 significant digits, no exponent below 1e6."""
    if value is None or not np.isfinite(value):
        return "–"
    if abs(value) >= 1e6 or (value != 0 and abs(value) < 1e-3):
        return f"{value:.{digits - 1}e}"
    if abs(value) >= 10 ** digits:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"
