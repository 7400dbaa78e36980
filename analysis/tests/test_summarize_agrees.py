"""One set of statistics: the Python intervals (crowdsim.stats, used by the plots, the report and
crowdsim.summarize) are the very doubles `crowdsim summarize --csv` (experiment/intervals.cpp) prints,
for every group and every KPI of a file, each of the kinds (proportion, positive, count,
unbounded) included. The CSV prints the shortest text that reads back as the same double, so
comparing the doubles exactly is comparing to the last printed digit."""
import csv
import io
import math
import subprocess

import pytest

from conftest import BINARY, REPO
from crowdsim import load, summarize
from crowdsim.kpis import kpi
from crowdsim.stats import kpi_interval, method

pytestmark = pytest.mark.sim


def cpp_rows(path):
    out = subprocess.run([str(BINARY), "summarize", str(path), "--csv"], check=True, capture_output=True,
                         text=True).stdout
    reader = csv.DictReader(io.StringIO(out))
    header = reader.fieldnames
    params = header[header.index("incentive_policy") + 1:header.index("kpi")]
    return list(reader), params


def same(text, value):
    return (text == "nan" and math.isnan(value)) or float(text) == value


def runs_of(summary, row, params):
    """The runs of the C++ group `row`: its policies and the values of its parameters."""
    keep = (summary["assignment_policy"] == row["assignment_policy"]) & (
        summary["incentive_policy"] == row["incentive_policy"])
    for p in params:
        column = summary[f"param.{p}"]
        if row[p] == "":
            keep &= column.isna()
        elif column.dtype.kind in "fi":
            keep &= column == float(row[p])
        else:
            keep &= column.astype(str) == row[p]
    return summary[keep]


def test_python_intervals_are_the_doubles_summarize_prints(sweep_file):
    # The demo scenario (shipped), a 2 x 2 sweep, 3 replications per point.
    rows, params = cpp_rows(sweep_file)
    summary = load(sweep_file).summary
    kinds, checked, with_interval = set(), 0, 0
    for row in rows:
        runs = runs_of(summary, row, params)
        assert len(runs) == int(row["runs"]) == 3, row["group"]
        st = kpi_interval(runs[row["kpi"]], row["kpi"])
        assert st.n == int(row["n"]), row
        for text, value in ((row["mean"], st.mean), (row["ci_low"], st.low), (row["ci_high"], st.high)):
            assert same(text, value), f"{row['group']} {row['kpi']}: C++ {text}, Python {value!r}"
        assert row["ci_method"] == method(kpi(row["kpi"]).kind)
        kinds.add(kpi(row["kpi"]).kind)
        checked += 1
        with_interval += st.low < st.high
    assert {"proportion", "positive", "count", "unbounded"} <= kinds
    assert checked == 4 * len({r["kpi"] for r in rows}) and with_interval > 40  # real spreads, not only points


def test_the_comparison_can_fail(sweep_file):
    # The same check sees a change in the last digit (another order of summation would do it).
    rows, params = cpp_rows(sweep_file)
    row = next(r for r in rows if r["kpi"] == "accuracy")
    st = kpi_interval(runs_of(load(sweep_file).summary, row, params)["accuracy"], "accuracy")
    assert same(row["ci_high"], st.high) and not same(row["ci_high"], math.nextafter(st.high, 2.0))


def test_crowdsim_summarize_in_python_gives_the_same_table(sweep_file):
    table = summarize(load(sweep_file), ["accuracy", "total_cost", "tasks_closed"])
    rows, _ = cpp_rows(sweep_file)
    cpp = {(r["kpi"], r["mean"]): r for r in rows if r["kpi"] in ("accuracy", "total_cost", "tasks_closed")}
    assert len(table) == 12 == len([r for r in rows if r["kpi"] in ("accuracy", "total_cost", "tasks_closed")])
    for t in table.itertuples():
        match = [r for (k, _), r in cpp.items() if k == t.kpi and same(r["mean"], t.mean)
                 and same(r["ci_low"], t.ci_low) and same(r["ci_high"], t.ci_high)]
        assert match, t


def test_an_unknown_kpi_is_named_with_a_hint(sweep_file):
    with pytest.raises(ValueError, match=r'found "acuracy" \(did you mean "accuracy"\?\); its KPIs: tasks_published'):
        summarize(load(sweep_file), ["acuracy"])


def test_sweep_points_that_coincide_count_once_in_both(tmp_path):
    """A grid that repeats a value runs the same runs twice (same seed, same replication): both
    summaries count each replication once, or n would double and the interval shrink for nothing."""
    out = tmp_path / "dup.h5"
    subprocess.run([str(BINARY), "sweep", str(REPO / "scenarios" / "demo.json"), "-o", str(out), "--quiet", "--replications", "3",
                    "--set", "tasks.count=60", "--set", 'sweep={"grid": {"tasks.redundancy": [1, 3, 3]}}'],
                   check=True)
    rows, _ = cpp_rows(out)
    acc = {r["group"]: r for r in rows if r["kpi"] == "accuracy"}
    assert {g: r["n"] for g, r in acc.items()} == {"tasks.redundancy=1": "3", "tasks.redundancy=3": "3"}
    table = summarize(load(out), ["accuracy"]).set_index("group")
    assert list(table["n"]) == [3, 3]
    for t in table.itertuples():
        match = [r for r in acc.values() if same(r["mean"], t.mean) and same(r["ci_low"], t.ci_low)]
        assert match, t
    text = subprocess.run([str(BINARY), "summarize", str(out), "--kpi", "accuracy"], check=True, capture_output=True,
                          text=True).stdout
    assert "3 runs repeat a run of their group" in text


def test_python_names_each_group_as_crowdsim_summarize(sim_file, sweep_file, tmp_path):
    """crowdsim.summarize (and the report and plots, which group alike) gives a group the very
    label `crowdsim summarize` gives it: the same text for the same runs, in the same order."""
    demo = str(REPO / "scenarios" / "demo.json")
    odd = tmp_path / "odd.h5"  # points that set different parameters; one changes the incentive policy
    subprocess.run([str(BINARY), "sweep", demo, "-o", str(odd), "--quiet", "--replications", "2", "--set", "tasks.count=60",
                    "--set", 'sweep={"list": [{"tasks.bounty": 0.11093750000000001}, {"tasks.bounty": 0.2, "incentive.p_max": 3},'
                    ' {"assignment.policy": "random", "tasks.deadline": "3h"}, {"incentive": {"policy": "fixed"}}]}'], check=True)
    alike = tmp_path / "alike.h5"  # the first point's label would be empty: both named by policies and parameters
    subprocess.run([str(BINARY), "sweep", demo, "-o", str(alike), "--quiet", "--replications", "2", "--set", "tasks.count=60",
                    "--set", 'sweep={"list": [{"tasks.bounty": 0.1}, {"tasks.bounty": 0.1, "tasks.redundancy": 5}]}'],
                   check=True)
    for path in (sim_file, sweep_file, odd, alike):
        rows, _ = cpp_rows(path)
        cpp = [r for r in rows if r["kpi"] == "total_cost"]
        table = summarize(load(path), ["total_cost"])
        assert list(table["group"]) == [r["group"] for r in cpp], path.name
        for t, r in zip(table.itertuples(), cpp):
            assert t.runs == int(r["runs"]) and same(r["mean"], t.mean), (path.name, t.group)
    assert list(summarize(load(sim_file), ["total_cost"])["group"]) == ["fifo / exponential_progress"]
