#!/usr/bin/python3
"""Kills `crowdsim run` with SIGKILL at random moments, resumes each time, and checks that the
completed file holds the same data as an uninterrupted run's (docs/reproducibility.md, "A killed run").

    /usr/bin/python3 scripts/kill_stress.py [--kills 40] [--seed 1] [--threads 1]

Not part of `make test` (a minute or more); ctest's app::resume and io::salvage_output cover
chosen cut points. Prints one line per kill (when it came, runs salvaged) and exits 1 on the
first file that differs or fails to resume.
"""
import argparse
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np

REPO = Path(__file__).resolve().parents[1]
BINARY = REPO / "build" / "crowdsim"
# 30 runs of the demo at full detail, about 1.5 s in all: a kill lands anywhere in the write.
ARGS = [str(REPO / "scenarios" / "demo.json"), "--replications", "30", "--set", "tasks.count=10000",
        "--set", "tasks.arrival.rate_per_hour=2000", "--set", "workers.count=200", "--detail", "full"]
TIMING = {"wall_seconds", "created_utc"}


def datasets(path):
    """{name: array} of every dataset, and {object: {attribute: value}} but the timing ones."""
    data, attrs = {}, {}

    def visit(name, obj):
        attrs[name] = {k: v for k, v in obj.attrs.items() if k not in TIMING}
        if isinstance(obj, h5py.Dataset):
            value = obj[()]
            if value.dtype.names and "wall_seconds" in value.dtype.names:
                value = value[[n for n in value.dtype.names if n != "wall_seconds"]]
            data[name] = value

    with h5py.File(path, "r") as f:
        attrs["/"] = {k: v for k, v in f.attrs.items() if k not in TIMING}
        f.visititems(visit)
    return data, attrs


def equal(a, b):
    (da, aa), (db, ab) = datasets(a), datasets(b)
    if da.keys() != db.keys():
        return f"datasets differ: {sorted(set(da) ^ set(db))}"
    for k in da:
        if da[k].tobytes() != db[k].tobytes():
            return f"{k} differs"
    for k in aa:
        if str(aa[k]) != str(ab.get(k)):
            return f"attributes of {k} differ"
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    threads = ["--threads", str(args.threads)]
    with tempfile.TemporaryDirectory(prefix="crowdsim-kill-") as tmp:
        full, cut = Path(tmp) / "full.h5", Path(tmp) / "cut.h5"
        t0 = time.perf_counter()
        subprocess.run([str(BINARY), "run", *ARGS, "-o", str(full), "--quiet", *threads], check=True)
        whole = time.perf_counter() - t0
        salvaged_counts, dropped_total = [], 0
        for k in range(args.kills):
            for suffix in ("", ".tmp", ".partial"):
                Path(f"{cut}{suffix}").unlink(missing_ok=True)
            after = rng.uniform(0.02, whole)
            proc = subprocess.Popen([str(BINARY), "run", *ARGS, "-o", str(cut), "--quiet", *threads])
            time.sleep(after)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if not Path(f"{cut}.tmp").exists():
                print(f"kill {k}: after {after:.3f} s, the run had ended")
                continue
            r = subprocess.run([str(BINARY), "run", *ARGS, "-o", str(cut), "--resume", *threads],
                               stderr=subprocess.PIPE, text=True)
            kept = re.search(r"salvaged (\d+) finished run", r.stderr)
            dropped = re.search(r"; (\d+) that did not read back", r.stderr)
            n, d = int(kept.group(1)) if kept else -1, int(dropped.group(1)) if dropped else 0
            print(f"kill {k}: after {after:.3f} s, salvaged {n}, dropped {d}", flush=True)
            dropped_total += d
            if r.returncode != 0:
                sys.exit(f"resume failed ({r.returncode}): {r.stderr.strip().splitlines()[-1]}")
            diff = equal(full, cut)
            if diff:
                sys.exit(f"the resumed file differs from the uninterrupted one: {diff}")
            salvaged_counts.append(n)
        print(f"{len(salvaged_counts)} kills mid-run, every resumed file equal to the uninterrupted one; "
              f"runs salvaged: {min(salvaged_counts, default=0)} to {max(salvaged_counts, default=0)} of 30, "
              f"dropped: {dropped_total} in all")


if __name__ == "__main__":
    main()
