#!/usr/bin/python3
"""How long --resume takes to salvage the OUT.tmp of a killed run (docs/reproducibility.md).

    /usr/bin/python3 bench/salvage.py [--replications 48] [--tasks 200000] [--kill-after 0.8] [--reps 3]

Writes the demo scenario at full detail (about 36 MB per run of 200,000 tasks), kills the run
with SIGKILL once its projected time is --kill-after spent, then times `crowdsim run --resume`
from its start to the line that reports the salvaged runs: the salvage alone, before the missing
runs are run. The killed file is copied aside and each repetition salvages a fresh copy of it.
Needs about three times the file's size free in a temporary directory.
"""
import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BINARY = REPO / "build" / "crowdsim"
SCENARIO = REPO / "scenarios" / "demo.json"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replications", type=int, default=48)
    ap.add_argument("--tasks", type=int, default=200000)
    ap.add_argument("--kill-after", type=float, default=0.8, help="fraction of an uninterrupted run's time")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="crowdsim-salvage-") as tmp:
        out = Path(tmp) / "big.h5"
        cmd = [str(BINARY), "run", str(SCENARIO), "-o", str(out), "--replications", str(args.replications),
               "--set", f"tasks.count={args.tasks}", "--quiet"]
        t0 = time.perf_counter()
        subprocess.run([*cmd, "--force"], check=True)
        whole = time.perf_counter() - t0
        size_whole = out.stat().st_size
        out.unlink()
        proc = subprocess.Popen([*cmd, "--force"])
        time.sleep(whole * args.kill_after)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = Path(f"{out}.tmp")
        if not killed.exists():
            sys.exit("the run ended before it was killed: raise --replications or lower --kill-after")
        kept = Path(tmp) / "killed.h5.tmp"
        shutil.move(killed, kept)
        size = kept.stat().st_size
        times, line = [], ""
        for _ in range(args.reps):
            for leftover in (f"{out}.partial", str(out)):
                Path(leftover).unlink(missing_ok=True)
            shutil.copyfile(kept, killed)
            t0 = time.perf_counter()
            p = subprocess.Popen([*cmd[:-1], "--resume"], stderr=subprocess.PIPE, text=True)
            for text in p.stderr:
                if text.startswith("salvaged"):
                    times.append(time.perf_counter() - t0)
                    line = text.strip()
                    p.kill()
                    break
            p.wait()
        med = statistics.median(times)
        print(f"demo.json, {args.replications} runs of {args.tasks} tasks at full detail: {whole:.2f} s, "
              f"{size_whole / 1e6:.0f} MB uninterrupted")
        print(f"killed after {whole * args.kill_after:.2f} s: {size / 1e6:.0f} MB in OUT.tmp; {line}")
        print(f"salvage (--resume until that line), median of {args.reps}: {med:.2f} s, {size / 1e6 / med:.0f} MB/s; "
              f"{med / (whole * args.kill_after):.2f} x the time the killed run had taken")


if __name__ == "__main__":
    main()
