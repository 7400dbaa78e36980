#!/usr/bin/python3
"""Start-up: what a process costs before and around a short run.

    /usr/bin/python3 bench/startup.py [--reps 20] [--cpu 0] [--binary build/crowdsim]

Times `crowdsim --version` and a 10-task run of scenarios/mmc.json (summary detail) as whole
processes, pinned to one CPU, and counts their page faults (GNU time's minor faults); prints
medians, and the shared objects the binary loads (ldd).
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def measure(cmd, reps, cpu):
    walls, faults = [], []
    for _ in range(reps):
        with tempfile.NamedTemporaryFile("r") as f:
            t0 = time.perf_counter()
            p = subprocess.run(["/usr/bin/time", "-f", "%R", "-o", f.name, "taskset", "-c", str(cpu), *map(str, cmd)],
                               stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - t0)
            if p.returncode != 0:
                sys.exit(f"failed: {cmd}")
            faults.append(int(f.read().split()[-1]))
    return statistics.median(walls) * 1e3, statistics.median(faults)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--cpu", type=int, default=0)
    ap.add_argument("--binary", default=str(REPO / "build" / "crowdsim"))
    a = ap.parse_args()
    out = Path(tempfile.mkdtemp()) / "startup.h5"
    rows = [("crowdsim --version", [a.binary, "--version"]),
            ("10-task run, summary detail", [a.binary, "run", REPO / "scenarios/mmc.json", "-o", out, "--force", "--detail", "summary",
                                             "--quiet", "--set", "tasks.count=10"]),
            ("/bin/true (the floor)", ["/bin/true"])]
    print(f"start-up, median of {a.reps} runs pinned to CPU {a.cpu} (wall includes GNU time and taskset)\n")
    print(f"{'command':30} {'wall ms':>8} {'page faults':>12}")
    for name, cmd in rows:
        ms, pf = measure(cmd, a.reps, a.cpu)
        print(f"{name:30} {ms:8.1f} {pf:12.0f}")
    libs = subprocess.run(["ldd", a.binary], stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()
    print(f"\nshared objects loaded by {a.binary}: {len(libs)}")


if __name__ == "__main__":
    main()
