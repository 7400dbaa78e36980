"""kpis.py: the KPI table covers what the simulator writes; labels carry units; numbers are
printed with the digits that tell them apart."""
import subprocess

import h5py
import pytest

from conftest import BINARY
from crowdsim.kpis import KPIS, axis_label, distinct_format, kpi, kpi_names, number, param_label


@pytest.mark.sim
def test_table_describes_every_kpi_of_the_summary(sim_file):
    # sim_file is `build/crowdsim run scenarios/demo.json` (200 tasks): a KPI added in C++
    # without a row in kpis.KPIS fails here.
    with h5py.File(sim_file) as f:
        columns = list(f["summary"].dtype.names)
    names = kpi_names(columns)
    assert "accuracy" in names and "total_cost" in names and "run_id" not in names
    missing = [n for n in names if n not in KPIS]
    assert not missing, f"KPIs without metadata in analysis/kpis.py: {missing}"


def test_every_bounded_or_positive_kpi_has_a_unit_on_its_axis():
    for name, k in KPIS.items():
        if k.kind != "unbounded":
            assert axis_label(name).endswith("]"), name
    assert axis_label("latency_p95") == "latency (95th pct.) [s]"
    assert axis_label("accuracy") == "accuracy [fraction]"
    assert kpi("accuracy_ds").kind == "proportion" and kpi("accuracy_ds").higher == 1
    assert kpi("no_such_kpi").kind == "unbounded"
    assert param_label("param.tasks.bounty") == "bounty k [currency]"
    assert param_label("some.other") == "some.other"


def test_values_printed_with_the_fewest_digits_that_tell_them_apart():
    shown = distinct_format([0.22812499999999997, 0.2, 0.11093750000000001, 0.05])
    assert shown == {0.22812499999999997: "0.2281", 0.2: "0.2", 0.11093750000000001: "0.1109", 0.05: "0.05"}
    # A label states its value: one digit tells -1, 0 and 1.5 apart but would show 1.5 as 2.
    assert distinct_format([-1.0, 0.0, 1.5]) == {-1.0: "-1", 0.0: "0", 1.5: "1.5"}
    assert distinct_format([12.5, 13.5]) == {12.5: "12.5", 13.5: "13.5"}
    assert distinct_format([0.30000000000000004, 0.1]) == {0.30000000000000004: "0.3", 0.1: "0.1"}
    assert distinct_format([-2.0, -0.5, 0.0, 1.0]) == {-2.0: "-2", -0.5: "-0.5", 0.0: "0", 1.0: "1"}
    assert distinct_format([0.1231, 0.1234]) == {0.1231: "0.1231", 0.1234: "0.1234"}
    assert distinct_format(["random", float("nan")])["random"] == "random"


def test_numbers_in_tables():
    assert number(11921.4) == "11,921"
    assert number(0.58269) == "0.583"
    assert number(float("nan")) == "–"
    assert number(1800.0) == "1,800"


@pytest.mark.sim
def test_table_agrees_with_the_cpp_table():
    """One KPI table in two languages: `crowdsim list kpi` (experiment/kpi_meta.cpp, what
    summarize uses) and kpis.py must give every KPI the same unit, kind and direction."""
    out = subprocess.run([str(BINARY), "list", "kpi"], capture_output=True, text=True, check=True).stdout
    cpp = {}
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) < 3:
            continue
        name, unit, kind = parts[0], parts[1], parts[2]
        rest = " ".join(parts[3:])
        higher = +1 if rest.startswith("higher") else -1 if rest.startswith("lower") else 0
        cpp[name] = (("" if unit == "-" else unit), kind, higher)
    assert cpp, out
    py = {k.name: (k.unit, k.kind, k.higher) for k in KPIS.values()}
    assert set(cpp) == set(py)
    assert {n: cpp[n] for n in cpp if cpp[n] != py[n]} == {}
