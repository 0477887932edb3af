#!/usr/bin/env bash
# The comparison runs of docs/results.md, in priority order, as two queues (2 cores).
# Resumable: rerun this script and finished runs are skipped (bench/results/race-*.jsonl).
set -u
cd "$(dirname "$0")/.."
NG='neuralgrok+ng-hidden=32,32'
queue_a() {
  npx tsx bench/grok-race.ts --name paper-add --preset paper --tasks add \
    --arms "standard,$NG,gradnorm+norm-matched,grokfast_ma,grokfast_ema" --seeds 0,1 --steps 3000 --stop-at 0.95 --jobs 1
  npx tsx bench/grok-race.ts --name paper-sq_sub --preset paper --tasks sq_sub \
    --arms "standard,neuralgrok+ng-hidden=32,32,gradnorm+norm-matched,grokfast_ema" --seeds 0 --steps 6000 --stop-at 0.95 --jobs 1
}
PILOT_ARMS="standard,grokfast_ma,grokfast_ema,$NG,gradnorm+norm-matched"
pilot() { # name, batch, lr, seeds
  npx tsx bench/grok-race.ts --name "$1" --preset classroom --tasks add \
    --set "batch-size=$2;lr=$3;outer-fraction=0.03;ng-every=4" --arms "$PILOT_ARMS" --seeds "$4" --steps 3000 --jobs 1
}
queue_b() {
  pilot pilot-lr3e-3 64 0.003 0
  pilot pilot-lr1e-2 64 0.01 0
  pilot pilot-lr1e-2-full 512 0.01 0
  npx tsx bench/grok-race.ts --name grokfast-mul --preset paper --tasks mul \
    --arms grokfast_ema,grokfast_ma+weight-decay=0.01 --seeds 0,1,2 --steps 3000 --stop-at 0.95 --jobs 1
}
case "${1:-both}" in
  a) queue_a ;;
  b) queue_b ;;
  both) queue_a > runs/queue-a.log 2>&1 & queue_b > runs/queue-b.log 2>&1 & wait ;;
esac
