#!/usr/bin/env bash
# The method comparison of docs/results.md: every race, in priority order, as two queues for a
# 2-core machine. Resumable: finished runs are appended to bench/results/race-<name>.jsonl and
# skipped on the next start; a run in progress keeps its last progress line in
# bench/results/race-<name>.partial.json.
#   bash scripts/race-queue.sh both     # start both queues in the background (logs in runs/)
#   bash scripts/race-queue.sh report   # rewrite docs/results.md's tables from the results files
set -u
cd "$(dirname "$0")/.."
# The queues run each race's arms and seeds in slices: they leave docs/results.md alone
# (--no-doc), and `report` rewrites every section from the whole results files.
EXTRA=(--no-doc)
NG='neuralgrok+ng-hidden=32,32'
race() { npx tsx bench/grok-race.ts "$@" "${EXTRA[@]}"; }
# OpenBLAS's matmul for the runs it wraps, one thread each (two queues share the 2 cores); a row
# records it as its `matmul`. Built (and libopenblas-dev installed) when missing.
blas() {
  [ -f native/build/blas-matmul.node ] || bash scripts/build-blas.sh || return 1
  GROKLAB_BLAS=1 GROKLAB_BLAS_THREADS="${GROKLAB_BLAS_THREADS:-1}" "$@"
}

# The first pass (two seeds of a + b, one of a² − b; NeuralGrok at 32,32 and c 1), kept for reference.
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

# ---- Table 1 over seeds (issue 18): the paper model and settings, evaluation every 10 steps,
# each arm's budget 3x the paper's figure (--budget-x 3; arms without a figure: --steps).
# NeuralGrok runs at its defaults, which are the authors' (128,128, T 4, c 0.2).
T1_BASELINES='standard,grokfast_ma,grokfast_ema'
T1_NG='neuralgrok,gradnorm+norm-matched'
POLY5_NG='neuralgrok+ng-hidden=1152+ng-every=1'
t1() { # task, arms, seeds
  race --name "paper-$1" --preset paper --tasks "$1" --arms "$2" --seeds "$3" --budget-x 3 --steps 6000 --stop-at 0.95 --jobs 1
}
poly5() { # arms, seeds, [race name, evaluation every N steps]; steps for arms without a figure (Standard, GrokFast-EMA: the paper says they fail)
  race --name "${3:-paper-poly5}" --preset paper --set 'p=7;layers=4' --tasks poly5 --arms "$1" --seeds "$2" --budget-x 3 --steps 5000 --stop-at 0.95 --eval-every "${4:-10}" --jobs 1
}
# Claim (d)'s pair on poly5 (matched normalization, Standard) evaluates every 50 steps, in its
# own race: on poly5 an evaluation (both splits, 12 348 rows) costs as much CPU as ~7 training
# steps (measured 2026-12-03: 41 steps took 92 s of CPU evaluating every 10 steps, 61 s
# evaluating at steps 1 and 41 only), so every 10 steps is ~40 % of the run and a 5 000-step run
# does not fit a 3-hour session; every 50 it may, and the step of reaching 95 % is known to
# 50 steps (1 % of the budget).
poly5_d() { poly5 "$1" "$2" paper-poly5-d 50; }
# "Let the amplifier learn": meta weight decay 0 (and the authors' earlier 1e-6) at meta lr 1e-4, 1e-3, 1e-2.
ABLATION_ARMS='neuralgrok+ng-meta-wd=0+ng-meta-lr=0.01,neuralgrok+ng-meta-wd=0+ng-meta-lr=0.001,neuralgrok+ng-meta-wd=0+ng-meta-lr=0.0001,neuralgrok+ng-meta-wd=0.000001+ng-meta-lr=0.001'
ablation() { # seeds
  race --name ablation-add --preset paper --tasks add --arms "$ABLATION_ARMS" --seeds "$1" --steps 3000 --stop-at 0.95 --jobs 1
}
# Seed 0 (2026-12-02): meta wd 0 at meta lr 1e-2 moved N·w most (std up to 0.034): that setting
# over seeds 1 and 2 (matched normalization's seeds 1, 2 on a + b come with the paper-add cells).
ablation_best() { race --name ablation-add --preset paper --tasks add --arms 'neuralgrok+ng-meta-wd=0+ng-meta-lr=0.01' --seeds 1,2 --steps 3000 --stop-at 0.95 --jobs 1; }
# The paper's other claims (issue 18, item 4), on a + b:
# (a) robust to c: NeuralGrok at c 0.1, 0.5, 1 (c 0.2 is the paper-add cell);
claim_c() { race --name claim-c --preset paper --tasks add --arms 'neuralgrok+ng-c=0.1,neuralgrok+ng-c=0.5,neuralgrok+ng-c=1' --seeds "$1" --steps 3000 --stop-at 0.95 --jobs 1; }
# (e) transfer: the amplifier NeuralGrok trained on a + b (kept), frozen, on a − b, seed by seed;
TRANSFER_ARM='neuralgrok+amplifier=runs/amplifiers/add_neuralgrok_{seed}.json+ng-frozen'
transfer_source() { race --name claim-transfer-source --preset paper --tasks add --arms neuralgrok --seeds "$@" --steps 3000 --stop-at 0.95 --jobs 1; }
transfer_frozen() { race --name claim-transfer --preset paper --tasks sub --arms "$TRANSFER_ARM" --seeds "$1" --budget-x 3 --steps 6000 --stop-at 0.95 --jobs 1; }
claim_transfer() { # seeds, one at a time (each frozen run needs its own seed's source)
  local s
  for s in ${1//,/ }; do
    transfer_source "$s" --keep-runs runs/amplifiers
    # The amplifier file lives in runs/, which a new session does not have: without it the
    # frozen run cannot start (and a finished one would be skipped anyway).
    [ -f "runs/amplifiers/add_neuralgrok_$s.json" ] || continue
    transfer_frozen "$s"
  done
}
# (c) stability after grokking: AdamW (wd 1) and NeuralGrok over the whole 3 000 steps, same seeds.
claim_stability() { race --name claim-stability --preset paper --tasks add --arms 'adamw,neuralgrok' --seeds "$1" --steps 3000 --full --jobs 1; }
baselines() { for t in sub mul sq_sub add; do t1 "$t" "$T1_BASELINES" "$1"; done; }
neuralgrok_cells() { for t in add sub mul sq_sub; do t1 "$t" "$T1_NG" "$1"; done; }

# One seed of every cell first, then the second and third seeds. Seed 0 of every mod-97 cell,
# the ablation and claims (a), (c), (e) finished on 2026-12-02. poly5 does not fit a 3-hour
# session on 2 cores (its NeuralGrok reached step 3 500 of 5 688 in ~3 h; GrokFast-MA's figure alone
# is ~5 h), and a run restarts from step 0 in a new session, so the queues now spend the sessions
# on the mod-97 seeds: queue A NeuralGrok and matched normalization, queue B the baselines.
# The poly5 runs stay in `queue_poly5` for a machine that can hold a run for 6+ hours.
matched_cells() { for t in add sub mul sq_sub; do t1 "$t" gradnorm+norm-matched "$1"; done; }
# (2026-12-02, 22:40: both queues were started with a poly5 cell of claim (d), matched
# normalization and Standard, seed 0, on the guess that they fit a session. They do not: poly5's
# Standard ran at 0.22 steps/s with the other queue running (4 layers; each evaluation, every 10
# steps, is a forward pass over all 12 348 rows for train and val accuracy: ~38 s, against
# ~6 s for a training step, in a CPU profile with three processes on the 2 cores) — 6 h for
# its 5 000-step budget — and was stopped at step 100.)
# (23:10: after a · b's seed 2, queue A runs the ablation's best setting over seeds 1 and 2 —
# issue 18 item 3 asks three seeds of it — before a² − b's seed 2.)
# (2026-12-03, 07:30: NeuralGrok runs at 2.2 steps/s, faster than planned, so queue A takes
# claim (c)'s seed 2 and claim (e)'s seeds 1 and 2 after claim (a)'s seed 2; queue B, started
# at 06:20 with claim (a)'s seed 1 and claim (c)'s seed 2 at its end, skips what A finished.)
# (Queue A as it ran on 2026-12-03: t1 mul "$T1_NG" 2; ablation_best; neuralgrok_cells 2; claim_stability 1; claim_c 2; claim_stability 2; claim_transfer 1; claim_transfer 2;
#  Queue B: t1 mul "$T1_BASELINES" 2; t1 sub "$T1_BASELINES" 2; t1 sq_sub "$T1_BASELINES" 1; baselines 2; claim_c 1;)
# Measured 2026-12-03 (07:50, 3 processes on the 2 cores): poly5's Standard costs 2.1 s of CPU
# a step with its evaluation every 10 steps (60 steps 142 s user, 10 steps 38 s: startup and
# the first evaluation), so even alone on a core its 5 000 steps take ≈ 2.9 h and matched
# normalization's 5 688 ≈ 3.3 h — claim (d) does not fit a 3-hour session either, unless an arm
# reaches 95 % early (NeuralGrok, its nearest kin, was at val 0.17 at step 3 500). So the next
# session finishes what this one left, then spends the rest on poly5's claim-(d) pair as far as
# it gets (the report lists how far each run got).
# (12:30: poly5's claim-(d) pair starts as soon as a core frees — one on each queue — and
# claim (a)'s seed 1, a third seed of a claim two seeds already support, waits behind it.)
# (12:45: poly5's claim-(d) pair runs at 0.7 steps/s, so Standard needs ~2 h: queue B starts it
# as soon as a² − b's GrokFast-MA seed 2 is in, and GrokFast-EMA's seed 2 moves to queue A,
# after matched normalization.)
# (Queue A as it ran on 2026-12-03 afternoon: claim_transfer 2; poly5_d gradnorm+norm-matched 0;
#  queue B: baselines 2 up to a² − b's GrokFast-MA seed 2; poly5_d standard 0. Both poly5 runs
#  used their whole budget, 12:45–14:42.) What is left that fits a session:
# (Claim (a)'s seed 1 ran at 14:47 with --jobs 2, alone on the machine.)
# (2026-12-04, 19:00: queue A a² − b's GrokFast-EMA seed 2, the last mod-97 cell short of three
# seeds; queue B poly5's GrokFast-EMA seed 0 at evaluation every 50 — with claim (d)'s pair, in its
# race: Standard's budget, 5 000 steps, at ~0.75 steps/s ≈ 1.9 h, the one poly5 arm that fits.)
# Queue A then takes claim (d)'s matched normalization seed 1 (5 688 steps, ~2 h: it may not finish).
# (20:05: it reached 95 % at step 3 100 — seed 0 never did — so its same-seed Standard follows on
# queue A, and matched normalization's seed 2 follows GrokFast-EMA on queue B.)
# (Queue A as it ran on 2026-12-04: t1 sq_sub grokfast_ema 2; poly5_d gradnorm+norm-matched 1;
#  poly5_d standard 1; queue B: poly5_d grokfast_ema 0; poly5_d gradnorm+norm-matched 2.)
# (2026-12-06, 21:50: a 3-hour session fits one poly5 run of 5 000 steps per core: Standard's
# seed 2, so that claim (d) compares three seeds with three, and GrokFast-EMA's seed 1, its second.)
# (Queue A as it ran on 2026-12-06: poly5_d grokfast_ema 1; queue B: poly5_d standard 2.)
# (2026-12-07: with OpenBLAS's matmul (GROKLAB_BLAS=1, one thread per queue; native/README.md)
# poly5's NeuralGrok step takes ≈ 0.9 s instead of ≈ 2.9 s, so poly5's headline pair fits a
# session: NeuralGrok ([1 152], T 1) on queue A, GrokFast-MA on queue B, both seed 0, evaluated
# every 50 steps like claim (d)'s pair, in its race.)
# (05:40: GrokFast-MA's seed 1 sat at val 0.37 from step 7 000 on and may not reach 95 % this
# session, so its seed 2 runs on queue A once NeuralGrok's seed 0 has finished.)
queue_a() { blas poly5_d "$POLY5_NG" 0; blas poly5_d grokfast_ma 2; }
queue_b() { blas poly5_d grokfast_ma 0,1; } # as it runs; its seed 2 is on queue A
# (04:45: GrokFast-MA seed 0 was at val 0.65 by step 5 850, and reached 95 % at 6 600 in 47 min,
# so queue B goes on with its seed 1.)
# (2026-12-02, 20:05: queue B switched after a · b's seed 1 to a + b's seed 2, so that one row has
# three seeds before the session ends; its a + b race crashed on the progress file queue A was
# writing (fixed since) and a + b's Standard seed 2 ran alone at the end.)
# (23:00: queue B left a² − b's Standard seed 1 at step 590 for a · b's and a − b's seed 2:
# three cells to three seeds in the time one a² − b cell takes.)
queue_poly5() { poly5 "$POLY5_NG" 0; poly5 grokfast_ma 0; poly5 gradnorm+norm-matched 0; poly5 "standard,grokfast_ema" 0; }
# The first pass of seed 0 (2026-12-01/02), in the order it ran; all of it is in the results files.
queue_seed0() { t1 sq_sub grokfast_ma 0; matched_cells 0; neuralgrok_cells 0; ablation 0; claim_c 0; ablation_best; claim_transfer 0; claim_stability 0; baselines 0; }
# The earlier comparison (class-sized pilots, GrokFast's README run), kept for its report.
queue_old() { pilots; grokfast_mul; }
# The dispatch is one function, called on the file's last line: bash has then parsed every line
# it will run, so editing this file while a queue runs cannot change what that queue does next
# (bash reads a script as it goes; 2026-12-04 a queue nearly ran an edit's stray bytes).
main() {
case "${1:-both}" in
  a) queue_a ;;
  b) queue_b ;;
  poly5) queue_poly5 ;;
  both) mkdir -p runs; queue_a > runs/queue-a.log 2>&1 & queue_b > runs/queue-b.log 2>&1 & wait ;;
  report)
    EXTRA=(--report)
    pilots; grokfast_mul
    for t in add sub mul sq_sub; do t1 "$t" "$T1_BASELINES,$T1_NG" 0,1,2; done
    poly5 "$POLY5_NG,grokfast_ma,grokfast_ema" 0,1
    poly5_d "$POLY5_NG,grokfast_ma,gradnorm+norm-matched,standard,grokfast_ema" 0,1,2
    ablation 0,1,2 # includes ablation_best's seeds
    claim_c 0,1,2; transfer_source 0,1,2; transfer_frozen 0,1,2; claim_stability 0,1,2
    npx tsx scripts/table1-report.ts > /dev/null # the generated Table 1 section, from every results file
    ;;
esac
}
main "$@"; exit $?
