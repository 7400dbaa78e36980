"""crowdsim.run / validate / list_models: the same results as the program, errors that name
the JSON path."""
import json

import pandas as pd
import pytest

import crowdsim
from conftest import BINARY, REPO, run_sim

pytestmark = pytest.mark.sim
DEMO = REPO / "scenarios" / "demo.json"


def test_run_gives_what_the_program_writes_with_the_same_seed(tmp_path):
    r = crowdsim.run(DEMO, seed=3, replications=2, set={"tasks.count": 200}, binary_path=BINARY)
    cli = crowdsim.load(run_sim(tmp_path / "cli.h5", "--seed", "3", "--replications", "2"))
    drop = ["wall_seconds"]
    pd.testing.assert_frame_equal(r.summary.drop(columns=drop), cli.summary.drop(columns=drop))
    assert list(r.summary["seed"]) == list(cli.summary["seed"]) and len(r.summary) == 2
    pd.testing.assert_frame_equal(r.assignments, cli.assignments)
    other = crowdsim.run(DEMO, seed=4, replications=2, set={"tasks.count": 200}, binary_path=BINARY)
    assert not other.summary["total_cost"].equals(r.summary["total_cost"])  # the seed matters: the test can fail


def test_a_scenario_as_a_dict_or_text_and_a_kept_output(tmp_path):
    scenario = json.loads(DEMO.read_text())
    scenario["tasks"]["count"] = 100
    out = tmp_path / "kept.h5"
    a = crowdsim.run(scenario, seed=5, detail="summary", output=out, binary_path=BINARY)
    b = crowdsim.run(json.dumps(scenario), seed=5, detail="summary", binary_path=BINARY)
    assert out.exists() and a.path == str(out)
    assert (a.summary["tasks_closed"] == 100).all()
    pd.testing.assert_frame_equal(a.summary.drop(columns="wall_seconds"), b.summary.drop(columns="wall_seconds"))


def test_a_bad_scenario_raises_with_its_json_path():
    bad = REPO / "tests" / "scenarios" / "invalid" / "accuracy_alpha_string.json"
    with pytest.raises(crowdsim.ScenarioError) as e:
        crowdsim.validate(bad, binary_path=BINARY)
    assert e.value.path == "workers.accuracy.alpha"
    assert e.value.expected == "a number > 0" and e.value.found == '"abc"'
    with pytest.raises(crowdsim.ScenarioError, match=r"tasks\.count") as e:
        crowdsim.run(DEMO, set={"tasks.count": -3}, binary_path=BINARY)
    assert e.value.path == "tasks.count"
    crowdsim.validate(DEMO, binary_path=BINARY)  # a good one passes


def test_list_models():
    models = crowdsim.list_models(binary_path=BINARY)
    assert {"fifo", "ucb", "random"} <= set(models["assignment"])
    assert "exponential_progress" in models["incentive"] and "ds" in models["aggregation"]
