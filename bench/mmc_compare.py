#!/usr/bin/python3
"""crowdsim's mmc scenario against the minimal C++ loop and SimPy, side by side in one run.

    /usr/bin/python3 bench/mmc_compare.py [--reps 3] [--tasks 1000000] [--simpy-tasks 100000]

Each implementation runs --reps times, interleaved; the table shows medians. Tasks per second
is the fair unit: crowdsim also counts its monitoring snapshots as events, the others count an
arrival and a completion per task.
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py

REPO = Path(__file__).resolve().parents[1]


def timed(cmd):
    """Runs cmd under GNU time; returns (wall seconds, peak RSS MiB, stdout). GNU time reports
    its own child's peak RSS: a child forked from this Python process would count Python's."""
    with tempfile.NamedTemporaryFile("r") as rss_file:
        t0 = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *map(str, cmd)],
                              stdout=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"failed: {' '.join(map(str, cmd))}")
        return wall, int(rss_file.read().split()[-1]) / 1024.0, proc.stdout


def parse(line):
    return dict(kv.split("=", 1) for kv in line.split())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--tasks", type=int, default=1000000)
    p.add_argument("--simpy-tasks", type=int, default=100000)
    a = p.parse_args()
    binary = REPO / "build" / "crowdsim"
    minimal = REPO / "build" / "bench" / "bench_mmc_minimal"
    out = Path(tempfile.mkdtemp()) / "bench_mmc.h5"
    model = ["--servers", "50", "--rho", "0.9", "--service-mean", "60"]
    rows = {"minimal C++ loop": [], "crowdsim (summary detail)": [], "SimPy 2.3 (Debian)": []}
    for _ in range(a.reps):
        wall, rss, text = timed([minimal, "--tasks", str(a.tasks), *model])
        r = parse(text)
        rows["minimal C++ loop"].append((a.tasks, float(r["seconds"]), int(r["events"]), rss))
        if binary.exists():
            wall, rss, _ = timed([binary, "run", REPO / "scenarios" / "mmc.json", "-o", out, "--detail", "summary",
                                  "--quiet", "--set", f"tasks.count={a.tasks}"])
            with h5py.File(out) as f:
                events = int(f["runs/000000"].attrs["events_processed"])
            rows["crowdsim (summary detail)"].append((a.tasks, wall, events, rss))
        wall, rss, text = timed(["/usr/bin/python3", REPO / "bench" / "mmc_simpy.py", "--tasks", str(a.simpy_tasks), *model])
        r = parse(text)
        rows["SimPy 2.3 (Debian)"].append((a.simpy_tasks, float(r["seconds"]), int(r["events"]), rss))

    print(f"M/M/c, c = 50, utilisation 0.9; median of {a.reps} interleaved repetitions\n")
    print(f"{'implementation':28} {'tasks':>9} {'wall s':>8} {'M tasks/s':>10} {'M events/s':>11} {'peak RSS MiB':>13}")
    med = {}
    for name, runs in rows.items():
        if not runs:
            print(f"{name:28} not built yet")
            continue
        tasks = runs[0][0]
        secs = statistics.median(r[1] for r in runs)
        events = runs[0][2]
        rss = statistics.median(r[3] for r in runs)
        med[name] = tasks / secs
        print(f"{name:28} {tasks:9d} {secs:8.3f} {tasks / secs / 1e6:10.3f} {events / secs / 1e6:11.2f} {rss:13.1f}")
    if "crowdsim (summary detail)" in med:
        c = med["crowdsim (summary detail)"]
        print(f"\ncrowdsim time per task / minimal loop's: {med['minimal C++ loop'] / c:.2f} x (target <= 2)")
        print(f"crowdsim tasks per second / SimPy's:     {c / med['SimPy 2.3 (Debian)']:.1f} x (target >= 30)")
        print("(crowdsim's wall time includes start-up, scenario loading and writing the HDF5 file)")


if __name__ == "__main__":
    main()
