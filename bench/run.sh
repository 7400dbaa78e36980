#!/usr/bin/env bash
# Runs the benchmarks after `make build`:  bash bench/run.sh [event_queue|mmc|all]
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
if [[ $what == event_queue || $what == all ]]; then
  build/bench/bench_event_queue
  echo
fi
if [[ $what == mmc || $what == all ]]; then
  /usr/bin/python3 bench/mmc_compare.py
fi
