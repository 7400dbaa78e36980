"""The calibration of microtask_labeling: reproducible, able to recover known parameters, and
consistent with the scenario that uses it."""
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crowdsim import calibrate

REPO = Path(__file__).resolve().parents[2]

FIT = REPO / "scenarios" / "calibration" / "microtask_fit.json"


def test_committed_fit_is_reproduced_exactly(tmp_path):
    out = tmp_path / "fit.json"
    assert calibrate.main(["--data", str(REPO / "data" / "crowd"), "-o", str(out)]) == 0
    assert out.read_text() == FIT.read_text(), "rerun `make calibrate` and commit the result"


def synthetic(tmp_path, name, workers, spam, a, b, classes, per_worker, mu, s_speed, s_noise, seed):
    """A data set in the shared format drawn from the model with known parameters."""
    rng = np.random.default_rng(seed)
    items = [f"i{k}" for k in range(2000)]
    truth = {i: str(rng.integers(classes)) for i in items}
    rows = []
    for w in range(workers):
        acc = 1.0 / classes if rng.random() < spam else rng.beta(a, b)
        speed = rng.normal(0, s_speed)
        for i in rng.choice(items, per_worker, replace=False):
            right = rng.random() < acc
            label = truth[i] if right else str((int(truth[i]) + 1 + rng.integers(classes - 1)) % classes)
            rows.append((i, f"w{w}", label, max(1, round(np.exp(mu + speed + rng.normal(0, s_noise)), 3))))
    folder = tmp_path / name
    folder.mkdir()
    pd.DataFrame(rows, columns=["item", "worker", "label", "seconds"]).to_csv(folder / "labels.csv", index=False)
    pd.DataFrame(list(truth.items()), columns=["item", "truth"]).to_csv(folder / "truth.csv", index=False)


def test_fit_recovers_known_parameters(tmp_path):
    # 400 workers x 60 answers: the spammer share has a standard error near sqrt(.15 x .85 / 400)
    # = 0.018, the Beta mean of the others about 0.006; tolerances are about 3 standard errors.
    synthetic(tmp_path, "syn", 400, 0.15, 6.0, 2.5, 4, 60, np.log(20), 0.5, 0.8, seed=1)
    r = calibrate.calibrate(tmp_path, datasets=("syn",))["datasets"]["syn"]
    acc, time = r["accuracy"], r["time"]
    assert abs(acc["spammer_share"] - 0.15) < 0.05
    assert abs(acc["beta_mean"] - 6.0 / 8.5) < 0.02
    assert abs(time["nominal_seconds"] - 20) < 2.0
    assert abs(time["sigma_speed"] - 0.5) < 0.06
    assert abs(time["sigma_within_raw"] - 0.8) < 0.02


def test_bad_input_is_a_clear_error(tmp_path, capsys):
    shutil.copytree(REPO / "data" / "crowd" / "ws_amt_venanzi", tmp_path / "ws_amt_venanzi")
    shutil.copytree(REPO / "data" / "crowd" / "sp_amt_venanzi", tmp_path / "sp_amt_venanzi")
    labels = tmp_path / "ws_amt_venanzi" / "labels.csv"
    pd.read_csv(labels).drop(columns=["seconds"]).to_csv(labels, index=False)
    assert calibrate.main(["--data", str(tmp_path), "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert "labels.csv" in err and "missing seconds" in err
    assert not (tmp_path / "out.json").exists()


def test_scenario_uses_the_fitted_numbers():
    """scenarios/microtask_labeling.json carries the ws_amt_venanzi fit, so they cannot drift apart."""
    fit = json.loads(FIT.read_text())["datasets"]["ws_amt_venanzi"]
    s = json.loads((REPO / "scenarios" / "microtask_labeling.json").read_text())
    groups = {g["name"]: g for g in s["workers"]["groups"]}
    assert groups["spammer"]["share"] == fit["accuracy"]["spammer_share"]
    assert groups["spammer"]["accuracy"] == 1 / fit["data"]["classes"]
    assert groups["worker"]["accuracy"] == {"dist": "beta", "alpha": fit["accuracy"]["alpha"], "beta": fit["accuracy"]["beta"]}
    assert s["tasks"]["classes"] == fit["data"]["classes"]
    assert s["tasks"]["expected_duration"] == fit["time"]["nominal_seconds"]
    assert s["workers"]["speed"]["sigma"] == fit["time"]["sigma_speed"]
    assert s["work"]["time_noise"]["sigma"] == fit["time"]["sigma_noise"]
