#!/bin/bash
d=/tmp/bench/c
for round in 1 2 3; do
  for cfg in "mlp 256 201" "mlp 4096 21" "layered 256 51" "layered 4096 5"; do
    set -- $cfg
    order="old new"; (( round % 2 == 0 )) && order="new old"
    for tag in $order; do
      echo "== round $round $tag $1 batch $2 $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
      CPU_PHASES=1 ./$tag-h bench-steps $d/$1.circuit --batch $2 --threads 1,2 --reps $3 | grep "^T="
    done
  done
done
