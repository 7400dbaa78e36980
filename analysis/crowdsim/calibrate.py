#!/usr/bin/python3
"""Fits the worker model of scenarios/microtask_labeling.json to real Mechanical Turk data.

    python -m crowdsim.calibrate [--data data/crowd] [-o scenarios/calibration/microtask_fit.json]

(run from the repository's root: the defaults are relative to it; `make calibrate` does that)

Accuracy: per-worker (right, answered) counts against the truth are fitted by maximum likelihood to a two-part mixture: a
share s of spammers answering at chance (1/K) and workers whose accuracy follows Beta(alpha, beta)
(so their counts are beta-binomial). Times: log(seconds) is fitted by a normal (a log-normal
time), and split by the method of moments into a between-worker part (a worker's speed) and a
within-worker part (noise). docs/calibration.md explains the choices and the caveats.
"""
import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

DATASETS = ("sp_amt_venanzi", "ws_amt_venanzi")
# Answers a worker needs (on items with a truth) to enter the accuracy fit. The mixture likelihood
# already weighs each worker by its number of answers, so nobody needs dropping; a higher
# threshold would bias the fit toward persistent workers (spammers often leave early). The fit
# barely moves between 1 and 10 (docs/calibration.md).
N_MIN = 1


class CalibrationError(ValueError):
    """Bad input data: the message names the file and what is wrong."""


def read(data: Path, name: str):
    """The answers joined with the truth, and the number of classes, of one data set."""
    labels_path, truth_path = data / name / "labels.csv", data / name / "truth.csv"
    try:
        labels = pd.read_csv(labels_path, dtype=str)
        truth = pd.read_csv(truth_path, dtype=str)
    except FileNotFoundError as e:
        raise CalibrationError(f"{e.filename}: no such file") from None
    for path, frame, columns in ((labels_path, labels, ("item", "worker", "label", "seconds")),
                                 (truth_path, truth, ("item", "truth"))):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise CalibrationError(f"{path}: expected columns {', '.join(columns)}, missing {', '.join(missing)}")
    seconds = pd.to_numeric(labels["seconds"], errors="coerce")
    labels = labels.assign(seconds=seconds)
    classes = len(set(labels["label"]) | set(truth["truth"]))
    return labels.merge(truth, on="item", how="left"), classes


def worker_counts(answers: pd.DataFrame) -> pd.DataFrame:
    """(right, answered) per worker on items with a truth, workers with >= N_MIN answers."""
    known = answers.dropna(subset=["truth"])
    counts = known.assign(right=(known["label"] == known["truth"]).astype(int)).groupby("worker")["right"].agg(["sum", "count"])
    counts = counts.rename(columns={"sum": "right", "count": "n"})
    return counts[counts["n"] >= N_MIN]


def mixture_nll(theta, groups):
    """Negative log-likelihood of the spammer/Beta mixture; `groups` = [(right, n, chance), ...]."""
    s = special.expit(theta[0])
    a, b = math.exp(theta[1]), math.exp(theta[2])
    total = 0.0
    for right, n, chance in groups:
        spam = stats.binom.logpmf(right, n, chance)
        work = stats.betabinom.logpmf(right, n, a, b)
        total += np.logaddexp(math.log(s) + spam, math.log1p(-s) + work).sum()
    return -total


def fit_accuracy(groups):
    """Maximum likelihood (spammer share, alpha, beta) from a fixed start, so it is reproducible."""
    start = np.array([special.logit(0.1), math.log(4.0), math.log(2.0)])
    best = optimize.minimize(mixture_nll, start, args=(groups,), method="Nelder-Mead",
                             options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 20000})
    s, a, b = special.expit(best.x[0]), math.exp(best.x[1]), math.exp(best.x[2])
    return {"spammer_share": s, "alpha": a, "beta": b, "beta_mean": a / (a + b),
            "workers_fitted": int(sum(len(r) for r, _, _ in groups))}


def fit_times(answers: pd.DataFrame):
    """Log-normal time; between-worker (speed) and within-worker (noise) parts of log time."""
    valid = answers[answers["seconds"] > 0]
    logt = np.log(valid["seconds"].to_numpy(float))
    mu, total_var = logt.mean(), logt.var()
    by_worker = valid.assign(logt=logt).groupby("worker")["logt"]
    n, means = by_worker.count(), by_worker.mean()
    several = n[n >= 2].index
    # Pooled within-worker variance, then between = variance of worker means minus its noise part.
    within = (valid.assign(logt=logt).groupby("worker")["logt"].var(ddof=1)[several] * (n[several] - 1)).sum() / (n[several] - 1).sum()
    between = max(0.0, means[several].var(ddof=1) - (within / n[several]).mean())
    # A nominal worker (speed 1) is the median worker: the centre of the worker means, each worker
    # counted once (answers over-represent the workers who answered most).
    return {"median_seconds": math.exp(mu), "mean_seconds": math.exp(mu + total_var / 2), "sigma": math.sqrt(total_var),
            "nominal_seconds": math.exp(means[several].mean()),
            "sigma_speed": math.sqrt(between), "sigma_noise": math.sqrt(max(0.0, total_var - between)),
            "sigma_within_raw": math.sqrt(within), "answers_timed": int(len(valid)),
            "answers_dropped": int(len(answers) - len(valid))}


def describe(answers: pd.DataFrame, classes: int):
    per_item = answers.groupby("item").size()
    return {"answers": int(len(answers)), "items": int(answers["item"].nunique()),
            "workers": int(answers["worker"].nunique()), "classes": classes,
            "answers_per_item_median": float(per_item.median())}


def rounded(value):
    """4 significant digits for floats, recursively; so the JSON is stable and readable."""
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, float):
        return float(f"{value:.4g}")
    return value


def calibrate(data: Path, datasets=DATASETS) -> dict:
    per_set, groups, all_answers = {}, [], []
    for name in datasets:
        answers, classes = read(data, name)
        counts = worker_counts(answers)
        group = (counts["right"].to_numpy(), counts["n"].to_numpy(), 1.0 / classes)
        groups.append(group)
        all_answers.append(answers.assign(worker=name + ":" + answers["worker"]))
        per_set[name] = {"data": describe(answers, classes), "accuracy": fit_accuracy([group]),
                         "time": fit_times(answers)}
    pooled = pd.concat(all_answers, ignore_index=True)
    result = {
        "method": {"n_min": N_MIN,
                   "accuracy": "ML fit of s * Binomial(right; n, 1/K) + (1 - s) * BetaBinomial(right; n, alpha, beta) "
                               "over workers with >= n_min answers on items with a truth",
                   "time": "log-normal ML (mean and sd of log seconds); between-worker variance of log time by "
                           "method of moments (variance of worker means minus mean within-variance / n)"},
        "datasets": per_set,
        "pooled": {"accuracy": fit_accuracy(groups), "time": fit_times(pooled)},
    }
    return rounded(result)


def main(argv=None) -> int:
    here = Path(".")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=here / "data" / "crowd")
    parser.add_argument("-o", "--output", type=Path, default=here / "scenarios" / "calibration" / "microtask_fit.json")
    args = parser.parse_args(argv)
    try:
        result = calibrate(args.data)
    except CalibrationError as e:
        print(f"calibrate: {e}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    pooled = result["pooled"]
    print(f"wrote {args.output}: spammers {pooled['accuracy']['spammer_share']}, "
          f"accuracy Beta({pooled['accuracy']['alpha']}, {pooled['accuracy']['beta']}), "
          f"median time {pooled['time']['median_seconds']} s, sigma_speed {pooled['time']['sigma_speed']}, "
          f"sigma_noise {pooled['time']['sigma_noise']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
