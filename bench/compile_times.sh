#!/usr/bin/env bash
# A compiler launcher that appends each compile's wall seconds and output file to
# $CROWDSIM_COMPILE_LOG (default /tmp/crowdsim_compile_times.log): where a build's time goes
# (docs/performance.md, "Build time").
#   cmake -S . -B /tmp/asan ... -DCMAKE_CXX_COMPILER_LAUNCHER=$PWD/bench/compile_times.sh
#   cmake --build /tmp/asan -j2 && sort -rn /tmp/crowdsim_compile_times.log | head
log=${CROWDSIM_COMPILE_LOG:-/tmp/crowdsim_compile_times.log}
start=$(date +%s.%N)
"$@"
status=$?
end=$(date +%s.%N)
out=""
prev=""
for arg in "$@"; do
  [[ $prev == -o ]] && out=$arg
  prev=$arg
done
awk -v s="$start" -v e="$end" -v o="$out" 'BEGIN { printf "%.3f %s\n", e - s, o }' >> "$log"
exit $status
