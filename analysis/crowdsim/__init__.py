"""crowdsim from Python: read a simulation's results, compute intervals, draw figures.

    import crowdsim
    r = crowdsim.load("out/demo.h5")          # a Results: r.summary now, r.tasks etc. when used
    crowdsim.plots.compare(r).savefig("compare.png")
    crowdsim.summarize(r, ["accuracy", "total_cost"])   # means with 95% intervals per group

Modules: `results` (load, Results), `kpis` (what each KPI is), `stats` (intervals, the same as
`crowdsim summarize`), `plots` (Figures), `report` (an HTML page), `cli` (`crowdsim-plot`),
`simulate` (running the simulator in this process: `crowdsim.run`, `sweep`, `optimize`, `validate`,
`list_models`).
"""
from . import kpis, plots, stats
from .results import TABLES, Results, load
from .simulate import Optimum, ScenarioError, in_process, list_models, optimize, run, summarize, sweep, validate

__version__ = "0.1.0"
__all__ = ["load", "Results", "TABLES", "run", "sweep", "optimize", "Optimum", "validate", "list_models",
           "in_process", "summarize", "ScenarioError",
           "kpis", "stats", "plots"]
