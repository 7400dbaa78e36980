"""docs/hdf5-layout.md documents exactly what the simulator writes."""
import re

import h5py

from conftest import REPO, run_sim

DOC = (REPO / "docs" / "hdf5-layout.md").read_text()


def documented():
    """{section heading: [first-column names]} from the doc's tables."""
    sections, current = {}, None
    for line in DOC.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current and re.match(r"^\| `[^`]+` \|", line):
            sections[current].append(re.match(r"^\| `([^`]+)` \|", line).group(1))
    return sections


def section(prefix):
    matches = [names for title, names in documented().items() if title.startswith(prefix)]
    assert len(matches) == 1, f"one section starting with {prefix!r}"
    return matches[0]


def test_every_column_and_attribute_is_documented_and_exists(tmp_path):
    # A run that exercises every table: alerts (overdue), abandonment, groups, two types.
    out = run_sim(tmp_path / "layout.h5", "--replications", "2", "--set", "tasks.deadline=60",
                  "--set", "workers.abandon_hazard=1", "--set", 'workers.behavior={"model": "strategic"}')
    with h5py.File(out, "r") as f:
        # "optimum" is only in optimize outputs (test_plot's optimize file has it)
        assert sorted(f.attrs) == sorted(set(section("Root attributes")) - {"optimum"})
        run = f["runs"]["000000"]
        assert sorted(run.attrs) == sorted(section("Run attributes"))
        assert sorted(run) == ["alerts", "assignments", "strategies", "summary", "tasks", "timeseries", "workers"]
        for table in ("tasks", "assignments", "workers", "timeseries", "alerts", "strategies"):
            assert list(run[table].dtype.names) == section(table), table
            assert len(run[table]) > 0, f"{table} is empty: the run does not exercise it"
        kpis = section("summary")
        assert list(f["summary"].dtype.names) == kpis
        assert list(run["summary"].dtype.names) == [k for k in kpis if k not in ("run_id", "point", "replication")]
        assert len(f["summary"]) == 2
