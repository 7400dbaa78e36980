"""Figures of crowdsim results, each a matplotlib `Figure` built without pyplot's global state
(save it with `fig.savefig(path)`, or show it in a notebook by leaving it as a cell's value):

    from crowdsim.plots import trajectory, workers, compare, diff, pareto, sweep
    fig = compare(crowdsim.load("out/policies.h5"), kpis="accuracy,total_cost")
"""
from .comparison import DEFAULT_KPIS, compare, diff, grouped, pareto
from .runs import trajectory, workers
from .style import PlotInputError, caption_text, save
from .sweeps import sweep

__all__ = ["trajectory", "workers", "compare", "diff", "pareto", "sweep", "grouped", "save", "caption_text",
           "PlotInputError", "DEFAULT_KPIS"]
