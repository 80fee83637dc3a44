"""The one plotting helper of the measurement scripts: a figure of one or more panels saved as a
PNG into the run folder (matplotlib, Agg backend), with the house style of every panel."""
from __future__ import annotations

from contextlib import contextmanager


def pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


@contextmanager
def figure(path, figsize, panels=1, grid=None, legend=True):
    """Yields the axes of a row of `panels` panels (a list, one per panel); on leaving, each panel
    gets a light grid (`grid` is matplotlib's `which`/`axis` keyword, e.g. {"axis": "y"}) and a
    legend on the first panel, and the figure goes to `path` at 110 dpi."""
    plt = pyplot()
    fig, axes = plt.subplots(1, panels, figsize=figsize, squeeze=False)
    axes = list(axes[0])
    yield axes
    for ax in axes:
        ax.grid(alpha=0.3, **(grid or {}))
    if legend:
        axes[0].legend(**({} if legend is True else legend))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def grouped_bars(ax, labels, series):
    """Bars in groups: `series` is [(name, [value per group])], one bar per series in each group,
    the groups labelled `labels`; missing values (0 or None) leave a gap."""
    width = 0.8 / len(series)
    for j, (name, values) in enumerate(series):
        ax.bar([i + j * width for i in range(len(labels))], [v or float("nan") for v in values], width, label=name)
    return [i + width * (len(series) - 1) / 2 for i in range(len(labels))]
