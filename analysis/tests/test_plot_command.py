"""The crowdsim-plot command: per-kind help, formats by extension, no silent overwrite, the report."""
import re
import subprocess
from pathlib import Path

import pytest

from crowdsim.cli import main as MAIN
from test_plot import SCRIPT, synthetic

KINDS = ["trajectory", "workers", "compare", "diff", "sweep", "pareto", "report"]


@pytest.fixture
def plot(capsys):
    """crowdsim-plot's main() in this process (the script's own start-up is tested once, in
    test_formats_by_extension): returns (exit status, stdout, stderr)."""
    def run(*args):
        try:
            code = MAIN([str(a) for a in args])
        except SystemExit as e:
            code = e.code
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)
    return run


def test_every_kind_has_its_own_help_with_an_example(plot):
    helps = {}
    for kind in KINDS:
        r = plot(kind, "--help")
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith(f"usage: crowdsim-plot {kind} ")
        assert re.search(rf"example:\n  crowdsim-plot {kind} \S+\.h5 -o ", r.stdout), kind
        helps[kind] = r.stdout
    assert len(set(helps.values())) == len(KINDS)
    r = plot("--help")  # the global help lists every kind
    assert r.returncode == 0 and all(re.search(rf"^    {kind}\b", r.stdout, re.M) for kind in KINDS), r.stdout + r.stderr
    assert "--baseline" in helps["diff"] and "--baseline" not in helps["sweep"]
    assert "--y" in helps["pareto"] and "KPI on the y axis" in helps["pareto"]


@pytest.mark.sim
def test_formats_by_extension(plot, sim_file, tmp_path):
    magic = {"png": b"\x89PNG", "pdf": b"%PDF", "svg": b"<?xml"}
    for ext, start in magic.items():
        out = tmp_path / f"t.{ext}"
        args = ["workers", str(sim_file), "-o", str(out)]
        # The script itself once (its start-up and exit status), main() in this process after.
        r = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True) if ext == "png" else plot(*args)
        assert r.returncode == 0, r.stderr
        assert out.read_bytes().startswith(start)


@pytest.mark.sim
def test_unknown_extension_and_existing_output_exit_2(plot, sim_file, tmp_path):
    r = plot("workers", sim_file, "-o", tmp_path / "x")
    assert r.returncode == 2 and "name it .png or .pdf or .svg" in r.stderr
    assert list(tmp_path.iterdir()) == []  # no x.png written behind the user's back
    out = tmp_path / "w.png"
    out.write_bytes(b"keep")
    r = plot("workers", sim_file, "-o", out)
    assert r.returncode == 2 and "--force" in r.stderr and out.read_bytes() == b"keep"
    assert plot("workers", sim_file, "-o", out, "--force").returncode == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    r = plot("trajectory", tmp_path / "none.h5", "-o", tmp_path / "t.png")
    assert r.returncode == 2 and "no file" in r.stderr
    r = plot("report", sim_file, "-o", tmp_path / "r.png")
    assert r.returncode == 2 and "name it .html" in r.stderr
    r = plot("report", sim_file, "-o", tmp_path / "r.html")
    assert r.returncode == 0 and "<h2>Overview</h2>" in (tmp_path / "r.html").read_text()


@pytest.mark.sim
def test_sweep_command_with_two_kpis_writes_two_panels(plot, sweep_file, tmp_path):
    out = tmp_path / "s.svg"
    r = plot("sweep", sweep_file, "-o", out, "--x", "incentive.beta", "--kpi", "duration_mean,total_cost")
    assert r.returncode == 0, r.stderr
    svg = out.read_text()
    assert svg.count('id="axes_') == 2 and "work duration (mean) [s]" in svg and "total cost [currency]" in svg


@pytest.mark.sim
def test_report_has_a_section_per_group(sweep_report):
    page = sweep_report.read_text()
    sections = re.findall(r'<section id="group-\d+"><h3>([^<]*)</h3>(.*?)</section>', page, re.S)
    assert sorted(name for name, _ in sections) == [f"{p}, incentive.beta={b} (3 runs)"
                                                    for p in ("fifo", "random") for b in ("-1", "0.5")]
    for _, body in sections:
        assert body.count("data:image/png;base64,") == 1 and "<figcaption>" in body  # its own trajectory
        assert "<td>total cost</td><td>currency</td>" in body and "logit-scale t" in body
    # Overview: compare, diff, pareto, trajectory by group, sweep; each with its caption.
    assert page.count("data:image/png;base64,") == 5 + 4
    assert page.count("error bars: 95% confidence intervals") >= 3
    assert "<th>total cost [currency]</th>" in page
    assert 'src="http' not in page and "<link" not in page and "<script" not in page


@pytest.mark.sim
def test_report_of_one_run_in_words_and_no_interval_method_without_an_interval(sim_file, tmp_path):
    from crowdsim import load
    from crowdsim.report import report
    out = tmp_path / "r.html"
    report(load(sim_file), out)
    page = out.read_text()
    assert "<p>1 run in 1 group;" in page and "1 runs" not in page and "group(s)" not in page
    assert "no confidence interval" in page and "<h3>fifo / exponential_progress (1 run)</h3>" in page
    rows = re.findall(r"<tr><td>([^<]*)</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td><td>(\d+)</td><td>([^<]*)</td></tr>",
                      page)
    assert len(rows) >= 10 and all(ci == "–" and n == "1" and how == "–" for _, ci, n, how in rows), rows


@pytest.mark.sim
def test_report_names_the_interval_method_where_there_is_an_interval(sweep_report):
    page = sweep_report.read_text()
    assert "<p>12 runs in 4 groups;" in page
    rows = re.findall(r"<tr><td>([^<]*)</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td><td>(\d+)</td><td>([^<]*)</td></tr>",
                      page)
    assert rows and all((ci == "–") == (how == "–") for _, ci, _, how in rows)
    assert {how for _, _, _, how in rows} >= {"logit-scale t", "log-scale t"}


def test_report_of_many_groups_summarises(tmp_path):
    from crowdsim.report import report
    results = synthetic({"incentive.beta": [-2.0, -1.0, 0.0, 1.0], "tasks.bounty": [0.05, 0.11093750000000001, 0.2, 0.4]})
    out = tmp_path / "r.html"
    drawn = report(results, out)
    page = Path(out).read_text()
    assert drawn == ["heatmap"] and "<section" not in page
    assert page.count("<tr><td>incentive.beta=") == 16 and "tasks.bounty=0.1109<" in page and "0.1109375" not in page
