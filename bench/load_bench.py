#!/usr/bin/python3
"""How fast and in how much memory crowdsim.load reads a large file (docs/performance.md).

    build/venv/bin/python bench/load_bench.py [FILE] [--reps 3]

FILE defaults to out/large.h5, written first if missing by
`build/crowdsim run scenarios/large.json -o out/large.h5` (about 4 million rows). Each
measurement runs in a fresh Python process (imports done before the clock starts):

- summary: wall time of `crowdsim.load(FILE).summary` (attributes, runs and /summary only);
- assignments: wall time and memory of `crowdsim.load(FILE, tables=["assignments"]).assignments`:
  the peak of Python allocations while reading it (tracemalloc, which numpy reports to), and the
  growth of the process's peak resident size (ru_maxrss), both against the raw columns' bytes
  (rows x the HDF5 row size). Target: summary under 1 s, assignments within 2x the raw columns.
"""
import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import json, resource, sys, time, tracemalloc
import h5py, crowdsim
path, what = sys.argv[1], sys.argv[2]
with h5py.File(path) as f:  # warm the file's pages as any later reading would find them
    raw = sum(len(f["runs"][r]["assignments"]) * f["runs"][r]["assignments"].dtype.itemsize for r in f["runs"])
    rows = sum(len(f["runs"][r]["assignments"]) for r in f["runs"])
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
if what == "summary":
    t = time.perf_counter(); s = crowdsim.load(path).summary; wall = time.perf_counter() - t
    print(json.dumps({"wall": wall, "runs": len(s)}))
else:
    tracemalloc.start()
    t = time.perf_counter(); a = crowdsim.load(path, tables=["assignments"]).assignments
    wall = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]; tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss0
    print(json.dumps({"wall": wall, "rows": rows, "raw": raw, "peak": peak, "rss_growth": rss,
                      "frame": int(a.memory_usage(deep=True).sum())}))
"""


def measure(path, what):
    r = subprocess.run([sys.executable, "-c", PROBE, str(path), what], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file", nargs="?", default=str(ROOT / "out" / "large.h5"))
    p.add_argument("--reps", type=int, default=3)
    args = p.parse_args()
    path = Path(args.file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(ROOT / "build" / "crowdsim"), "run", str(ROOT / "scenarios" / "large.json"), "-o",
                        str(path), "--quiet"], check=True)
    summary = [measure(path, "summary") for _ in range(args.reps)]
    tables = [measure(path, "assignments") for _ in range(args.reps)]
    mib = 1 << 20
    t = tables[0]
    s_wall = statistics.median(m["wall"] for m in summary)
    a_wall = statistics.median(m["wall"] for m in tables)
    peak = statistics.median(m["peak"] for m in tables)
    rss = statistics.median(m["rss_growth"] for m in tables)
    print(f"{path.name}: {t['rows']:,} assignment rows, raw columns {t['raw'] / mib:.1f} MiB; median of {args.reps}")
    print(f"  summary:      load(...).summary in {s_wall:.3f} s ({summary[0]['runs']} run(s))")
    print(f"  assignments:  {a_wall:.2f} s; DataFrame {t['frame'] / mib:.1f} MiB; peak allocations "
          f"{peak / mib:.1f} MiB = {peak / t['raw']:.2f} x raw; peak RSS growth {rss / mib:.1f} MiB = "
          f"{rss / t['raw']:.2f} x raw")
    met = s_wall < 1 and peak <= 2 * t["raw"] and rss <= 2 * t["raw"]
    print(f"targets: summary < 1 s, assignments <= 2 x raw columns: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
