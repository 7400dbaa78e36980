"""Figures from crowdsim HDF5 files: `crowdsim-plot KIND FILE -o OUT [options]`.

The format follows OUT's extension (.png, .pdf, .svg; the report: .html); an existing OUT is
kept unless --force. `crowdsim-plot KIND --help` describes a kind, with an example.
Each kind is one function returning a matplotlib Figure (crowdsim.plots: runs, comparison, sweeps).
"""
import argparse
import os
import sys

from .plots import compare, diff, pareto, sweep, trajectory, workers
from .plots.style import PlotInputError, check_output, save
from .report import report
from .results import load

PlotError = PlotInputError
PLOTS = {"trajectory": trajectory, "workers": workers, "compare": compare, "sweep": sweep, "pareto": pareto,
         "diff": diff}

# kind -> (one line, example(s), options it takes)
KINDS = {
    "trajectory": ("open work, workers, cost and accuracy over time; one line per group when the file has several",
                   "crowdsim-plot trajectory out/demo.h5 -o out/demo_trajectory.png [--run 0]", ["run"]),
    "workers": ("earnings per hour worked: a histogram, or one box per group",
                "crowdsim-plot workers out/demo.h5 -o out/demo_workers.pdf", ["run"]),
    "compare": ("one panel per KPI, each group's mean with its 95% confidence interval",
                "crowdsim-plot compare out/compare.h5 -o out/compare.png --kpi accuracy,total_cost", ["kpi"]),
    "diff": ("paired differences of each group from a baseline group, with 95% intervals",
             "crowdsim-plot diff out/compare.h5 -o out/diff.png --baseline random --kpi accuracy,total_cost",
             ["kpi", "baseline"]),
    "sweep": ("KPIs against a swept parameter (one panel per KPI), or a heatmap over two",
              "crowdsim-plot sweep out/beta.h5 -o out/beta.png --x incentive.beta --kpi accuracy,total_cost "
              "[--by workers.behavior.model]\n  crowdsim-plot sweep out/opt.h5 -o out/heat.png --x tasks.bounty "
              "--y incentive.beta --kpi accuracy", ["x", "y", "kpi", "by"]),
    "pareto": ("group means of one KPI against another, the groups no other beats joined",
               "crowdsim-plot pareto out/compare.h5 -o out/pareto.png --x total_cost --y accuracy", ["x", "y"]),
    "report": ("one self-contained HTML page: KPI tables with units and the plots, a section per group",
               "crowdsim-plot report out/compare.h5 -o out/compare_report.html", []),
}
OPTIONS = {
    "run": (["--run"], {"type": int, "help": "only this run id"}),
    "kpi": (["--kpi"], {"help": "KPI(s), comma-separated: one panel each (names as in /summary)"}),
    "baseline": (["--baseline"], {"help": "the group the others are compared to: its label or a value in it "
                                          "(default: the first group)"}),
    "x": (["--x"], {}), "y": (["--y"], {}),
    "by": (["--by"], {"help": "one line per value of this swept parameter (without it: one line per "
                                "combination of the other parameters that vary; runs are never pooled)"}),
}
XY_HELP = {"sweep": ("swept parameter on the x axis", "second swept parameter: a heatmap"),
           "pareto": ("KPI on the x axis (default total_cost)", "KPI on the y axis (default accuracy)")}


def parser():
    examples = "\n".join(f"  {example.splitlines()[0]}" for _, example, _ in KINDS.values())
    p = argparse.ArgumentParser(prog="crowdsim-plot", description=__doc__, epilog=f"examples:\n{examples}\n",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="kind", metavar="KIND", required=True,
                           help=", ".join(KINDS))
    for kind, (what, example, options) in KINDS.items():
        k = sub.add_parser(kind, help=what.replace("%", "%%"), description=f"crowdsim-plot {kind}: {what}.",
                           epilog=f"example:\n  {example}\n", formatter_class=argparse.RawDescriptionHelpFormatter)
        k.add_argument("file", help="crowdsim HDF5 output")
        out = ".html" if kind == "report" else ".png, .pdf or .svg"
        k.add_argument("-o", "--output", required=True, help=f"file to write ({out}, by its extension)")
        k.add_argument("--force", action="store_true", help="overwrite the output if it exists")
        for name in options:
            flags, kw = OPTIONS[name]
            if name in ("x", "y"):
                kw = {"help": XY_HELP[kind][name == "y"]}
            k.add_argument(*flags, **kw)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.kind == "report":
            check_output(args.output, args.force, formats=("html",))
        else:
            check_output(args.output, args.force)
        if not os.path.exists(args.file):
            raise PlotError(f"no file at {args.file}")
        results = load(args.file)
        if args.kind == "report":
            report(results, args.output)
            return 0
        options = {name: getattr(args, name) for name in KINDS[args.kind][2]}
        if "kpi" in options:
            options["kpis" if args.kind in ("compare", "diff") else "kpi"] = options.pop("kpi")
        save(PLOTS[args.kind](results, **options), args.output, force=args.force)
    except (PlotError, KeyError, ValueError, OSError) as e:
        print(f"crowdsim-plot: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
