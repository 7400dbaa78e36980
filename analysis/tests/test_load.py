"""load(): every documented column round-trips, with enums, params and run attributes."""
import json

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import run_sim
from test_layout import documented
from crowdsim import TABLES, load

pytestmark = pytest.mark.sim

# The documented columns (docs/hdf5-layout.md; test_layout checks them against the file).
COLUMNS = {table: documented()[table] for table in ("tasks", "assignments", "workers", "timeseries", "alerts",
                                                   "strategies")}


def test_every_column_round_trips(sim_file):
    r = load(sim_file)
    with h5py.File(sim_file) as f:
        for table in TABLES:
            frame = getattr(r, table)
            assert list(frame.columns[1:len(COLUMNS[table]) + 1]) == COLUMNS[table], table
            raw = f["runs/000000"][table][()]
            assert len(frame) == len(raw), table
            for column in COLUMNS[table]:
                if column in ("status", "kind"):
                    continue
                np.testing.assert_array_equal(frame[column].to_numpy(), raw[column], err_msg=f"{table}.{column}")


def test_enums_become_categoricals_with_labels(sim_file):
    r = load(sim_file)
    assert isinstance(r.tasks["status"].dtype, pd.CategoricalDtype)
    assert list(r.tasks["status"].cat.categories) == ["open", "closed", "expired"]
    assert (r.tasks["status"] == "closed").all()
    assert list(r.alerts["kind"].cat.categories) == ["task_overdue", "queue_above_threshold", "abandonment_spike",
                                                   "budget_exhausted"]


def test_summary_and_runs(sim_file_3runs):
    r = load(sim_file_3runs)
    assert list(r.runs["run_id"]) == [0, 1, 2]
    assert list(r.summary["replication"]) == [0, 1, 2]
    assert (r.summary["tasks_closed"] == 200).all()
    assert set(r.summary["assignment_policy"]) == {"fifo"}
    assert r.attrs["scenario"]["name"] == "demo"
    assert r.attrs["status"] == "complete"
    # The KPI agrees with the tables it summarises.
    for run_id, tasks in r.tasks.groupby("run_id"):
        latency = (tasks["closed"] - tasks["created"]).mean()
        assert r.summary.loc[r.summary["run_id"] == run_id, "latency_mean"].item() == pytest.approx(latency)


def test_accounting_columns_agree_with_the_kpis(tmp_path):
    # Expiring deadlines that cancel the work under way, and a budget: tasks' costs add up to
    # total_cost, cancelled assignments are unpaid, and the task counts are the KPIs'.
    out = run_sim(tmp_path / "deadlines.h5", "--set", 'tasks.deadline={"after": "10min", "in_progress": "cancel"}',
                  "--set", "tasks.on_deadline=expire", "--set", "budget=60")
    r = load(out)
    s = r.summary.iloc[0]
    top = r.tasks[r.tasks["parent_id"] == -1]
    assert top["cost"].sum() == pytest.approx(s["total_cost"])
    assert top["cost"].sum() == pytest.approx(r.assignments["reward"].sum())
    assert s["total_cost"] <= 60
    cancelled = r.assignments[r.assignments["cancelled"] == 1]
    assert len(cancelled) == s["assignments_cancelled"] > 0
    assert (cancelled["reward"] == 0).all() and cancelled["review"].isna().all()
    assert (top["status"] == "closed").sum() == s["tasks_closed"]
    assert (top["status"] == "expired").sum() == s["tasks_expired"] > 0
    assert top["late"].sum() == s["tasks_late"]
    assert s["cost_per_task"] == pytest.approx(s["total_cost"] / s["tasks_published"])


def test_params_are_expanded(altered):
    path = altered("schema_version", 1)
    with h5py.File(path, "r+") as f:
        f["runs/000000"].attrs["params"] = json.dumps({"incentive": {"beta": -0.5}})
    r = load(path)
    assert r.runs["param.incentive.beta"].item() == -0.5


def test_partial_file_warns(altered):
    with pytest.warns(UserWarning, match="partial"):
        load(altered("status", "partial"))


def test_unknown_schema_is_refused(altered):
    with pytest.raises(ValueError, match="schema_version 99"):
        load(altered("schema_version", 99))


def test_type_and_group_names_come_from_the_scenario(tmp_path):
    """Task types and worker groups are stored as indices; load() names them."""
    out = run_sim(tmp_path / "named.h5", "--set",
                  'tasks.types=[{"name": "easy", "weight": 3}, {"name": "hard", "classes": 4}]',
                  "--set", 'workers.groups=[{"name": "spammer", "share": 0.25, "accuracy": 0.5},'
                           ' {"name": "hammer", "share": 0.75, "accuracy": 1.0}]')
    r = load(out)
    assert set(r.tasks["type_name"].cat.categories) == {"easy", "hard"}
    assert (r.tasks["type_name"].astype(str) == r.tasks["type"].map({0: "easy", 1: "hard"})).all()
    assert set(r.tasks["type_name"].astype(str)) == {"easy", "hard"}
    spam = r.workers[r.workers["group_name"] == "spammer"]
    assert len(spam) > 0 and (spam["accuracy"] == 0.5).all()
    assert (r.workers[r.workers["group_name"] == "hammer"]["accuracy"] == 1.0).all()


def test_tables_are_read_on_first_access_only(altered):
    path = altered("schema_version", 1)
    r = load(path)
    assert "tables read: none" in repr(r) and len(r.summary) == 1
    with h5py.File(path, "r+") as f:  # changed after load(): a lazy reader sees it, an eager one cannot
        rows = f["runs/000000/workers"][()]
        rows["earnings"] = 123.0
        f["runs/000000/workers"][...] = rows
    assert (r.workers["earnings"] == 123.0).all()
    assert "tables read: workers" in repr(r)
    assert r.workers is r.workers  # read once, then kept


def test_only_the_tables_and_runs_asked_for(sim_file_3runs):
    r = load(sim_file_3runs, tables=["workers"], runs=[0, 2])
    assert list(r.summary["run_id"]) == [0, 2] and list(r.runs["run_id"]) == [0, 2]
    assert set(r.workers["run_id"]) == {0, 2}
    full = load(sim_file_3runs).workers
    pd.testing.assert_frame_equal(r.workers.reset_index(drop=True),
                                  full[full["run_id"] != 1].reset_index(drop=True))
    with pytest.raises(KeyError, match="tasks.*not asked for"):
        r.tasks
    with pytest.raises(KeyError, match="no run 7"):
        load(sim_file_3runs, runs=[7])
    with pytest.raises(ValueError, match="no table nope"):
        load(sim_file_3runs, tables=["nope"])


def test_repeated_strings_are_categoricals(sim_file_3runs):
    a = load(sim_file_3runs).assignments
    for column in ("assignment_policy", "incentive_policy"):
        assert isinstance(a[column].dtype, pd.CategoricalDtype), column
        assert a[column].memory_usage(index=False, deep=True) < 2 * len(a) + 1000  # a byte a row, not a string
    assert set(a["assignment_policy"]) == {"fifo"}
    # Nothing but the run id and the policies is added to the file's columns.
    assert list(a.columns) == ["run_id", *COLUMNS["assignments"], "assignment_policy", "incentive_policy"]
