"""The report's figures: small PNGs drawn with matplotlib's object API (Agg, no pyplot state).

Drawn under matplotlib's own default style, whatever the user's settings (a
``matplotlibrc`` in the current folder or the user's config, a style a site installs):
`annotate verify` draws them again and compares bytes, and an auditor's settings
called the figures "edited" (break14 finding 1).

Each function writes one PNG to ``path`` and returns it; inputs are the dicts of
:mod:`annotate.audit.stats`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

DPI = 100


def _default_style(draw: Callable[..., Path]) -> Callable[..., Path]:
    """Run ``draw`` (figure made and saved) under matplotlib's default rcParams."""

    @functools.wraps(draw)
    def wrapped(*args: Any, **kwargs: Any) -> Path:
        import matplotlib.style

        with matplotlib.style.context("default"):
            return draw(*args, **kwargs)

    return wrapped


def _figure(width: float = 7.0, height: float = 3.6) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _integer_ticks(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


@_default_style
def bar(counts: Mapping[str, int], path: Path, *, title: str, xlabel: str = "passages") -> Path:
    """Horizontal bars, one per key, in the given order."""
    fig = _figure(7.0, max(2.0, 0.35 * len(counts) + 1.0))
    ax = fig.add_subplot()
    names = list(counts)[::-1]
    values = [counts[n] for n in names]
    ax.barh(names, values, color="#4C72B0")
    for y, v in enumerate(values):
        ax.text(v, y, f" {v}", va="center", fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)
    _integer_ticks(ax.xaxis)
    return _save(fig, path)


@_default_style
def confusion(per_category: Mapping[str, Mapping[str, Any]], path: Path, *, title: str) -> Path:
    """Stacked bars per category: both / model only / reviewers only (TN left out)."""
    fig = _figure(7.5, max(2.5, 0.4 * len(per_category) + 1.2))
    ax = fig.add_subplot()
    names = list(per_category)[::-1]
    left = [0] * len(names)
    for key, label, color in (
        ("tp", "model and reviewers", "#55A868"),
        ("fp", "model only", "#C44E52"),
        ("fn", "reviewers only", "#DD8452"),
    ):
        values = [int(per_category[n][key]) for n in names]
        ax.barh(names, values, left=left, label=label, color=color)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_title(title)
    ax.set_xlabel("passages")
    _integer_ticks(ax.xaxis)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _save(fig, path)


@_default_style
def workload(per_reviewer: Mapping[str, Mapping[str, Any]], path: Path) -> Path:
    """Per reviewer: annotations, of which on harmful passages, of which high severity."""
    fig = _figure(7.0, max(2.5, 0.45 * len(per_reviewer) + 1.2))
    ax = fig.add_subplot()
    names = list(per_reviewer)[::-1]
    ys = range(len(names))
    for offset, key, label, color in (
        (-0.27, "annotations", "annotations", "#4C72B0"),
        (0.0, "harmful", "on harmful passages", "#C44E52"),
        (0.27, "high_severity", "high/critical severity", "#8172B2"),
    ):
        ax.barh(
            [y + offset for y in ys],
            [per_reviewer[n][key] for n in names],
            height=0.25,
            label=label,
            color=color,
        )
    ax.set_yticks(list(ys), names)
    ax.set_xlabel("annotations")
    _integer_ticks(ax.xaxis)
    ax.set_title("Reviewer workload and exposure (pseudonymous)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _save(fig, path)


@_default_style
def histogram(values: Sequence[float], path: Path, *, title: str, xlabel: str) -> Path:
    """A histogram (an empty axis with a note when there are no values)."""
    fig = _figure()
    ax = fig.add_subplot()
    if values:
        ax.hist(values, bins=min(30, max(5, len(values))), color="#4C72B0", edgecolor="white")
    else:
        ax.text(0.5, 0.5, "no values", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("annotations")
    _integer_ticks(ax.yaxis)
    return _save(fig, path)


@_default_style
def split_labels(labels: Mapping[str, Mapping[str, int]], path: Path) -> Path:
    """Grouped bars: passages per category in each split."""
    fig = _figure(7.5, 3.8)
    ax = fig.add_subplot()
    split_names = list(labels)
    cats = list(next(iter(labels.values()), {}))
    width = 0.8 / max(1, len(split_names))
    for i, split in enumerate(split_names):
        xs = [x + i * width for x in range(len(cats))]
        ax.bar(xs, [labels[split][c] for c in cats], width=width, label=split)
    ax.set_xticks(
        [x + width * (len(split_names) - 1) / 2 for x in range(len(cats))],
        cats,
        rotation=30,
        ha="right",
        fontsize=8,
    )
    ax.set_ylabel("passages")
    _integer_ticks(ax.yaxis)
    ax.set_title("Resolved categories per split")
    ax.legend(fontsize=8)
    return _save(fig, path)
