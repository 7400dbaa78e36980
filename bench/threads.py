#!/usr/bin/python3
"""Sweep scaling: the same experiment on 1 thread and on 2, side by side.

    /usr/bin/python3 bench/threads.py [--reps 3] [--replications 60] [--threads 2] [--against B]

Runs `build/crowdsim run scenarios/compare_policies.json --replications R -j J -o OUT --quiet`
(8 policies x R replications, summary detail) with -j 1 and -j J, interleaved, each under
`/usr/bin/time -v`; prints the median wall time of each, the speed-up (target with 2 threads:
>= 1.85 x) and the CPU time (user + system, all threads), whose ratio to the wall time says how
busy the cores were. The output files are compared too: --threads must not change a bit of the
results (only the timing attributes differ, so /summary is compared without wall_seconds).
With --against B (the crowdsim binary of another build, e.g. of an earlier commit), B runs the
same commands interleaved with build/crowdsim, and each gets its own table: two builds side by
side in one run.
"""
import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from detail import CROWDSIM, REPO, medians, timed  # noqa: E402  (the same timing as the detail benchmark)


def summary_without_timing(path):
    import h5py
    import numpy as np
    with h5py.File(path, "r") as f:
        s = f["summary"][()]
    names = [n for n in s.dtype.names if n != "wall_seconds"]
    return np.asarray(s[names].tolist()).tobytes()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--replications", type=int, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--against", help="another build's crowdsim binary, run side by side")
    args = ap.parse_args()
    if not CROWDSIM.exists():
        sys.exit("build first: make build")
    binaries = [("this build", CROWDSIM)] + ([("--against", Path(args.against))] if args.against else [])
    scenario = REPO / "scenarios" / "compare_policies.json"
    counts = (1, args.threads)
    results = {(b, j): [] for b, _ in binaries for j in counts}
    with tempfile.TemporaryDirectory() as tmp:
        outs = {(b, j): Path(tmp) / f"{i}_j{j}.h5" for i, (b, _) in enumerate(binaries) for j in counts}
        for _ in range(args.reps):
            for b, binary in binaries:
                for j in counts:
                    results[b, j].append(timed([binary, "run", scenario, "--replications", args.replications, "-j", j,
                                                "-o", outs[b, j], "--force", "--quiet"], None))
        same = {b: summary_without_timing(outs[b, 1]) == summary_without_timing(outs[b, args.threads])
                for b, _ in binaries}
    print(f"compare_policies.json, {args.replications} replications x 8 policies: median of {args.reps} "
          f"interleaved runs, wall time of the whole command")
    for b, binary in binaries:
        if args.against:
            print(f"\n{b}: {binary}")
        print(f"\n{'threads':<8} {'wall s':>7} {'min s':>7} {'max s':>7} {'CPU s':>6} {'CPU / wall':>10} {'peak RSS MiB':>13}")
        med = {}
        for j in counts:
            med[j], lo, hi, cpu, rss = medians(results[b, j])
            print(f"{j:<8} {med[j]:>7.2f} {lo:>7.2f} {hi:>7.2f} {cpu:>6.2f} {cpu / med[j]:>10.2f} {rss:>13.1f}")
        speedup = med[1] / med[args.threads]
        target = " (target >= 1.85: " + ("met" if speedup >= 1.85 else "NOT met") + ")" if args.threads == 2 else ""
        print(f"\nspeed-up with {args.threads} threads: {speedup:.2f} x{target}; /summary identical: {same[b]}")
    if not all(same.values()):
        sys.exit("the results differ with the thread count")

if __name__ == "__main__":
    main()
