#!/usr/bin/env bash
# Runs the benchmarks after `make build`:  bash bench/run.sh [event_queue|gamma|mmc|scale|large|detail|threads|strategic|startup|load|all]
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
if [[ $what == event_queue || $what == all ]]; then
  build/bench/bench_event_queue
  echo
fi
if [[ $what == gamma || $what == all ]]; then
  build/bench/bench_gamma
  echo
fi
if [[ $what == mmc || $what == all ]]; then
  /usr/bin/python3 bench/mmc_compare.py
fi
if [[ $what == scale || $what == all ]]; then
  echo
  /usr/bin/python3 bench/scale.py series
fi
if [[ $what == large || $what == all ]]; then
  echo
  /usr/bin/python3 bench/scale.py large
fi
if [[ $what == detail || $what == all ]]; then
  echo
  /usr/bin/python3 bench/detail.py
fi
if [[ $what == threads || $what == all ]]; then
  echo
  /usr/bin/python3 bench/threads.py
fi
if [[ $what == strategic || $what == all ]]; then
  echo
  /usr/bin/python3 bench/scale.py strategic
fi
if [[ $what == startup || $what == all ]]; then
  echo
  build/bench/bench_page_faults
  /usr/bin/python3 bench/startup.py
fi
if [[ $what == load ]]; then  # not in `all`: needs `make venv` and writes out/large.h5 (150 MiB)
  build/venv/bin/python bench/load_bench.py out/large.h5
fi
