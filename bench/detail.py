#!/usr/bin/python3
"""Full detail against summary detail, side by side: what writing every row costs.

    /usr/bin/python3 bench/detail.py [--reps 5] [--codecs] [--scenario scenarios/large.json]

Runs `build/crowdsim run SCENARIO -o OUT --quiet` at --detail summary and at full detail,
interleaved (summary, full, summary, full, ...), each under `/usr/bin/time -v` for its peak RSS
and CPU time (user + system, all threads); prints the median wall time of each and the ratio
full / summary (targets: <= 1.3 x and <= 5 s, peak RSS <= 1 GiB). On a shared machine the CPU
time says more than the wall time: the compression threads need a free core. With --codecs, full detail is also run with the other filter
settings of the row tables (CROWDSIM_DEFLATE = 1 or 4, CROWDSIM_SHUFFLE = 0 or 1, read by the
recorder for this purpose) and with each chunk deflated whole instead of by planes
(CROWDSIM_PLANES = 0), with each file's size: the measurements behind the default filters
(docs/performance.md). Shuffled chunks are deflated by planes when the build found ISA-L (noise
planes stored, the others by igzip); whole chunks by libdeflate when it found that, else zlib.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CROWDSIM = REPO / "build" / "crowdsim"


def timed(cmd, env):
    """(wall seconds, peak RSS MiB, CPU seconds user + system) of cmd under GNU time -v."""
    with tempfile.NamedTemporaryFile("r") as report:
        t0 = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", report.name, *map(str, cmd)], env=env,
                              stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"failed: {' '.join(map(str, cmd))}")
        text = report.read()
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", text).group(1)) for kind in ("User", "System"))
        return wall, int(rss.group(1)) / 1024.0, cpu


def medians(rs):
    """(median wall, min wall, max wall, median CPU, max peak RSS) of timed() results."""
    walls = [r[0] for r in rs]
    return statistics.median(walls), min(walls), max(walls), statistics.median(r[2] for r in rs), max(r[1] for r in rs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--codecs", action="store_true", help="also full detail under each filter setting")
    ap.add_argument("--scenario", default=str(REPO / "scenarios" / "large.json"))
    args = ap.parse_args()
    if not CROWDSIM.exists():
        sys.exit("build first: make build")
    variants = [("summary", ["--detail", "summary"], {}), ("full (default filters)", [], {})]
    if args.codecs:
        for level in ("1", "4"):
            for shuffle in ("1", "0"):
                variants.append((f"full, deflate {level}, shuffle {'on' if shuffle == '1' else 'off'}", [],
                                 {"CROWDSIM_DEFLATE": level, "CROWDSIM_SHUFFLE": shuffle}))
        variants.append(("full, deflate 4, whole chunks", [], {"CROWDSIM_PLANES": "0"}))
    results = {name: [] for name, _, _ in variants}
    sizes = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.reps):
            for name, extra, env in variants:
                out = Path(tmp) / "out.h5"
                results[name].append(timed([CROWDSIM, "run", args.scenario, "-o", out, "--force", "--quiet", *extra],
                                           {**os.environ, **env}))
                sizes[name] = out.stat().st_size
    print(f"{Path(args.scenario).name}: median of {args.reps} interleaved runs, wall time of the whole command\n")
    print(f"{'run':<32} {'wall s':>7} {'min s':>7} {'max s':>7} {'CPU s':>6} {'peak RSS MiB':>13} {'file MiB':>9}")
    med = {}
    for name, rs in results.items():
        med[name], lo, hi, cpu, rss = medians(rs)
        print(f"{name:<32} {med[name]:>7.2f} {lo:>7.2f} {hi:>7.2f} {cpu:>6.2f} {rss:>13.1f} {sizes[name] / 2**20:>9.1f}")
    full, summary = med["full (default filters)"], med["summary"]
    rss = max(r[1] for r in results["full (default filters)"])
    print(f"\nfull / summary: {full / summary:.2f} x (target <= 1.3: {'met' if full <= 1.3 * summary else 'NOT met'}); "
          f"full {full:.2f} s (target <= 5: {'met' if full <= 5 else 'NOT met'}); "
          f"peak RSS {rss:.0f} MiB (target <= 1024: {'met' if rss <= 1024 else 'NOT met'})")


if __name__ == "__main__":
    main()
