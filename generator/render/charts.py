"""Inline SVG charts for study pages: per-arm bars and forest plots.

The charts are plain SVG, no JavaScript, meant to be inlined in the page:

* they scale with their container (``viewBox`` and ``width="100%"``);
* they are images to assistive technology (``role="img"``), named by a
  ``<title>`` and described by a ``<desc>`` that states every number in words;
* they carry no colours of their own: everything is drawn in
  ``currentColor`` and marked with ``re-chart-*`` / ``re-arm-N`` classes, so
  the site's stylesheet can theme them for light and dark schemes;
* every piece of text is escaped, since labels come from editors' files.

The same words as the ``<desc>`` are available from :func:`bar_chart_text`
and :func:`forest_plot_text`, for a ``<figcaption>`` or a table summary.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from html import escape
from typing import Literal, NamedTuple

from generator.derive.effects import describe_effect, format_number
from generator.read.vocabulary import MEASURES
from generator.text import NOT_XML

__all__ = [
    "ArmValue",
    "Layout",
    "BarGroup",
    "ForestRow",
    "bar_chart",
    "bar_chart_text",
    "forest_plot",
    "forest_plot_text",
]

ArmValue = tuple[str, float | None]
"""One arm's label and its percentage (0 to 100), or None when not reported."""

BarGroup = tuple[str, Sequence[ArmValue]]
"""An outcome's name and its arms' values."""


class ForestRow(NamedTuple):
    """One estimate in a forest plot; a plain 5-tuple converts to it.

    Numbers may be text, to be printed as the editor wrote them ("0.30").
    """

    label: str
    measure: str  # a key of read.vocabulary.MEASURES
    estimate: float | str
    ci_low: float | str | None = None
    ci_high: float | str | None = None
    ci_level: float = 0.95


_WIDTH = 640
_FONT_SIZE = 13
# Bar chart geometry: arm labels right-aligned left of the bars, values after them.
_BAR_LEFT, _BAR_RIGHT = 200, 560
_BAR_HEIGHT, _BAR_ROW, _GROUP_HEADING, _GROUP_GAP = 14, 22, 24, 8
# Forest plot geometry: labels, then the plot, then the numbers.
_PLOT_LEFT, _PLOT_RIGHT, _NUMBERS_LEFT = 200, 450, 462
_FOREST_ROW, _POINT_SIZE = 26, 9
_AXIS_SPACE = 52  # ticks, tick labels and the axis caption
_LABEL_CHARS = 28  # longer labels are shortened on the chart (the full text stays in a tooltip and the desc)
_HEADING_CHARS = 80
# Without a stylesheet the arms still differ: each is a different strength of currentColor.
_ARM_OPACITY = ("0.85", "0.45", "0.65", "0.3")

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

Layout = Literal["wide", "narrow"]
"""``wide``: labels beside the bars or plot, for a desktop column.  ``narrow``: labels above them, on a canvas
half as wide with larger text, so a phone (where the chart is scaled down to the screen) shows its text at least
as large as the page's small print."""

# The narrow layout: a 320-unit canvas drawn at about 340 px on a phone, so 14 units of text stay about 15 px.
_NARROW_WIDTH, _NARROW_FONT_SIZE, _NARROW_LABEL_CHARS = 320, 14, 40
_NARROW_BAR_RIGHT, _NARROW_BAR_LABEL, _NARROW_BAR_HEIGHT = 262, 18, 14
_NARROW_PLOT_LEFT, _NARROW_PLOT_RIGHT, _NARROW_FOREST_ROW = 18, 294, 58


# --------------------------------------------------------------------------- bars


def bar_chart_text(outcomes: Sequence[BarGroup]) -> str:
    """The bar chart's numbers in words: "SRI-4 at week 12: Low-dose IL-2 55.2%, Placebo 30%."."""
    return " ".join(
        f"{_clean(name)}: {', '.join(f'{_clean(arm)} {_percent(value)}' for arm, value in arms)}."
        for name, arms in outcomes
    )


def bar_chart(title: str, outcomes: Sequence[BarGroup], *, chart_id: str | None = None, layout: Layout = "wide") -> str:
    """Horizontal bars of per-arm percentages on a 0-100% scale, one group per outcome.

    An arm keeps its colour class (``re-arm-N``, by first appearance) in every
    group.  ``chart_id`` prefixes the ids of the title and desc; it defaults to
    a hash of the content (and the layout), so equal charts get equal ids.
    """
    arm_index: dict[str, int] = {}
    for _, arms in outcomes:
        for arm, value in arms:
            arm_index.setdefault(arm, len(arm_index))
            if value is not None and not 0 <= value <= 100:
                raise ValueError(f"a percentage must be between 0 and 100, got {value!r} for {arm!r}")
    narrow = layout == "narrow"
    left, right = (0, _NARROW_BAR_RIGHT) if narrow else (_BAR_LEFT, _BAR_RIGHT)
    scale = (right - left) / 100
    heading_chars = _NARROW_LABEL_CHARS if narrow else _HEADING_CHARS
    parts: list[str] = []
    y = 0.0
    for name, arms in outcomes:
        parts.append(_text(0, y + 17, name, heading_chars, "re-chart-heading", weight="bold"))
        y += _GROUP_HEADING
        for arm, value in arms:
            if narrow:  # the arm's name on its own line, the bar under it
                parts.append(_text(0, y + 14, arm, _NARROW_LABEL_CHARS, "re-chart-label"))
                y += _NARROW_BAR_LABEL
            middle = y + _BAR_ROW / 2
            if not narrow:
                parts.append(_text(_BAR_LEFT - 8, middle + 4, arm, _LABEL_CHARS, "re-chart-label", anchor="end"))
            if value is None:
                parts.append(_text(left + 4, middle + 4, "not reported", None, "re-chart-value re-chart-missing"))
                y += _BAR_ROW
                continue
            index = arm_index[arm]
            parts.append(
                f'<rect class="re-chart-bar re-arm-{index}" x="{left}"'
                f' y="{_n(middle - _BAR_HEIGHT / 2)}" width="{_n(value * scale)}" height="{_BAR_HEIGHT}"'
                f' fill-opacity="{_ARM_OPACITY[index % len(_ARM_OPACITY)]}"/>'
            )
            parts.append(_text(left + value * scale + 6, middle + 4, _percent(value), None, "re-chart-value"))
            y += _BAR_ROW
        y += _GROUP_GAP
    top = y
    for tick in (0, 25, 50, 75, 100) if not narrow else (0, 50, 100):
        x = left + tick * scale
        parts.append(_line(x, 0, x, top, "re-chart-grid", opacity=0.2))
        anchor = "start" if narrow and tick == 0 else "middle"
        parts.append(_text(x, top + 16, f"{tick}%", None, "re-chart-tick", anchor=anchor))
    return _svg(title, bar_chart_text(outcomes), "re-chart-bars", top + 24, parts, chart_id, layout)


def _percent(value: float | None) -> str:
    if value is None:
        return "not reported"
    return f"{format_number(round(value, 1)).removesuffix('.0')}%"


# --------------------------------------------------------------------------- forest plot


def forest_plot_text(rows: Sequence[ForestRow | tuple]) -> str:
    """The forest plot's estimates in words: "Stroke: RR 19.0 (95% CI 1.12 to 321.9)."."""
    return " ".join(f"{_clean(row.label)}: {_describe(row)}." for row in map(_row, rows))


def forest_plot(
    title: str, rows: Sequence[ForestRow | tuple], *, chart_id: str | None = None, layout: Layout = "wide"
) -> str:
    """Estimates with confidence intervals against a line of no effect.

    Ratio measures (HR, OR, RR, rate ratio) are drawn on a log scale around 1,
    differences on a linear scale around 0; the rows must not mix the two.
    Each row shows a square at the estimate and whiskers to the interval's
    ends, with the numbers written out on the right.
    """
    forest = [_row(row) for row in rows]
    if not forest:
        raise ValueError("a forest plot needs at least one row")
    for row in forest:
        if row.measure not in MEASURES:
            raise ValueError(f"unknown effect measure {row.measure!r}")
    logarithmic = {MEASURES[row.measure].ratio for row in forest}
    if len(logarithmic) == 2:
        raise ValueError("a forest plot cannot mix ratios (log scale) with differences (linear scale)")
    log = logarithmic.pop()
    null = 1.0 if log else 0.0
    values = [null] + [float(v) for row in forest for v in (row.estimate, row.ci_low, row.ci_high) if v is not None]
    if log and min(values) <= 0:
        raise ValueError("a ratio and its confidence interval must be above 0")
    ticks = _log_ticks(min(values), max(values)) if log else _linear_ticks(min(values), max(values))
    narrow = layout == "narrow"
    plot_left, plot_right = (_NARROW_PLOT_LEFT, _NARROW_PLOT_RIGHT) if narrow else (_PLOT_LEFT, _PLOT_RIGHT)
    position = _scale(ticks[0], ticks[-1], log, plot_left, plot_right)
    row_height = _NARROW_FOREST_ROW if narrow else _FOREST_ROW

    parts: list[str] = []
    bottom = len(forest) * row_height + 8
    for i, row in enumerate(forest):
        if narrow:  # the label and the numbers on their own lines, the interval under them
            top = i * row_height
            parts.append(_text(0, top + 14, row.label, _NARROW_LABEL_CHARS, "re-chart-label"))
            parts.append(_text(0, top + 31, _numbers(row), None, "re-chart-value"))
            middle: float = top + 46
        else:
            middle = i * _FOREST_ROW + _FOREST_ROW / 2 + 4
            parts.append(_text(0, middle + 4, row.label, _LABEL_CHARS, "re-chart-label"))
        if row.ci_low is not None and row.ci_high is not None:
            low, high = position(float(row.ci_low)), position(float(row.ci_high))
            parts.append(_line(low, middle, high, middle, "re-chart-ci"))
            parts.extend(_line(x, middle - 4, x, middle + 4, "re-chart-ci") for x in (low, high))
        x = position(float(row.estimate))
        half = _POINT_SIZE / 2
        parts.append(
            f'<rect class="re-chart-point" x="{_n(x - half)}" y="{_n(middle - half)}"'
            f' width="{_POINT_SIZE}" height="{_POINT_SIZE}"/>'
        )
        if not narrow:
            parts.append(_text(_NUMBERS_LEFT, middle + 4, _numbers(row), None, "re-chart-value"))
    if narrow:  # the line of no effect under each row's words, never through them
        for i in range(len(forest)):
            end = bottom if i == len(forest) - 1 else (i + 1) * row_height
            parts.append(_line(position(null), i * row_height + 36, position(null), end, "re-chart-null", dash="4 3"))
    else:
        parts.append(_line(position(null), 0, position(null), bottom, "re-chart-null", dash="4 3"))

    parts.append(_line(plot_left, bottom, plot_right, bottom, "re-chart-axis"))
    for tick in ticks:
        x = position(tick)
        parts.append(_line(x, bottom, x, bottom + 5, "re-chart-axis"))
        parts.append(_text(x, bottom + 19, _tick_label(tick), None, "re-chart-tick", anchor="middle"))
    measures = {row.measure for row in forest}
    name = MEASURES[measures.pop()].axis if len(measures) == 1 else ("Ratio" if log else "Difference")
    caption = f"{name} (log scale)" if log else name
    middle_x = (plot_left + plot_right) / 2
    parts.append(_text(middle_x, bottom + 38, caption, None, "re-chart-caption", anchor="middle"))
    return _svg(title, forest_plot_text(forest), "re-chart-forest", bottom + _AXIS_SPACE, parts, chart_id, layout)


def _row(row: ForestRow | tuple) -> ForestRow:
    return row if isinstance(row, ForestRow) else ForestRow(*row)


def _describe(row: ForestRow) -> str:
    ci = (row.ci_low, row.ci_high) if row.ci_low is not None and row.ci_high is not None else None
    return describe_effect(row.measure, row.estimate, ci, row.ci_level)


def _numbers(row: ForestRow) -> str:
    """The short form printed beside a row: "1.83 (0.71 to 4.76)"."""
    text = format_number(row.estimate)
    if row.ci_low is not None and row.ci_high is not None:
        text += f" ({format_number(row.ci_low)} to {format_number(row.ci_high)})"
    return text


def _scale(
    low: float, high: float, log: bool, left: float = _PLOT_LEFT, right: float = _PLOT_RIGHT
) -> Callable[[float], float]:
    """Maps a value to its x coordinate in the plot area."""
    f = math.log if log else float
    start, span = f(low), f(high) - f(low)
    span = span or 1.0  # a degenerate axis (all values equal): any scale draws them at the start
    return lambda value: left + (f(value) - start) / span * (right - left)


# Tick sets for a log axis, coarsest first: each mantissa is repeated in every decade.
_LOG_MANTISSAS = ((1,), (1, 2, 5), (1, 1.5, 2, 3, 5, 7), tuple(1 + i / 10 for i in range(90)))


def _log_ticks(low: float, high: float) -> list[float]:
    """Round ticks spanning [low, high] on a log axis, about five of them."""
    if low == high:  # every ratio is 1 with no interval: show 0.5 to 2 rather than divide by a zero span
        low, high = low / 2, high * 2
    first, last = math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1
    candidates = []
    for index in range(len(_LOG_MANTISSAS)):
        grid = _log_grid(first, last, index)
        start = max(t for t in grid if t <= low * (1 + 1e-12))
        stop = min(t for t in grid if t >= high * (1 - 1e-12))
        candidates.append([t for t in grid if start <= t <= stop])
    # The first (coarsest) set closest to five ticks: a narrow range gets a finer set.
    return min(candidates, key=lambda ticks: abs(len(ticks) - 5))


@lru_cache(maxsize=256)
def _log_grid(first: int, last: int, index: int) -> tuple[float, ...]:
    """Every tick of the mantissa set ``index`` in the decades ``first`` to ``last`` (cached: plots share decades)."""
    return tuple(round(m * 10.0**e, 12) for e in range(first, last + 1) for m in _LOG_MANTISSAS[index])


def _linear_ticks(low: float, high: float) -> list[float]:
    """Round ticks spanning [low, high] on a linear axis, a step of 1, 2, 2.5 or 5 times a power of ten."""
    if low == high:
        low, high = low - 1, high + 1
    raw = (high - low) / 4
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-12))
    start, stop = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 12) for i in range(start, stop + 1)]


def _tick_label(tick: float) -> str:
    return format_number(tick).removesuffix(".0")


# --------------------------------------------------------------------------- SVG pieces


def _svg(
    title: str, description: str, kind: str, height: float, parts: list[str], chart_id: str | None, layout: Layout
) -> str:
    narrow = layout == "narrow"
    if chart_id is None:
        digest = hashlib.sha256("\0".join([kind, title, description, *(["narrow"] if narrow else [])]).encode())
        chart_id = f"re-chart-{digest.hexdigest()[:10]}"
    elif not _ID.match(chart_id):
        raise ValueError(f"a chart id must match {_ID.pattern}, got {chart_id!r}")
    body = "\n".join(parts)
    width, font_size = (_NARROW_WIDTH, _NARROW_FONT_SIZE) if narrow else (_WIDTH, _FONT_SIZE)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="re-chart re-chart--{layout} {kind}"'
        f' viewBox="0 0 {width} {_n(height)}"'
        f' width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' fill="currentColor" font-size="{font_size}">\n'
        f'<title id="{chart_id}-title">{_xml(title)}</title>\n'
        f'<desc id="{chart_id}-desc">{_xml(description)}</desc>\n'
        f"{body}\n</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    limit: int | None,
    css_class: str,
    *,
    anchor: str = "start",
    weight: str | None = None,
) -> str:
    """A ``<text>``, shortened to ``limit`` characters with the full text as a tooltip."""
    text = _clean(text)
    shown, tooltip = text, ""
    if limit is not None and len(text) > limit:
        shown, tooltip = text[: limit - 1].rstrip() + "\u2026", f"<title>{_xml(text)}</title>"
    bold = f' font-weight="{weight}"' if weight else ""
    aligned = f' text-anchor="{anchor}"' if anchor != "start" else ""  # start is SVG's default
    return f'<text class="{css_class}" x="{_n(x)}" y="{_n(y)}"{aligned}{bold}>{tooltip}{_xml(shown)}</text>'


def _line(
    x1: float, y1: float, x2: float, y2: float, css_class: str, *, dash: str | None = None, opacity: float = 1
) -> str:
    extra = (f' stroke-dasharray="{dash}"' if dash else "") + (f' stroke-opacity="{opacity}"' if opacity < 1 else "")
    return (
        f'<line class="{css_class}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"'
        f' stroke="currentColor"{extra}/>'
    )


def _clean(text: str) -> str:
    """Text without the characters XML cannot carry, and on one line."""
    return " ".join(NOT_XML.sub("", text).split())


def _xml(text: str) -> str:
    return escape(_clean(text), quote=True)


def _n(number: float) -> str:
    """A coordinate, to 0.01 of a unit."""
    return f"{number:.2f}".rstrip("0").rstrip(".")
