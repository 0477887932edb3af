"""
The reference side of issue 31's comparison: runs Prieto et al.'s own code
(LucasPrietoAl/grokking-at-the-edge-of-numerical-stability, `grokking_experiments.py`, unchanged)
on their MLP settings for a few seeds and appends one JSON row per finished run to a results file
(a finished row is never run again, so the command resumes where it stopped).

    python3 bench/eos_reference.py --repo /path/to/their/checkout \
        --out bench/results/eos-reference.jsonl --seeds 0 1 2

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

# Their run_main_experiments.sh, figure 1 (row 2) and figure 6 (rows 4 and 5): the MLP
# (one-hot a ⊕ b → 200 → 200 → 113, ReLU, no bias) on a + b mod 113, train fraction 0.4, full batch.
SETTINGS = {
    "mlp-orthograd-fig1": ["--lr", "0.01", "--num_epochs", "300", "--train_fraction", "0.4",
                           "--beta2", "0.99", "--orthogonal_gradients"],
    "mlp-adamw-fig6": ["--lr", "0.005", "--num_epochs", "500", "--train_fraction", "0.4"],
    "mlp-orthograd-fig6": ["--lr", "0.005", "--num_epochs", "500", "--train_fraction", "0.4",
                           "--orthogonal_gradients"],
}
LOG_EVERY = 10

WRAPPER = (
    "import sys, runpy, torch\n"
    "_set = torch.set_num_threads\n"
    "torch.set_num_threads = lambda n: _set(1)\n"
    "sys.argv = ['grokking_experiments.py'] + sys.argv[1:]\n"
    "runpy.run_path('grokking_experiments.py', run_name='__main__')\n"
)


def read_metrics(path):
    """Their logger's long table → {metric: [(epoch, value)]}; its 'epoch' column is the log index."""
    series = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            key = f"{row['input_type']}_{row['metric_name']}"
            if row["layer"]:
                continue
            series.setdefault(key, []).append((int(row["epoch"]) * LOG_EVERY, float(row["value"])))
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
            flags = SETTINGS[setting] + ["--log_frequency", str(LOG_EVERY), "--device", "cpu",
                                         "--seed", str(seed)]
            started = time.time()
            proc = subprocess.run([sys.executable, "-c", WRAPPER] + flags, cwd=args.repo,
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                print(proc.stderr[-2000:], file=sys.stderr)
                sys.exit(f"{setting} seed {seed} failed")
            key = next(l.split("Saving run: ", 1)[1] for l in proc.stdout.splitlines()
                       if l.startswith("Saving run: "))
            m = read_metrics(os.path.join(args.repo, "loggs", key, "metrics.csv"))
            row = {
                "setting": setting,
                "seed": seed,
                "flags": " ".join(SETTINGS[setting]),
                "epochs": int(SETTINGS[setting][SETTINGS[setting].index("--num_epochs") + 1]),
                "logEvery": LOG_EVERY,
                "epochsToVal95": first_at_least(m["test_accuracy"], 0.95),
                "epochsToTrain99": first_at_least(m["train_accuracy"], 0.99),
                "finalValAcc": m["test_accuracy"][-1][1],
                "finalTrainAcc": m["train_accuracy"][-1][1],
                "collapse": m["train_softmax_collapse"],
                "valAcc": m["test_accuracy"],
                "referenceCommit": commit,
                "torch": __import__("torch").__version__,
                "seconds": round(time.time() - started, 1),
            }
            with open(args.out, "a") as f:
                f.write(json.dumps(row) + "\n")
            print(f"{setting} seed {seed}: val >= 0.95 at epoch {row['epochsToVal95']}, "
                  f"final val {row['finalValAcc']:.3f}, {row['seconds']} s", flush=True)


if __name__ == "__main__":
    main()
