"""Reading crowdsim's HDF5 output into pandas, lazily and selectively.

    import crowdsim
    r = crowdsim.load("out/demo.h5")                      # reads the attributes, runs and summary
    r.summary, r.runs, r.attrs                             # already there
    r.assignments                                          # read now, on first access, then kept
    r = crowdsim.load("out/big.h5", tables=["workers"], runs=[0, 3])   # only these

Every table carries `run_id` and the run's policies (`assignment_policy`, `incentive_policy`) as
pandas Categoricals (one byte a row, not a string); HDF5 enum columns (`tasks.status`,
`alerts.kind`) are Categoricals; `type_name` / `group_name` name the scenario's task types and
worker groups. A table is read in slices of rows straight into its columns, so reading it takes
about the memory of its columns (bench/load_bench.py measures it; docs/performance.md).
"""
from __future__ import annotations

import json
import warnings

import h5py
import numpy as np
import pandas as pd

SCHEMA_VERSIONS = {1}
TABLES = ("tasks", "assignments", "workers", "timeseries", "alerts", "strategies")
SLICE_ROWS = 1 << 18  # rows read from the file at a time

__all__ = ["Results", "load", "TABLES"]


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _attr(value):
    if isinstance(value, (bytes, str)):
        return _text(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else k, v, out)
    else:
        out[prefix] = value


def _enums(dtype) -> dict:
    """{column: [labels in code order]} for the HDF5 enum columns of a compound type."""
    out = {}
    for name in dtype.names:
        mapping = h5py.check_enum_dtype(dtype[name])
        if mapping:
            out[name] = [k for k, _ in sorted(mapping.items(), key=lambda kv: kv[1])]
    return out


def _frame(dataset: h5py.Dataset) -> pd.DataFrame:
    """A small compound dataset as a DataFrame; enum columns become Categoricals."""
    data = dataset[()]
    frame = pd.DataFrame({name: data[name] for name in data.dtype.names})
    for name, labels in _enums(dataset.dtype).items():
        frame[name] = pd.Categorical.from_codes(frame[name].astype(int), categories=labels)
    return frame


def _read_table(datasets: list, run_ids: list, policies: dict) -> pd.DataFrame:
    """The rows of `datasets` (one per run, same compound type), read in slices into
    preallocated columns, then handed to pandas one column at a time (no block of every column
    at once: the peak stays near the columns' own size)."""
    if not datasets:
        return pd.DataFrame()
    dtype = datasets[0].dtype
    total = sum(len(d) for d in datasets)
    columns = {name: np.empty(total, dtype=dtype[name].base) for name in dtype.names}
    run_codes = np.empty(total, dtype=np.int64)
    at = 0
    for d, run_id in zip(datasets, run_ids):
        n = len(d)
        run_codes[at:at + n] = run_id
        for start in range(0, n, SLICE_ROWS):
            part = d[start:min(n, start + SLICE_ROWS)]
            for name in dtype.names:
                columns[name][at + start:at + start + len(part)] = part[name]
            del part
        at += n
    frame = pd.DataFrame(index=pd.RangeIndex(total))
    frame["run_id"] = run_codes
    del run_codes
    enums = _enums(dtype)
    for name in dtype.names:
        values = columns.pop(name)
        if name in enums:
            values = pd.Categorical.from_codes(values.astype(np.int8 if len(enums[name]) < 128 else int),
                                               categories=enums[name])
        frame[name] = values
        del values
    for column in ("assignment_policy", "incentive_policy"):
        names = [policies.get(r, {}).get(column) for r in run_ids]
        labels = list(dict.fromkeys(str(v) for v in names))
        codes = np.repeat(np.array([labels.index(str(v)) for v in names], dtype=np.int8), [len(d) for d in datasets])
        frame[column] = pd.Categorical.from_codes(codes, categories=labels)
    return frame


class Results:
    """One output file as DataFrames (times in seconds). `attrs`, `runs` and `summary` are read
    when loaded; each table (`tasks`, `assignments`, `workers`, `timeseries`, `alerts`,
    `strategies`) on first access, only for the runs asked for. Built from frames instead
    (`Results(attrs=..., runs=..., summary=..., tasks=...)`), it holds just those."""

    def __init__(self, attrs: dict, runs: pd.DataFrame, summary: pd.DataFrame, *, path=None, tables=TABLES,
                 run_ids=None, **frames):
        unknown = set(frames) - set(TABLES)
        if unknown:
            raise TypeError(f"no table {', '.join(sorted(unknown))} (tables: {', '.join(TABLES)})")
        self.attrs, self.runs, self.summary = attrs, runs, summary
        self.path, self.run_ids = path, run_ids
        self.tables = tuple(tables)
        self._frames = dict(frames)

    def __repr__(self):
        read = [t for t in TABLES if t in self._frames]
        return (f"<crowdsim.Results {self.scenario_name!r}: {len(self.summary)} runs, "
                f"tables read: {', '.join(read) or 'none'}; from {self.path or 'memory'}>")

    @property
    def scenario_name(self) -> str:
        scenario = self.attrs.get("scenario", {})
        return str(scenario.get("name", "scenario") if isinstance(scenario, dict) else "scenario")

    def table(self, name: str) -> pd.DataFrame:
        """The table `name`, read from the file the first time."""
        if name not in TABLES:
            raise KeyError(f"no table {name!r} (tables: {', '.join(TABLES)})")
        if name not in self._frames:
            if self.path is None:
                return pd.DataFrame()
            if name not in self.tables:
                raise KeyError(f"table {name!r} was not asked for: load(..., tables={list(self.tables)})")
            self._frames[name] = self._read(name)
        return self._frames[name]

    def _read(self, name: str) -> pd.DataFrame:
        policies = {int(r["run_id"]): r for r in self.runs.to_dict("records")} if not self.runs.empty else {}
        ids = list(self.run_ids) if self.run_ids is not None else sorted(policies)
        with h5py.File(self.path, "r") as f:
            groups = {int(g): g for g in f["runs"]}
            frame = _read_table([f["runs"][groups[i]][name] for i in ids], ids, policies)
        _name_indices(name, frame, self.attrs.get("scenario"))
        return frame

    def subset(self, run_ids) -> "Results":
        """The same results for these runs only (summary, runs and every table read so far, or
        read later from the file for these runs)."""
        keep = lambda t: t[t["run_id"].isin(list(run_ids))] if "run_id" in t else t
        ids = [i for i in (self.run_ids if self.run_ids is not None else self.summary.get("run_id", []))
               if i in set(run_ids)]
        return Results(self.attrs, keep(self.runs), keep(self.summary), path=self.path, tables=self.tables,
                       run_ids=ids, **{k: keep(v) for k, v in self._frames.items()})


for _name in TABLES:
    setattr(Results, _name, property(lambda self, _n=_name: self.table(_n), doc=f"the {_name} table"))


def _name_indices(table: str, frame: pd.DataFrame, scenario) -> None:
    """Adds type_name and group_name, from the scenario's types and groups."""
    if not isinstance(scenario, dict) or not len(frame):
        return
    types = [t.get("name") for t in scenario.get("tasks", {}).get("types", [])] or ["task"]
    groups = [g.get("name") for g in scenario.get("workers", {}).get("groups", [])] or ["workers"]
    for t, column, names in (("tasks", "type", types), ("workers", "group", groups),
                             ("strategies", "type", types), ("strategies", "group", groups)):
        if t == table and column in frame:
            frame[f"{column}_name"] = pd.Categorical.from_codes(frame[column].astype(int), categories=names)


def load(path, tables=None, runs=None) -> Results:
    """Opens a crowdsim HDF5 file: reads its attributes, runs and summary now, and the tables
    (all, or those named in `tables`) when first used. `runs`: only these run ids. Warns if the
    file is marked partial; refuses unknown schemas."""
    path = str(path)
    wanted = tuple(TABLES if tables is None else ([tables] if isinstance(tables, str) else tables))
    unknown = [t for t in wanted if t not in TABLES]
    if unknown:
        raise ValueError(f"no table {', '.join(unknown)} (tables: {', '.join(TABLES)})")
    with h5py.File(path, "r") as f:
        attrs = {k: _attr(v) for k, v in f.attrs.items()}
        version = attrs.get("schema_version")
        if version not in SCHEMA_VERSIONS:
            raise ValueError(f"{path}: schema_version {version!r} is not one this reader knows "
                             f"({sorted(SCHEMA_VERSIONS)}); update the crowdsim package")
        if attrs.get("status") != "complete":
            warnings.warn(f"{path} is marked {attrs.get('status')!r}: some runs may be missing")
        try:
            attrs["scenario"] = json.loads(attrs.get("scenario", "{}"))
        except json.JSONDecodeError:
            pass
        groups = {int(g): g for g in f["runs"]}
        present = sorted(groups)
        if runs is not None:
            missing = sorted(set(runs) - set(present))
            if missing:
                raise KeyError(f"no run {', '.join(map(str, missing))} in {path} (runs 0..{len(present) - 1})")
            present = [r for r in present if r in set(runs)]
        run_rows = []
        for run_id in present:
            row = {"run_id": run_id}
            row.update({k: _attr(v) for k, v in f["runs"][groups[run_id]].attrs.items()})
            params = {}
            _flatten("", json.loads(row.pop("params", "{}") or "{}"), params)
            row.update({f"param.{k}": v for k, v in params.items()})
            run_rows.append(row)
        summary = _frame(f["summary"]) if "summary" in f else pd.DataFrame(columns=["run_id"])
    runs_frame = pd.DataFrame(run_rows)
    if runs is not None:
        summary = summary[summary["run_id"].isin(present)].reset_index(drop=True)
    if not runs_frame.empty:
        summary = summary.merge(runs_frame.drop(columns=["point", "replication"], errors="ignore"), on="run_id",
                                how="left")
    return Results(attrs, runs_frame, summary, path=path, tables=wanted, run_ids=present)
