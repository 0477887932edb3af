#!/usr/bin/env bash
# The method comparison of docs/results.md: every race, in priority order, as two queues for a
# 2-core machine. Resumable: finished runs are appended to bench/results/race-<name>.jsonl and
# skipped on the next start; a run in progress keeps its last progress line in
# bench/results/race-<name>.partial.json.
#   bash scripts/race-queue.sh both     # start both queues in the background (logs in runs/)
#   bash scripts/race-queue.sh report   # rewrite docs/results.md's tables from the results files
set -u
cd "$(dirname "$0")/.."
EXTRA=()
NG='neuralgrok+ng-hidden=32,32'
race() { npx tsx bench/grok-race.ts "$@" "${EXTRA[@]}"; }

paper_add() { race --name paper-add --preset paper --tasks add --arms "standard,$NG,gradnorm+norm-matched,grokfast_ma,grokfast_ema" --seeds 0,1 --steps 3000 --stop-at 0.95 --jobs 1; }
paper_sq_sub() { race --name paper-sq_sub --preset paper --tasks sq_sub --arms "standard,neuralgrok+ng-hidden=32,32,gradnorm+norm-matched,grokfast_ema" --seeds 0 --steps 6000 --stop-at 0.95 --jobs 1; }
grokfast_mul() { race --name grokfast-mul --preset paper --tasks mul --arms grokfast_ema,grokfast_ma+weight-decay=0.01 --seeds 0,1,2 --steps 3000 --stop-at 0.95 --jobs 1; }
PILOT_ARMS="standard,grokfast_ma,grokfast_ema,$NG,gradnorm+norm-matched"
pilot() { # name, batch, lr, seeds
  race --name "$1" --preset classroom --tasks add --set "batch-size=$2;lr=$3;outer-fraction=0.03;ng-every=4" --arms "$PILOT_ARMS" --seeds "$4" --steps 3000 --jobs 1
}
pilots() {
  pilot pilot-lr3e-3 64 0.003 0
  pilot pilot-lr1e-2 64 0.01 0,1,2
  pilot pilot-lr1e-2-full 512 0.01 0
}

queue_a() { paper_add; paper_sq_sub; }
queue_b() { pilots; grokfast_mul; }
case "${1:-both}" in
  a) queue_a ;;
  b) queue_b ;;
  both) mkdir -p runs; queue_a > runs/queue-a.log 2>&1 & queue_b > runs/queue-b.log 2>&1 & wait ;;
  report) EXTRA=(--report); pilots; paper_add; paper_sq_sub; grokfast_mul ;;
esac
