#!/usr/bin/python3
"""Scale: the cost per event as the work grows, and memory against history.

    /usr/bin/python3 bench/scale.py series [--reps 3] [--sizes 1e4,1e5,1e6,1e7]
    /usr/bin/python3 bench/scale.py large  [--reps 3]
    /usr/bin/python3 bench/scale.py strategic [--reps 3]

series: scenarios/mmc.json (c = 50, utilisation 0.9, summary detail) at 10^4 ... 10^7 tasks.
Events per second come from the run's own timer (the wall_seconds and events_processed
attributes of the run in the output file: process start-up and file writing excluded); peak RSS
from GNU time (the whole process). The last line compares events per second at the largest size
with the smallest (target: within 1.5 x) and peak RSS (target: flat, memory follows open work,
not history).

large: scenarios/large.json (10^6 tasks, 20,000 workers with sessions, redundancy 3, the learned
policy, full detail output): wall time of the whole command, events per second, peak RSS and the
output size (targets: at most 10 s and 2 GiB).

strategic: scenarios/large.json with its workers sampled and strategic, side by side (the runs
interleaved, each pinned to CPU 0), under its own fixed pay and under exponential_progress
beta = -1 (where each worker's best response is a real optimisation: 2,300 buckets of speed and
accuracy). Strategic workers change what happens (they work faster), so both the whole command
and the run's own timer are compared; target: strategic within 1.2 x of sampled.
"""
import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import h5py

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mmc_compare import REPO, timed  # noqa: E402

CROWDSIM = REPO / "build" / "crowdsim"


def run(scenario, out, sets=(), cpu=None):
    cmd = [CROWDSIM, "run", scenario, "-o", out, "--force", "--quiet"]
    for s in sets:
        cmd += ["--set", s]
    wall, rss, _ = timed(cmd, cpu)
    with h5py.File(out, "r") as f:
        attrs = f["runs/000000"].attrs
        events, seconds = int(attrs["events_processed"]), float(attrs["wall_seconds"])
    return wall, seconds, events, rss, Path(out).stat().st_size


def series(args):
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            reps = [run(REPO / "scenarios/mmc.json", f"{tmp}/mmc.h5", [f"tasks.count={n}"]) for _ in range(args.reps)]
            seconds = statistics.median(r[1] for r in reps)
            events = reps[0][2]
            rss = statistics.median(r[3] for r in reps)
            rows.append((n, events, seconds, events / seconds, rss))
    print(f"mmc (c = 50, utilisation 0.9, summary detail); median of {args.reps} runs per size\n")
    print(f"{'tasks':>10} {'events':>11} {'run s':>8} {'M events/s':>11} {'ns/event':>9} {'peak RSS MiB':>13}")
    for n, events, seconds, rate, rss in rows:
        print(f"{n:>10} {events:>11} {seconds:>8.3f} {rate / 1e6:>11.2f} {1e9 / rate:>9.1f} {rss:>13.1f}")
    first, last = rows[0], rows[-1]
    print(f"\nevents/s at {first[0]:.0e} tasks / at {last[0]:.0e}: {first[3] / last[3]:.2f} x (target <= 1.5)")
    print(f"peak RSS at {last[0]:.0e} tasks / at {first[0]:.0e}: {last[4] / first[4]:.2f} x")


def large(args):
    with tempfile.TemporaryDirectory() as tmp:
        reps = [run(REPO / "scenarios/large.json", f"{tmp}/large.h5") for _ in range(args.reps)]
    wall = statistics.median(r[0] for r in reps)
    seconds = statistics.median(r[1] for r in reps)
    events, size = reps[0][2], reps[0][4]
    rss = max(r[3] for r in reps)
    print(f"scenarios/large.json (full detail); median of {args.reps} runs\n")
    print(f"{'wall s':>8} {'run s':>8} {'events':>10} {'M events/s':>11} {'peak RSS MiB':>13} {'file MiB':>9}")
    print(f"{wall:>8.2f} {seconds:>8.2f} {events:>10} {events / seconds / 1e6:>11.2f} {rss:>13.1f} {size / 2**20:>9.1f}")
    print(f"\ntargets: wall <= 10 s ({'met' if wall <= 10 else 'NOT met'}), peak RSS <= 2048 MiB "
          f"({'met' if rss <= 2048 else 'NOT met'})")


def strategic(args):
    incentives = {"fixed (as shipped)": [], "exponential_progress beta -1":
                  ['incentive={"policy": "exponential_progress", "beta": -1}']}
    behaviors = {"sampled": 'workers.behavior={"model": "sampled"}', "strategic": 'workers.behavior={"model": "strategic"}'}
    print(f"scenarios/large.json, sampled against strategic workers; median of {args.reps} interleaved runs on CPU 0\n")
    print(f"{'incentive':<30} {'workers':<10} {'wall s':>7} {'run s':>7} {'events':>9} {'strategies':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, sets in incentives.items():
            results = {b: [] for b in behaviors}
            for _ in range(args.reps):
                for b, setting in behaviors.items():
                    results[b].append(run(REPO / "scenarios/large.json", f"{tmp}/{b}.h5", [*sets, setting], cpu=0))
                    if b == "strategic":
                        with h5py.File(f"{tmp}/{b}.h5", "r") as f:
                            rows = len(f["runs/000000/strategies"])
            med = {b: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs), rs[0][2])
                   for b, rs in results.items()}
            for b, (wall, seconds, events) in med.items():
                print(f"{name:<30} {b:<10} {wall:>7.2f} {seconds:>7.2f} {events:>9} {rows if b == 'strategic' else 0:>10}")
            ratio = med["strategic"][0] / med["sampled"][0]
            print(f"{'':<30} strategic / sampled: {ratio:.3f} x wall, {med['strategic'][1] / med['sampled'][1]:.3f} x run "
                  f"(target <= 1.2: {'met' if ratio <= 1.2 else 'NOT met'})\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["series", "large", "strategic"])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sizes", default="1e4,1e5,1e6,1e7")
    args = ap.parse_args()
    if not CROWDSIM.exists():
        sys.exit("build first: make build")
    {"series": series, "large": large, "strategic": strategic}[args.what](args)


if __name__ == "__main__":
    main()
