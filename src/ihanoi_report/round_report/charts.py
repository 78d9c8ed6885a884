"""Pictures of a round for the district's Zalo group: PNGs 1080 px wide (a phone's screen), drawn with
matplotlib's Agg backend in DejaVu Sans, which has every Vietnamese letter ("ỹ", "ặ", "Đ").

The figures are those of the round facts (summary.py), so a picture says what the report says."""

from __future__ import annotations

import itertools
import logging
import textwrap
from collections.abc import Sequence
from pathlib import Path

# matplotlib announces on the terminal that it builds its font cache (first run) or that its config folder
# cannot be written; neither is the officer's business.
logging.getLogger("matplotlib").setLevel(logging.ERROR)

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from ihanoi_report.config import Campaign, format_date  # noqa: E402
from ihanoi_report.files import atomic_path, check_writable  # noqa: E402
from ihanoi_report.messages import vi  # noqa: E402
from ihanoi_report.summary import RoundFacts, TargetFacts, UnitLine, pct  # noqa: E402

WIDTH_PX = 1080
DPI = 120
FONT = "DejaVu Sans"
MET, BELOW, TARGET = "#2E7D32", "#EF6C00", "#B71C1C"
COLORS = ("#1565C0", "#C62828", "#6A1B9A", "#00838F")  # a line each shown share, in their order
MOST_BARS = 40  # a longer list is cut, and the picture says how many more there are
NAME_WIDTH = 30  # characters per line of a unit's name beside its bar


def _wrapped(title: str) -> str:
    return textwrap.fill(title, 60)


def _figure(height_px: int) -> Figure:
    figure = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _percent_axis(axis: object) -> None:
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0%}"))  # type: ignore[attr-defined]


def _save(figure: Figure, path: Path, force: bool) -> Path:
    check_writable(path, force)
    with atomic_path(path) as tmp:
        figure.savefig(str(tmp), format="png", dpi=DPI)
    return path


LABEL_CLEARANCE = 0.06  # in share: two labels of one round closer than this would print over each other


def label_sides(values: Sequence[float | None]) -> list[int]:
    """Where each series' label goes at one round: above its point (1), or below it (-1) when the label of the
    series just above is above and within LABEL_CLEARANCE (100,0 % and 97,5 % no longer print over each other)."""
    sides = [1] * len(values)
    order = sorted(((v, i) for i, v in enumerate(values) if v is not None), reverse=True)
    for (upper, above), (lower, below) in itertools.pairwise(order):
        if upper - lower < LABEL_CLEARANCE and sides[above] > 0:
            sides[below] = -1
    return sides


def progress_over_rounds(facts: RoundFacts, shares: Sequence[tuple[int, str, Sequence[float | None]]],
                         campaign: Campaign, path: Path, *, force: bool) -> Path:
    """(a) The level's shown shares over the rounds so far, with the targets' lines.

    ``shares``: (round, its due date as written, each shown share) for each round so far."""
    figure = _figure(810)
    axes = figure.subplots()
    labels = [vi("chart-round", round=number, due=due) for number, due, _ in shares]
    shown = [share for share in campaign.declared.shares if share.shown]
    series = [([row[2][i] for row in shares], COLORS[i % len(COLORS)], share.label) for i, share in enumerate(shown)]
    sides = [label_sides(row[2]) for row in shares]  # per round, per series
    for s, (values, color, name) in enumerate(series):
        points = [(i, value) for i, value in enumerate(values) if value is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        axes.plot(xs, ys, marker="o", linewidth=3, markersize=9, color=color, label=name)
        for x, y in points:
            above = sides[x][s] > 0
            axes.annotate(pct(y), (x, y), textcoords="offset points", xytext=(0, 10 if above else -12), ha="center",
                          va="bottom" if above else "top", fontsize=12, color=color, fontweight="bold")
    for value in sorted({target.share for target in campaign.targets.values()}):
        axes.axhline(value, color=TARGET, linestyle="--", linewidth=1.5, label=vi("chart-target", share=f"{value:.0%}"))
    axes.set_xticks(range(len(labels)), labels, fontsize=12)
    axes.set_ylim(0, 1.12)
    _percent_axis(axes.yaxis)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="lower right", fontsize=12)
    words = campaign.summary
    assert words is not None
    title = words("chart_progress", district=campaign.district, round=facts.round.number) if words.has(
        "chart_progress") else vi("chart-progress-title", district=campaign.district, round=facts.round.number)
    figure.suptitle(_wrapped(title), fontsize=16, fontweight="bold")
    axes.set_xlim(-0.4, len(labels) - 0.6)
    return _save(figure, path, force)


def _bars(lines: Sequence[UnitLine], target: float, title: str, note: str, path: Path, force: bool) -> Path:
    """Horizontal bars, the first line on top, each with its share; the target as a vertical line."""
    shown = list(lines[:MOST_BARS])
    names = [textwrap.fill(u.name, NAME_WIDTH) for u in shown]
    rows = sum(name.count("\n") + 1 for name in names)
    figure = _figure(max(560, 260 + 30 * rows + 14 * len(shown)))
    axes = figure.subplots()
    shares = [u.part.share or 0.0 for u in shown]
    positions = list(range(len(shown)))[::-1]
    colors = [MET if share >= target else BELOW for share in shares]
    axes.barh(positions, shares, color=colors, height=0.7)
    for y, share in zip(positions, shares, strict=True):  # inside the bar's end: clear of the target line
        inside = share > 0.25
        axes.text(share - 0.01 if inside else share + 0.01, y, pct(share), va="center", fontsize=11,
                  ha="right" if inside else "left", color="white" if inside else "black", fontweight="bold")
    axes.axvline(target, color=TARGET, linestyle="--", linewidth=1.5)
    axes.set_yticks(positions, names, fontsize=11)
    axes.set_ylim(-0.6, len(shown) - 0.4)
    axes.set_xlim(0, 1.15)
    _percent_axis(axes.xaxis)
    axes.grid(axis="x", alpha=0.3)
    figure.suptitle(_wrapped(title), fontsize=15, fontweight="bold")
    more = len(lines) - len(shown)
    footer = note + (" " + vi("chart-more", count=more) if more > 0 else "")
    figure.supxlabel(textwrap.fill(footer, 115), fontsize=10, color="#555555")
    return _save(figure, path, force)


def target_picture(facts: RoundFacts, section: TargetFacts, campaign: Campaign, path: Path, *,
                   force: bool) -> Path:
    """(b) A target's units: every one, highest first, where the report has their table (the communes by the
    share of smartphone owners who installed iHanoi); else those under the target, lowest first."""
    target, words = section.target, campaign.summary
    assert words is not None
    lines = section.units if words.has(f"{target.key}_table") else section.below
    blanks = {"round": facts.round.number, "as_of": format_date(facts.round.as_of), "count": len(lines)}
    key = f"{target.key}_chart"
    title = words(key, **blanks) if words.has(key) else vi("chart-target-title", share=section.share.label, **blanks)
    note = vi("chart-target-note", target=target.label, deadline=format_date(target.deadline))
    return _bars(lines, target.share, title, note, path, force)


def pictured(section: TargetFacts, campaign: Campaign) -> bool:
    """Whether a target has its picture: its units' table is in the report, or some are under it."""
    words = campaign.summary
    assert words is not None
    return bool(section.units) if words.has(f"{section.target.key}_table") else bool(section.below)
