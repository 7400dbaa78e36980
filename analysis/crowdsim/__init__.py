"""Read crowdsim's HDF5 output into pandas.

    from crowdsim import load
    r = load("out/demo.h5")
    r.summary, r.tasks, r.assignments, r.workers, r.timeseries, r.alerts, r.runs, r.attrs
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field

import h5py
import numpy as np
import pandas as pd

SCHEMA_VERSIONS = {1}
TABLES = ("tasks", "assignments", "workers", "timeseries", "alerts", "strategies")

__all__ = ["Results", "load", "TABLES"]


@dataclass
class Results:
    """Everything in one output file, as DataFrames (times in seconds)."""

    attrs: dict
    runs: pd.DataFrame
    summary: pd.DataFrame
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)
    assignments: pd.DataFrame = field(default_factory=pd.DataFrame)
    workers: pd.DataFrame = field(default_factory=pd.DataFrame)
    timeseries: pd.DataFrame = field(default_factory=pd.DataFrame)
    alerts: pd.DataFrame = field(default_factory=pd.DataFrame)
    strategies: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def scenario_name(self) -> str:
        return str(self.attrs.get("scenario", {}).get("name", "scenario"))


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _attr(value):
    if isinstance(value, (bytes, str)):
        return _text(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _frame(dataset: h5py.Dataset) -> pd.DataFrame:
    """A compound dataset as a DataFrame; HDF5 enum columns become Categoricals."""
    data = dataset[()]
    frame = pd.DataFrame({name: data[name] for name in data.dtype.names})
    for name in data.dtype.names:
        mapping = h5py.check_enum_dtype(dataset.dtype[name])
        if mapping:
            labels = [k for k, _ in sorted(mapping.items(), key=lambda kv: kv[1])]
            frame[name] = pd.Categorical.from_codes(frame[name].astype(int), categories=labels)
    return frame


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else k, v, out)
    else:
        out[prefix] = value


def _name_indices(frames: dict, scenario) -> None:
    """Adds type_name and group_name, from the scenario's types and groups."""
    if not isinstance(scenario, dict):
        return
    types = [t.get("name") for t in scenario.get("tasks", {}).get("types", [])] or ["task"]
    groups = [g.get("name") for g in scenario.get("workers", {}).get("groups", [])] or ["workers"]
    for table, column, names in (("tasks", "type", types), ("workers", "group", groups),
                                 ("strategies", "type", types), ("strategies", "group", groups)):
        frame = frames.get(table)
        if frame is not None and column in frame and len(frame):
            frame[f"{column}_name"] = pd.Categorical.from_codes(frame[column].astype(int), categories=names)


def load(path: str) -> Results:
    """Loads a crowdsim HDF5 file. Warns if it is marked partial; refuses unknown schemas."""
    with h5py.File(path, "r") as f:
        attrs = {k: _attr(v) for k, v in f.attrs.items()}
        version = attrs.get("schema_version")
        if version not in SCHEMA_VERSIONS:
            raise ValueError(f"{path}: schema_version {version!r} is not one this reader knows "
                             f"({sorted(SCHEMA_VERSIONS)}); update analysis/crowdsim")
        if attrs.get("status") != "complete":
            warnings.warn(f"{path} is marked {attrs.get('status')!r}: some runs may be missing")
        try:
            attrs["scenario"] = json.loads(attrs.get("scenario", "{}"))
        except json.JSONDecodeError:
            pass

        run_rows, tables = [], {name: [] for name in TABLES}
        for run_id in sorted(f["runs"]):
            group = f["runs"][run_id]
            row = {"run_id": int(run_id)}
            row.update({k: _attr(v) for k, v in group.attrs.items()})
            params = {}
            _flatten("", json.loads(row.pop("params", "{}") or "{}"), params)
            row.update({f"param.{k}": v for k, v in params.items()})
            run_rows.append(row)
            for name in TABLES:
                frame = _frame(group[name])
                frame.insert(0, "run_id", int(run_id))
                frame["assignment_policy"] = row.get("assignment_policy")
                frame["incentive_policy"] = row.get("incentive_policy")
                tables[name].append(frame)
        runs = pd.DataFrame(run_rows)
        summary = _frame(f["summary"]) if "summary" in f else pd.DataFrame(columns=["run_id"])

    if not runs.empty:
        summary = summary.merge(runs.drop(columns=["point", "replication"], errors="ignore"), on="run_id", how="left")
    frames = {name: (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()) for name, parts in tables.items()}
    _name_indices(frames, attrs.get("scenario"))
    return Results(attrs=attrs, runs=runs, summary=summary, **frames)
