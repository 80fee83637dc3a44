#!/bin/bash
# usage: alt.sh OLD NEW OUTDIR ROUNDS
OLD=$1; NEW=$2; O=$3; R=${4:-3}
mkdir -p $O; d=/tmp/bench/c
mkdir -p $d
$OLD generate mlp --seed 1 --layers 8,64,64,1 -o $d/mlp.circuit --force >/dev/null 2>&1
$OLD generate layered --seed 1 --nodes 20000 --width 200 --params 64 -o $d/layered.circuit --force >/dev/null 2>&1
for round in $(seq 1 $R); do
  for c in mlp layered; do for b in 256 4096; do
    reps=31; [[ $b == 4096 ]] && reps=9
    order="old new"; (( round % 2 == 0 )) && order="new old"
    for tag in $order; do
      B=$OLD; [[ $tag == new ]] && B=$NEW
      echo "== round $round $tag $c batch $b $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
      /usr/bin/time -f "cpu %U user %S sys %e wall" $B bench-steps $d/$c.circuit --batch $b --threads 1,2 --reps $reps $STAT 2>&1
    done
  done; done
done | tee $O/raw.txt
