"""scenarios/schema.json describes the scenario format, and agrees with the loader.

The loader (`crowdsim validate`) is the authority; the schema is for editors and other tools.
Valid examples must pass both; invalid ones (each with the JSON path the loader must name) must
fail both. Constraints the schema cannot express are listed in its $comment."""
import json
import math
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import BINARY, REPO

SCHEMA = json.loads((REPO / "scenarios" / "schema.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA)
EXAMPLES = REPO / "tests" / "scenarios"
VALID = sorted((EXAMPLES / "valid").glob("*.json"))
INVALID = sorted(p for p in (EXAMPLES / "invalid").glob("*.json") if p.name != "expected.json")
EXPECTED = json.loads((EXAMPLES / "invalid" / "expected.json").read_text())
SHIPPED = sorted(p for p in (REPO / "scenarios").glob("*.json") if p.name != "schema.json")


def strict_json(text: str):
    """RFC 8259 JSON: no NaN or Infinity literals, no numbers beyond double range."""
    def finite(s):
        v = float(s)
        if not math.isfinite(v):
            raise ValueError(f"number out of range: {s}")
        return v
    def constant(s):
        raise ValueError(f"not JSON: {s}")
    return json.loads(text, parse_float=finite, parse_constant=constant)


def schema_errors(path: Path):
    try:
        doc = strict_json(path.read_text())
    except ValueError as e:  # json.JSONDecodeError is a ValueError
        return [f"not JSON: {e}"]
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)


def test_examples_cover_the_format():
    assert len(VALID) >= 15 and len(INVALID) >= 60
    assert {p.name for p in INVALID} == set(EXPECTED), "every invalid example needs its expected path"


@pytest.mark.parametrize("path", SHIPPED + VALID, ids=lambda p: p.name)
def test_valid_scenarios_pass_the_schema(path):
    assert schema_errors(path) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_scenarios_fail_the_schema(path):
    """Except what only the loader can check (marked loader_only; see the schema's $comment)."""
    if EXPECTED[path.name].get("loader_only"):
        assert schema_errors(path) == [], f"{path.name} is marked loader_only but the schema catches it"
    else:
        assert schema_errors(path), f"{path.name} passes the schema but the loader refuses it"


@pytest.mark.sim
@pytest.mark.parametrize("path", SHIPPED + VALID, ids=lambda p: p.name)
def test_loader_accepts_what_the_schema_accepts(path):
    r = subprocess.run([str(BINARY), "validate", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@pytest.mark.sim
@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_loader_refuses_what_the_schema_refuses_naming_the_path(path, tmp_path):
    out = tmp_path / "out.h5"
    run = subprocess.run([str(BINARY), "run", str(path), "-o", str(out)], capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    assert list(tmp_path.iterdir()) == [], "a refused scenario leaves no output file behind"
    r = subprocess.run([str(BINARY), "validate", str(path)], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    want = EXPECTED[path.name]
    message = r.stderr.strip().removeprefix("crowdsim: ")
    assert message.startswith((want["path"] or "(root)") + ":"), message
    assert want["message_contains"] in message
    assert len(r.stderr.strip().splitlines()) == 1, "one clear error"


@pytest.mark.sim
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_examples_run(path, tmp_path):
    out = tmp_path / "out.h5"
    r = subprocess.run([str(BINARY), "run", str(path), "-o", str(out), "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert out.exists()
