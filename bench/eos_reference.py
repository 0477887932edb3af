"""
The reference side of issue 31's comparison: runs Prieto et al.'s own code
(LucasPrietoAl/grokking-at-the-edge-of-numerical-stability, `grokking_experiments.py`, unchanged)
on their settings (SETTINGS below: the MLP's and the transformer's) for a few seeds and appends one
JSON row per finished run to a results file (a finished row is never run again, so the command
resumes where it stopped; a run cut in the middle starts again, their script has no checkpoints).

    python3 bench/eos_reference.py --repo /path/to/their/checkout \
        --out bench/results/eos-reference.jsonl --seeds 0 1 2 [--settings mlp-adamw-wd1.5 ...]

Cheapest first: the MLP settings take minutes to an hour a run here; the transformer's 5 000
full-batch epochs take hours. The rows feed the side-by-side table of docs/no-weight-decay.md
(scripts/table1-report.ts, src/paper/eos.ts). Their logger's epoch e is logged after e + 1 steps.

Needs Debian's python3-torch, python3-pandas and python3-torchvision (their datasets.py imports
it). Their script asks torch for 5 threads; this runner gives it one (a speed setting: full-batch
results on one CPU thread are what their `--device cpu` gives). Epochs are full-batch steps, so
"epochs to val >= 0.95" compares directly with GrokLab's steps on the same settings.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time

# Their run_main_experiments.sh (figures 1 and 6), and two settings added so that each model has
# the four arms of issue 31 (marked); src/paper/eos.ts holds the same list with GrokLab's side
# (tests/eos.test.ts checks that the two agree). a + b mod 113, train fraction 0.4, full batch.
# MLP: one-hot a ⊕ b → 200 → 200 → 113, ReLU, no bias. Transformer (--use_transformer): their
# 1-layer nn.TransformerEncoder, d 128, 4 heads, tokens (a, b) with a, b in 1…112.
# Each setting: (flags, log frequency in epochs).
SETTINGS = {
    "mlp-orthograd-fig1": (["--lr", "0.01", "--num_epochs", "300", "--train_fraction", "0.4",
                            "--beta2", "0.99", "--orthogonal_gradients"], 10),
    "mlp-adamw-fig6": (["--lr", "0.005", "--num_epochs", "500", "--train_fraction", "0.4"], 10),
    "mlp-orthograd-fig6": (["--lr", "0.005", "--num_epochs", "500", "--train_fraction", "0.4",
                            "--orthogonal_gradients"], 10),
    # added: figure 6's MLP run with the transformer's weight decay 1.5
    "mlp-adamw-wd1.5": (["--lr", "0.005", "--num_epochs", "500", "--train_fraction", "0.4",
                         "--weight_decay", "1.5"], 10),
    # figure 1's StableMax run, cut from 80 000 to 3 000 epochs (a CPU budget)
    "mlp-stablemax-fig1": (["--lr", "0.01", "--num_epochs", "3000", "--train_fraction", "0.4",
                            "--loss_function", "stablemax", "--beta2", "0.999"], 50),
    "transformer-orthograd-fig6": (["--lr", "0.001", "--num_epochs", "5000", "--train_fraction",
                                    "0.4", "--orthogonal_gradients", "--use_transformer"], 50),
    "transformer-adamw-fig6": (["--lr", "0.001", "--num_epochs", "5000", "--train_fraction", "0.4",
                                "--use_transformer"], 50),
    "transformer-adamw-wd1.5-fig6": (["--lr", "0.001", "--num_epochs", "5000", "--train_fraction",
                                      "0.4", "--use_transformer", "--weight_decay", "1.5"], 50),
    # added: figure 6's transformer run with their StableMax loss
    "transformer-stablemax": (["--lr", "0.001", "--num_epochs", "5000", "--train_fraction", "0.4",
                               "--use_transformer", "--loss_function", "stablemax"], 50),
}

# After their script, what the optimizer that took the steps really held: for ⊥AdamW the inner
# optimizer (their OrthoGrad wrapper's `base_optimizer`), whose groups their load_state_dict call
# does not touch. Printed as one JSON line and kept in the row (`effectiveOptimizer`).
WRAPPER = (
    "import sys, runpy, torch\n"
    "_set = torch.set_num_threads\n"
    "torch.set_num_threads = lambda n: _set(1)\n"
    "sys.argv = ['grokking_experiments.py'] + sys.argv[1:]\n"
    "g = runpy.run_path('grokking_experiments.py', run_name='__main__')\n"
    "import json\n"
    "opt = g['optimizer']\n"
    "inner = getattr(opt, 'base_optimizer', opt)\n"
    "group = inner.param_groups[0]\n"
    "print('EFFECTIVE_OPTIMIZER ' + json.dumps({'class': type(inner).__name__, "
    "'wrapped': inner is not opt, **{k: group[k] for k in ('lr', 'betas', 'eps', 'weight_decay') "
    "if k in group}}))\n"
)


def read_metrics(path, log_every):
    """Their logger's long table → {metric: [(epoch, value)]}; its 'epoch' column is the log index."""
    series = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            key = f"{row['input_type']}_{row['metric_name']}"
            if row["layer"]:
                continue
            series.setdefault(key, []).append((int(row["epoch"]) * log_every, float(row["value"])))
    return series


def first_at_least(points, level):
    for epoch, value in points:
        if value >= level:
            return epoch
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True, help="a checkout of their repository")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--settings", nargs="+", default=list(SETTINGS))
    args = ap.parse_args()

    done = set()
    if os.path.exists(args.out):
        with open(args.out) as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    done.add((row["setting"], row["seed"]))
    commit = subprocess.run(["git", "-C", args.repo, "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or None

    for setting in args.settings:
        for seed in args.seeds:
            if (setting, seed) in done:
                continue
            setting_flags, log_every = SETTINGS[setting]
            flags = setting_flags + ["--log_frequency", str(log_every), "--device", "cpu",
                                     "--seed", str(seed)]
            started = time.time()
            proc = subprocess.run([sys.executable, "-c", WRAPPER] + flags, cwd=args.repo,
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                print(proc.stderr[-2000:], file=sys.stderr)
                sys.exit(f"{setting} seed {seed} failed")
            key = next(l.split("Saving run: ", 1)[1] for l in proc.stdout.splitlines()
                       if l.startswith("Saving run: "))
            m = read_metrics(os.path.join(args.repo, "loggs", key, "metrics.csv"), log_every)
            effective = next((json.loads(l.split(" ", 1)[1]) for l in proc.stdout.splitlines()
                              if l.startswith("EFFECTIVE_OPTIMIZER ")), None)
            row = {
                "setting": setting,
                "seed": seed,
                "flags": " ".join(setting_flags),
                "epochs": int(setting_flags[setting_flags.index("--num_epochs") + 1]),
                "logEvery": log_every,
                "epochsToVal95": first_at_least(m["test_accuracy"], 0.95),
                "epochsToTrain99": first_at_least(m["train_accuracy"], 0.99),
                "finalValAcc": m["test_accuracy"][-1][1],
                "finalTrainAcc": m["train_accuracy"][-1][1],
                "collapse": m["train_softmax_collapse"],
                "valAcc": m["test_accuracy"],
                "referenceCommit": commit,
                "torch": __import__("torch").__version__,
                "seconds": round(time.time() - started, 1),
                "effectiveOptimizer": effective,
            }
            with open(args.out, "a") as f:
                f.write(json.dumps(row) + "\n")
            print(f"{setting} seed {seed}: val >= 0.95 at epoch {row['epochsToVal95']}, "
                  f"final val {row['finalValAcc']:.3f}, {row['seconds']} s", flush=True)


if __name__ == "__main__":
    main()
