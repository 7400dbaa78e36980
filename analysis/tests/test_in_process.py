"""crowdsim.run & co. in this process (the compiled crowdsim._core): the same file as the
program with the same seed, errors that carry the JSON path, the GIL released while simulating,
and Ctrl-C that stops a run and keeps what is finished for resume=True."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import h5py
import pandas as pd
import pytest

import crowdsim
from conftest import BINARY, REPO

pytestmark = pytest.mark.sim
DEMO = REPO / "scenarios" / "demo.json"

if os.environ.get("CROWDSIM_EXPECT_INSTALLED"):
    def test_make_venv_installs_the_compiled_simulator():
        assert crowdsim.in_process(), "crowdsim._core is missing from the installed package"
else:
    pytestmark = [pytestmark, pytest.mark.skipif(not crowdsim.in_process(), reason="crowdsim._core not built")]


def cli(out, *args, command="run", scenario=DEMO):
    subprocess.run([str(BINARY), command, str(scenario), "-o", str(out), "--quiet", *args], check=True)
    return out


def tables_of(path):
    """Every dataset of every run, and the /summary, as arrays (wall times left out)."""
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
        scenario = f.attrs["scenario"]
    out.pop("summary", None)
    return out, scenario


def test_run_in_process_writes_what_the_program_writes(tmp_path):
    # The check: the same KPIs as `crowdsim run ... --seed 3 --replications 2 --set tasks.count=200`.
    r = crowdsim.run(str(DEMO), seed=3, replications=2, set={"tasks.count": 200}, output=tmp_path / "py.h5")
    program = cli(tmp_path / "cli.h5", "--seed", "3", "--replications", "2", "--set", "tasks.count=200")
    expected = crowdsim.load(program)
    pd.testing.assert_frame_equal(r.summary.drop(columns="wall_seconds"), expected.summary.drop(columns="wall_seconds"))
    ours, scenario = tables_of(tmp_path / "py.h5")
    theirs, their_scenario = tables_of(program)
    assert scenario == their_scenario  # the resolved scenario, overrides included
    assert sorted(ours) == sorted(theirs) and len(ours) > 10
    for name in theirs:
        assert ours[name].dtype == theirs[name].dtype and ours[name].tobytes() == theirs[name].tobytes(), name
    other = crowdsim.run(DEMO, seed=4, replications=2, set={"tasks.count": 200})
    assert not other.summary["total_cost"].equals(r.summary["total_cost"])  # the seed matters


def test_threads_do_not_change_the_results():
    one = crowdsim.run(DEMO, seed=8, replications=4, set={"tasks.count": 150}, detail="summary")
    two = crowdsim.run(DEMO, seed=8, replications=4, set={"tasks.count": 150}, detail="summary", threads=2)
    pd.testing.assert_frame_equal(one.summary.drop(columns="wall_seconds"), two.summary.drop(columns="wall_seconds"))


def test_a_dict_keeps_its_data_paths_relative_to_the_working_folder(tmp_path, monkeypatch):
    scenario = json.loads(DEMO.read_text())
    scenario["tasks"]["count"] = 100
    monkeypatch.chdir(REPO)
    a = crowdsim.run(scenario, seed=5, detail="summary")
    b = crowdsim.run(json.dumps(scenario), seed=5, detail="summary")
    assert (a.summary["tasks_closed"] == 100).all()
    pd.testing.assert_frame_equal(a.summary.drop(columns="wall_seconds"), b.summary.drop(columns="wall_seconds"))


def test_errors_carry_the_json_path_expected_and_found(tmp_path):
    bad = REPO / "tests" / "scenarios" / "invalid" / "accuracy_alpha_string.json"
    with pytest.raises(crowdsim.ScenarioError) as e:
        crowdsim.run(bad)
    assert (e.value.path, e.value.expected, e.value.found) == ("workers.accuracy.alpha", "a number > 0", '"abc"')
    assert "workers.accuracy.alpha" in str(e.value)
    with pytest.raises(crowdsim.ScenarioError) as e:
        crowdsim.run(DEMO, set={"tasks.count": -3})
    assert e.value.path == "tasks.count"
    with pytest.raises(crowdsim.ScenarioError) as e:
        crowdsim.sweep(DEMO)
    assert e.value.path == "sweep"
    with pytest.raises(crowdsim.ScenarioError) as e:
        crowdsim.validate('{"tasks": {"count": 10}, "workers": {"count": 2}, "assignment": {"policy": "fifoo"}}')
    assert e.value.path == "assignment.policy" and "fifo" in str(e.value)
    assert crowdsim.validate(DEMO, set={"replications": 3})["runs"] == 3
    existing = tmp_path / "there.h5"
    existing.write_text("")
    with pytest.raises(FileExistsError):
        crowdsim.run(DEMO, output=existing)


def test_list_models_walks_the_registries():
    models = crowdsim.list_models()
    names = subprocess.run([str(BINARY), "list", "assignment"], capture_output=True, text=True, check=True).stdout
    assert set(models["assignment"]) == {line.split()[0] for line in names.splitlines()[1:] if line.strip()}
    assert {"incentive", "aggregation", "behavior", "review", "arrival", "confusion", "distribution", "kpi"} <= set(models)
    assert list(crowdsim.list_models("review")) == ["review"]


def test_optimize_reports_what_the_program_prints(tmp_path):
    small = {"tasks.count": 60, "workers.count": 10, "optimize.grid": 3, "optimize.rounds": 1}
    with pytest.warns(RuntimeWarning, match="every run failed latency_p95"):  # as the program warns
        found = crowdsim.optimize(REPO / "scenarios" / "tune_incentives.json", replications=2, set=small)
    args = [a for k, v in small.items() for a in ("--set", f"{k}={v}")]
    printed = subprocess.run([str(BINARY), "optimize", str(REPO / "scenarios" / "tune_incentives.json"),
                              "--replications", "2", *args], capture_output=True, text=True)
    assert found.report == printed.stdout
    assert len(found.points) == 9 and {"tasks.bounty", "incentive.beta", "objective", "feasible"} <= set(found.points)
    if found.best is not None:
        assert found.best["objective"] == found.points[found.points.feasible]["objective"].max()
        # The optimum again on fresh draws (seed + 1), the point after the search's.
        seed = json.loads((REPO / "scenarios" / "tune_incentives.json").read_text()).get("seed", 1)
        assert found.fresh["seed"] == seed + 1 and found.fresh["point"] == 9 and found.fresh["runs"] == 2
        assert f"on fresh draws (seed {seed + 1}): " in found.report


def test_the_gil_is_released_while_simulating():
    ticks, done = [], threading.Event()

    def simulate():
        crowdsim.run(DEMO, seed=1, replications=3, set={"tasks.count": 200000}, detail="summary")
        done.set()

    worker = threading.Thread(target=simulate)
    start = time.monotonic()
    worker.start()
    while not done.is_set():
        ticks.append(time.monotonic())
        sum(range(2000))  # pure Python: runs only while the simulation does not hold the GIL
    worker.join()
    took = time.monotonic() - start
    assert took > 0.2, "the run was too short to tell"
    assert len(ticks) > 100 and ticks[-1] - ticks[0] > 0.5 * took


INTERRUPTED = textwrap.dedent("""
    import sys, crowdsim
    try:
        crowdsim.run(sys.argv[1], seed=2, replications=8, set={"tasks.count": 300000}, detail="summary",
                     output=sys.argv[2])
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(7)
""")


def started(out, after):
    """INTERRUPTED writing `out` in a new Python process, `after` seconds after its file appeared."""
    proc = subprocess.Popen([sys.executable, "-c", INTERRUPTED, str(DEMO), str(out)], stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not Path(f"{out}.tmp").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(after)
    return proc


def test_ctrl_c_stops_the_run_and_resume_completes_it(tmp_path):
    out = tmp_path / "big.h5"
    proc = started(out, 0.5)  # into the second or third of eight runs of 0.2 to 0.4 s each
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 7 and stdout.strip() == "interrupted"
    assert time.monotonic() - sent < 5, "the run did not stop at once"
    partial = tmp_path / "big.h5.partial"
    assert partial.exists() and not out.exists()
    with h5py.File(partial, "r") as f:
        assert f.attrs["status"] in (b"partial", "partial")
        kept = len(f["runs"])
    assert kept < 8
    done = crowdsim.run(DEMO, seed=2, replications=8, set={"tasks.count": 300000}, detail="summary", output=out,
                        resume=True, threads=2)
    whole = crowdsim.run(DEMO, seed=2, replications=8, set={"tasks.count": 300000}, detail="summary", threads=2)
    cols = [c for c in whole.summary.columns if c != "wall_seconds"]
    pd.testing.assert_frame_equal(done.summary[cols], whole.summary[cols])


def test_a_killed_run_is_salvaged_by_resume(tmp_path):
    """SIGKILL (the out-of-memory killer, a scheduler's hard limit) leaves OUT.tmp, never closed:
    starting again is refused, and resume=True keeps its finished runs and completes the file."""
    out = tmp_path / "big.h5"
    proc = started(out, 0.9)  # into the third to fifth of eight runs of 0.2 to 0.4 s each
    proc.kill()
    proc.communicate(timeout=60)
    assert (tmp_path / "big.h5.tmp").exists() and not out.exists()
    args = dict(seed=2, replications=8, set={"tasks.count": 300000}, detail="summary", output=out)
    with pytest.raises(FileExistsError, match="resume=True to salvage"):
        crowdsim.run(DEMO, **args)
    done = crowdsim.run(DEMO, resume=True, threads=2, **args)
    assert not (tmp_path / "big.h5.tmp").exists() and not (tmp_path / "big.h5.partial").exists()
    whole = crowdsim.run(DEMO, **{**args, "output": None}, threads=2)
    cols = [c for c in whole.summary.columns if c != "wall_seconds"]
    pd.testing.assert_frame_equal(done.summary[cols], whole.summary[cols])
