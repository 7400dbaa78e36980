"""Figures for a paper: matplotlib Figure objects (no pyplot state), readable fonts, a caption
under the axes, and saving by the output's extension."""
import os
import textwrap

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

TICK_PT, LABEL_PT, TITLE_PT, CAPTION_PT = 10, 11, 12, 9.5
FORMATS = ("png", "pdf", "svg")
_RENDERER = RendererAgg(1, 1, 72)  # measures text (text_size): at 72 dpi a pixel is a point


class PlotInputError(ValueError):
    """Input the plot cannot use (exit status 2 in the command)."""


def figure(width, height):
    """A Figure of width x height inches, drawn by the Agg canvas on save."""
    return Figure(figsize=(width, height))


def style(ax):
    """Tick labels of TICK_PT points, axis labels of LABEL_PT, a light grid."""
    ax.tick_params(labelsize=TICK_PT)
    ax.xaxis.label.set_size(LABEL_PT)
    ax.yaxis.label.set_size(LABEL_PT)
    ax.title.set_size(TITLE_PT)
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)  # the grid behind bars and points
    return ax


def text_size(text, points):
    """(width, height) in inches of `text` set in the default font at `points`: what a tick
    label or a number in a cell needs, known before the figure is laid out."""
    w, h, _ = _RENDERER.get_text_width_height_descent(text, FontProperties(size=points), ismath=False)
    return w / 72, h / 72


def finish(fig, title, caption, right=1.0):
    """Sets the title, writes `caption` under the axes (wrapped to the figure's width) and lays
    the axes out in the space left (up to `right`, a share of the width: room for a legend)."""
    fig.suptitle(title, fontsize=TITLE_PT)
    width, height = fig.get_size_inches()
    lines = textwrap.wrap(caption, width=int(width * 13.5)) if caption else []
    bottom = (len(lines) * CAPTION_PT * 1.35 / 72 + 0.08) / height if lines else 0
    if lines:
        fig.text(0.01, 0.02 / height, "\n".join(lines), ha="left", va="bottom", fontsize=CAPTION_PT,
                 color="0.25", gid="caption")
    fig.tight_layout(rect=(0, bottom, right, 1))
    fig._crowdsim_right = right
    return fig


def strip_caption(fig):
    """Removes the caption finish() wrote (a page shows it as text instead) and lays out again;
    returns the caption as one line."""
    text = caption_text(fig)
    for t in [t for t in fig.texts if t.get_gid() == "caption"]:
        t.remove()
    fig.tight_layout(rect=(0, 0, getattr(fig, "_crowdsim_right", 1), 1))
    return text


def caption_text(fig):
    """The caption finish() wrote, as one line (for tests and the report)."""
    texts = [t.get_text() for t in fig.texts if t.get_gid() == "caption"]
    return " ".join(" ".join(texts).split())


def check_output(path, force, formats=FORMATS):
    """Refuses an existing output without --force, or an unknown extension."""
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in formats:
        raise PlotInputError(f"cannot tell the format of {path}: name it "
                             + " or ".join("." + f for f in formats))
    if os.path.exists(path) and not force:
        raise PlotInputError(f"{path} exists: pass --force to overwrite it")
    return ext


def save(fig, path, force=False):
    fmt = check_output(path, force)
    fig.savefig(path, format=fmt, dpi=150 if fmt == "png" else None)
