#!/usr/bin/python3
"""crowdsim's mmc scenario against the minimal C++ loop, the same-work loop and SimPy, side by
side in one run.

    /usr/bin/python3 bench/mmc_compare.py [--reps 5] [--cpus 0,1] [--tasks 1000000] [--simpy-tasks 100000]
                                          [--servers 50[,25,10,...]] [--instructions]

--instructions counts instructions instead (valgrind --tool=callgrind; `apt-get install valgrind`):
each implementation runs 100,000 and 200,000 tasks, and the difference over 100,000 is its
instructions per task, start-up excluded. Unlike the times, the counts do not move with the
machine's load, so they compare the implementations on any day.

--servers runs the comparison at other pool sizes too, at the same utilisation 0.9 (the
scenario's arrival rate scaled with c): crowdsim's per-task working set (tasks and workers in
flight) shrinks with c, so the ratio's trend over c shows how much of the gap is cache misses
(SimPy is not run then).

Every implementation runs pinned (sched_setaffinity) to each CPU in turn, interleaved, --reps times per
CPU; the tables show medians per CPU. On a shared virtual machine one vCPU can be much slower
than the other for a while (a busy hyperthread sibling on the host), so a comparison is only
fair between runs on the same CPU at about the same time, and the targets are judged per CPU.

The same-work loop (bench/mmc_same_work.hpp) is the minimal loop doing the model's own work:
crowdsim's random streams and draws, the labels, answers, reviews, payments and the KPIs' sums,
without the platform. Its KPIs must equal crowdsim's /summary bit for bit (checked here each time),
so it does the same work; the time it adds to the minimal loop is what the model costs,
and crowdsim's run timer over it what the platform's generality costs.

crowdsim is timed as a whole process (start-up, scenario loading and the HDF5 file included,
and Python starting it), the minimal loop and SimPy by their own timers around the simulation
alone: the comparison leans against crowdsim. Peak RSS comes from one more run of each under
GNU time (which would add its own start-up to a timed run). Tasks per second is the unit: crowdsim also counts its monitoring
snapshots as events, the others count an arrival and a completion per task.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py

REPO = Path(__file__).resolve().parents[1]


class pinned:
    """Pins this process, and so every child it starts, to `cpu` (None: leaves it alone)."""

    def __init__(self, cpu):
        self.cpu, self.saved = cpu, None

    def __enter__(self):
        if self.cpu is not None:
            self.saved = os.sched_getaffinity(0)
            os.sched_setaffinity(0, {self.cpu})

    def __exit__(self, *exc):
        if self.saved is not None:
            os.sched_setaffinity(0, self.saved)


def timed(cmd, cpu=None):
    """Runs cmd (pinned to `cpu` if given) under GNU time; returns (wall seconds, peak RSS MiB,
    stdout). GNU time reports its own child's peak RSS: a child forked from this Python process
    would count Python's. The wall time includes starting GNU time (about 5 ms)."""
    cmd = [str(c) for c in cmd]
    with pinned(cpu), tempfile.NamedTemporaryFile("r") as rss_file:
        t0 = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *cmd], stdout=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}")
        return wall, int(rss_file.read().split()[-1]) / 1024.0, proc.stdout


def wall_of(cmd, cpu=None):
    """Runs cmd (pinned to `cpu` if given) directly; returns (wall seconds, stdout): the process
    alone, without the few milliseconds GNU time or taskset would add to each start."""
    cmd = [str(c) for c in cmd]
    with pinned(cpu):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return wall, proc.stdout


def parse(line):
    return dict(kv.split("=", 1) for kv in line.split())


SCENARIO = REPO / "scenarios" / "mmc.json"
BINARY = REPO / "build" / "crowdsim"
MINIMAL = REPO / "build" / "bench" / "bench_mmc_minimal"
SAME_WORK = REPO / "build" / "bench" / "bench_mmc_same_work"
SAME_KPIS = ["wait_mean", "latency_mean", "accuracy", "mean_review", "duration_mean", "total_cost", "end_time"]


def model_args(servers):
    """The loop's and SimPy's model: the scenario's (utilisation 0.9, a 60 s mean service)."""
    return ["--servers", servers, "--rho", "0.9", "--service-mean", "60"]


def loop_command(tasks, servers):
    return [MINIMAL, "--tasks", tasks, *model_args(servers)]


def crowdsim_command(out, tasks, servers=None):
    """The shipped scenario with `tasks` tasks; with `servers`, a pool of that size and the
    arrival rate scaled with it (the scenario's utilisation, 0.9, kept)."""
    cmd = [BINARY, "run", SCENARIO, "-o", out, "--force", "--detail", "summary", "--quiet", "--set", f"tasks.count={tasks}"]
    if servers is not None:
        with open(SCENARIO) as f:
            sc = json.load(f)
        rate = sc["tasks"]["arrival"]["rate_per_hour"] * servers / sc["workers"]["count"]
        cmd += ["--set", f"workers.count={servers}", "--set", f"tasks.arrival.rate_per_hour={rate:g}"]
    return cmd


def run_crowdsim(cmd, out, cpu):
    """Runs crowdsim pinned to `cpu`; returns (process wall seconds, its run timer, events)."""
    wall, _ = wall_of(cmd, cpu)
    with h5py.File(out) as f:
        attrs = f["runs/000000"].attrs
        return wall, float(attrs["wall_seconds"]), int(attrs["events_processed"])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=5, help="repetitions per CPU")
    p.add_argument("--cpus", default=",".join(str(c) for c in sorted(os.sched_getaffinity(0))))
    p.add_argument("--tasks", type=int, default=1000000)
    p.add_argument("--simpy-tasks", type=int, default=100000)
    p.add_argument("--servers", default="50", help="pool sizes c, comma-separated (utilisation 0.9 at each)")
    p.add_argument("--instructions", action="store_true", help="instructions per task under callgrind, not times")
    a = p.parse_args()
    if a.instructions:
        return count_instructions()
    sizes = [int(c) for c in a.servers.split(",")]
    if sizes != [50]:
        return compare_sizes(a, sizes)
    cpus = [int(c) for c in a.cpus.split(",")]
    out = Path(tempfile.mkdtemp()) / "bench_mmc.h5"
    loop, same, crowdsim, simpy = names = ["minimal C++ loop", "same-work loop", "crowdsim (summary detail)", "SimPy 2.3 (Debian)"]
    rows = {(cpu, n): [] for cpu in cpus for n in names}
    run_timer = {cpu: [] for cpu in cpus}  # crowdsim's own timer: the simulation alone
    commands = {loop: loop_command(a.tasks, 50),
                same: [SAME_WORK, "--tasks", a.tasks, *model_args(50)],
                crowdsim: crowdsim_command(out, a.tasks),
                simpy: ["/usr/bin/python3", REPO / "bench" / "mmc_simpy.py", "--tasks", a.simpy_tasks, *model_args(50)]}
    for _ in range(a.reps):
        for cpu in cpus:
            for name in names:
                if name == crowdsim:
                    wall, timer, events = run_crowdsim(commands[name], out, cpu)
                    run_timer[cpu].append(timer)
                    rows[cpu, name].append((a.tasks, wall, events))
                else:  # the loops and SimPy report their own timers around the simulation
                    r = parse(wall_of(commands[name], cpu)[1])
                    rows[cpu, name].append((int(r["tasks"]), float(r["seconds"]), int(r["events"])))
                    if name == same:
                        same_kpis = r
    check_same_work(same_kpis, out)  # every run of each is the same: its last ones stand for all
    rss = {(cpu, name): timed(commands[name], cpu)[1] for cpu in cpus for name in names}  # one more run each

    print(f"M/M/c, c = 50, utilisation 0.9; median of {a.reps} interleaved repetitions per CPU, each implementation")
    print("pinned to the same CPU in turn\n")
    print(f"{'cpu':>3}  {'implementation':27} {'tasks':>9} {'wall s':>8} {'M tasks/s':>10} {'M events/s':>11} {'peak RSS MiB':>13}")
    rate = {}
    for cpu in cpus:
        for name in names:
            runs = rows[cpu, name]
            tasks, events = runs[0][0], runs[0][2]
            secs = statistics.median(r[1] for r in runs)
            rate[cpu, name] = tasks / secs
            print(f"{cpu:>3}  {name:27} {tasks:9d} {secs:8.3f} {tasks / secs / 1e6:10.3f} {events / secs / 1e6:11.2f} "
                  f"{rss[cpu, name]:13.1f}")
    print()
    for cpu in cpus:
        c = rate[cpu, crowdsim]
        vs_loop = rate[cpu, loop] / c
        vs_simpy = c / rate[cpu, simpy]
        own = statistics.median(run_timer[cpu]) / (a.tasks / rate[cpu, loop])
        print(f"cpu {cpu}: crowdsim time per task / minimal loop's {vs_loop:.2f} x (target <= 1.2: "
              f"{'met' if vs_loop <= 1.2 else 'NOT met'}); tasks per second / SimPy's {vs_simpy:.1f} x (target >= 30: "
              f"{'met' if vs_simpy >= 30 else 'NOT met'}); run timer alone {own:.2f} x the loop")
        model = rate[cpu, loop] / rate[cpu, same]
        platform = statistics.median(run_timer[cpu]) / (a.tasks / rate[cpu, same])
        print(f"       same-work loop / minimal loop {model:.2f} x (what the model's draws and sums cost); "
              f"crowdsim's run timer / same-work loop {platform:.2f} x (what the platform costs)")
    print("(crowdsim's wall time includes process start-up, scenario loading and writing the HDF5 file;")
    print(f" the same-work loop's KPIs are equal to crowdsim's /summary, bit for bit: {', '.join(SAME_KPIS)})")


def check_same_work(r, out):
    """Exits unless the same-work loop's KPIs (its output `r`) equal those of crowdsim's file `out`
    (the same model: it ran just before, with the same tasks and pool)."""
    with h5py.File(out) as f:
        s = f["summary"][0]
        for k in SAME_KPIS:
            if float(r[k]) != float(s[k]):
                sys.exit(f"the same-work loop's {k} is {r[k]}, crowdsim's {float(s[k])!r}: they must be equal")


def instructions(cmd):
    """Instructions cmd executes, counted by callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out", *map(str, cmd)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    counts = [line.split()[-1] for line in proc.stderr.splitlines() if "Collected :" in line]
    if proc.returncode != 0 or not counts:
        sys.exit(f"failed under valgrind: {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")
    return int(counts[-1])


def count_instructions():
    """Instructions per task of the minimal loop, the same-work loop and crowdsim, start-up
    excluded: (count at 200,000 tasks - count at 100,000) / 100,000."""
    out = Path(tempfile.mkdtemp()) / "bench_mmc.h5"
    impls = {"minimal C++ loop": lambda n: loop_command(n, 50),
             "same-work loop": lambda n: [SAME_WORK, "--tasks", n, *model_args(50)],
             "crowdsim (summary detail)": lambda n: crowdsim_command(out, n)}
    print("M/M/c, c = 50, utilisation 0.9: instructions per task (valgrind --tool=callgrind), start-up excluded\n")
    per_task = {}
    for name, command in impls.items():
        per_task[name] = (instructions(command(200000)) - instructions(command(100000))) / 100000
        print(f"{name:27} {per_task[name]:8.0f}")
    loop, same, crowdsim = per_task.values()
    print(f"\nsame-work loop / minimal loop {same / loop:.2f} x; crowdsim / same-work loop {crowdsim / same:.2f} x; "
          f"crowdsim / minimal loop {crowdsim / loop:.2f} x")


def compare_sizes(a, sizes):
    """The minimal loop and crowdsim at each pool size c, interleaved and pinned as in main();
    one line per CPU and size."""
    cpus = [int(c) for c in a.cpus.split(",")]
    out = Path(tempfile.mkdtemp()) / "bench_mmc.h5"
    loop, whole, timer = ({(cpu, c): [] for cpu in cpus for c in sizes} for _ in range(3))
    for _ in range(a.reps):
        for cpu in cpus:
            for c in sizes:
                loop[cpu, c].append(float(parse(wall_of(loop_command(a.tasks, c), cpu)[1])["seconds"]))
                wall, own, _ = run_crowdsim(crowdsim_command(out, a.tasks, c), out, cpu)
                whole[cpu, c].append(wall)
                timer[cpu, c].append(own)
    print(f"M/M/c at utilisation 0.9, {a.tasks} tasks; median of {a.reps} interleaved repetitions per CPU and size\n")
    print(f"{'cpu':>3} {'c':>4} {'loop s':>8} {'crowdsim s':>11} {'ratio':>6} {'run timer s':>12} {'ratio':>6}")
    for cpu in cpus:
        for c in sizes:
            l, w, t = (statistics.median(x[cpu, c]) for x in (loop, whole, timer))
            print(f"{cpu:>3} {c:>4} {l:8.3f} {w:11.3f} {w / l:6.2f} {t:12.3f} {t / l:6.2f}")


if __name__ == "__main__":
    main()
