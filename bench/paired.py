#!/usr/bin/python3
"""Two or more crowdsim binaries on the same scenario, in interleaved pairs on one CPU.

    /usr/bin/python3 bench/paired.py OLD_BINARY NEW_BINARY [...] [--pairs 25] [--cpu 0]
                                     [--scenario scenarios/mmc.json] [--set KEY=VALUE ...]

On this VM the speed of a CPU drifts by up to a third within minutes, so two binaries timed
minutes apart cannot be compared. Here each round runs every binary once, in alternating
order, pinned to the same CPU, and the figure is the median over rounds of each binary's time
divided by the first binary's time in the same round: the drift cancels within a round. Each
run is a whole process (`run SCENARIO -o ... --detail summary --quiet`), as in mmc_compare.py.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("binaries", nargs="+", help="crowdsim binaries; the first is the reference")
    p.add_argument("--pairs", type=int, default=25, help="rounds (each runs every binary once)")
    p.add_argument("--cpu", type=int, default=min(os.sched_getaffinity(0)))
    p.add_argument("--scenario", default=str(REPO / "scenarios" / "mmc.json"))
    p.add_argument("--set", action="append", default=[], help="a scenario override, as crowdsim run --set")
    a = p.parse_args()
    if len(a.binaries) < 2:
        sys.exit("paired.py: give at least two binaries")
    os.sched_setaffinity(0, {a.cpu})
    out = Path(tempfile.mkdtemp()) / "paired.h5"
    sets = [x for s in a.set for x in ("--set", s)]
    times = [[] for _ in a.binaries]  # by position: the same binary may be given twice (a check of the noise)
    order = list(range(len(a.binaries)))
    for r in range(a.pairs):
        for i in order if r % 2 == 0 else order[::-1]:
            cmd = [a.binaries[i], "run", a.scenario, "-o", str(out), "--force", "--quiet", "--detail", "summary", *sets]
            t0 = time.perf_counter()
            if subprocess.run(cmd).returncode != 0:
                sys.exit(f"failed: {' '.join(cmd)}")
            times[i].append(time.perf_counter() - t0)
    print(f"{a.pairs} interleaved rounds on CPU {a.cpu}, {Path(a.scenario).name} {' '.join(a.set)}")
    for b, t in zip(a.binaries, times):
        ratio = statistics.median(x / r for x, r in zip(t, times[0]))
        print(f"{b}: median {statistics.median(t):.4f} s, paired ratio to the first {ratio:.3f}")


if __name__ == "__main__":
    main()
