"""Small server-rendered SVG charts: numbers in, SVG out.

Every chart is an ``<svg role="img">`` labelled by its own ``<title>`` and
``<desc>`` (what a screen reader says), with a ``viewBox`` so that it scales
to any width and stays crisp, colours as presentation attributes (so a chart
copied into a standalone page or printed keeps them; CSS may override them),
a ``<title>`` per bar or point (the browser shows it on hover; screen readers
can read it), and no script. Coordinates are written with a decimal point
whatever the language. Texts come in already translated; this module only
draws.

The drawings are 380 units wide: on a 390 px phone a unit is about a pixel,
so the 11-unit text stays readable; on a laptop the stylesheet caps the width.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 380
LEFT, RIGHT, TOP = 30, 6, 8
FONT = 11
IN_COLOUR, OUT_COLOUR, LINE_COLOUR, TOGETHER_COLOUR = "#1f6f5c", "#8098f9", "#1f6f5c", "#f79009"
INK, MUTED, GRID = "#1f2430", "#667085", "#e4e7ec"


@dataclass(frozen=True)
class Bar:
    """One column of a mirrored bar chart: ``above`` the axis and ``below`` it."""

    above: int
    below: int
    tip: str  # the column's own <title>
    label: str = ""  # under the column (e.g. a month's initial); may be empty
    group: str = ""  # a second line, written where it changes (e.g. the year)


@dataclass(frozen=True)
class Point:
    """One point of a line chart; ``value`` None leaves a gap."""

    value: float | None
    tip: str
    label: str = ""
    group: str = ""


@dataclass(frozen=True)
class Part:
    """One segment of a split bar."""

    value: int
    label: str  # written under the bar, with the value
    colour: str


def _n(value: float) -> str:
    """A coordinate: one decimal at most, a point as separator, no "-0"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _open(chart_id: str, height: float, title: str, desc: str, css: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart-svg {css}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, text: str, anchor: str = "middle", css: str = "tick", colour: str = MUTED) -> str:
    return (f'<text class="{css}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{colour}">'
            f"{escape(text)}</text>")


def _labels(slots: list[tuple[float, str, str]], y: float) -> list[str]:
    """Labels under the slots, and the group (year) where it changes, on a second line."""
    out, previous = [], None
    for x, label, group in slots:
        if label:
            out.append(_text(x, y, label))
        if group and group != previous:
            out.append(_text(x, y + FONT + 2, group, css="group", colour=INK))
        previous = group or previous
    return out


def mirror_bars(bars: list[Bar], *, chart_id: str, title: str, desc: str, half: int = 56,
                count: Callable[[int], str] = str) -> SafeString:
    """Columns above and below one axis (theirs above, yours below), scaled to the tallest value.

    Each column is a ``<g class="slot">`` with its ``<title>``, an invisible hit area and the
    two bars (``bar-above``, ``bar-below``).
    """
    top = max([b.above for b in bars] + [b.below for b in bars] + [1])
    axis = TOP + half
    slot = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    width = max(slot * 0.72, 1.0)
    has_groups = any(b.group for b in bars)
    height = axis + half + FONT + 8 + (FONT + 2 if has_groups else 0)
    out = _open(chart_id, height, title, desc, "mirror")
    out += [_text(LEFT - 5, TOP + FONT - 2, count(top), "end", "scale"), _text(LEFT - 5, axis + 4, "0", "end", "scale"),
            _text(LEFT - 5, axis + half, count(top), "end", "scale")]
    slots = []
    for i, bar in enumerate(bars):
        x = LEFT + i * slot + (slot - width) / 2
        above, below = bar.above / top * half, bar.below / top * half
        out.append(
            f'<g class="slot"><title>{escape(bar.tip)}</title>'
            f'<rect class="hit" x="{_n(LEFT + i * slot)}" y="{TOP}" width="{_n(slot)}" height="{2 * half}" fill="transparent"/>'
            f'<rect class="bar-above" x="{_n(x)}" y="{_n(axis - above)}" width="{_n(width)}" height="{_n(above)}" fill="{IN_COLOUR}"/>'
            f'<rect class="bar-below" x="{_n(x)}" y="{axis}" width="{_n(width)}" height="{_n(below)}" fill="{OUT_COLOUR}"/></g>'
        )
        slots.append((x + width / 2, bar.label, bar.group))
    out.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{axis}" y2="{axis}" stroke="{INK}" stroke-width="1"/>')
    out += _labels(slots, axis + half + FONT + 4)
    out.append("</svg>")
    return mark_safe("".join(out))


def line(points: list[Point], *, chart_id: str, title: str, desc: str, top: float = 100, suffix: str = "",
         height: int = 110) -> SafeString:
    """A line from 0 to ``top`` over evenly spaced points, with a dot and a ``<title>`` on each.

    Gridlines at 0, half and ``top``; a point whose value is None breaks the line there.
    """
    has_groups = any(p.group for p in points)
    plot = height - TOP - FONT - 8 - (FONT + 2 if has_groups else 0)
    bottom = TOP + plot
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    out = _open(chart_id, height, title, desc, "line")
    for fraction in (0, 0.5, 1):
        y = bottom - fraction * plot
        out.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y)}" y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>')
        out.append(_text(LEFT - 5, y + 4, f"{_n(fraction * top)}{suffix}", "end", "scale"))
    runs, run, dots, slots = [], [], [], []
    for i, point in enumerate(points):
        x = LEFT + i * slot + slot / 2
        slots.append((x, point.label, point.group))
        if point.value is None:
            if run:
                runs.append(run)
            run = []
            continue
        y = bottom - min(max(point.value, 0), top) / top * plot
        run.append((x, y))
        dots.append(f'<g class="point"><title>{escape(point.tip)}</title>'
                    f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(min(3.0, max(slot / 3, 1.2)))}" fill="{LINE_COLOUR}"/></g>')
    if run:
        runs.append(run)
    for run in runs:
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
        out.append(f'<polyline class="trend" points="{coords}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2" '
                   f'stroke-linejoin="round"/>')
    out += dots
    out += _labels(slots, bottom + FONT + 4)
    out.append("</svg>")
    return mark_safe("".join(out))


def split_bar(parts: list[Part], *, chart_id: str, title: str, desc: str,
              count: Callable[[int], str] = str) -> SafeString:
    """One horizontal bar cut in proportion to the parts, each labelled with its value underneath."""
    total = sum(p.value for p in parts)
    height = 24 + 2 * (FONT + 4)
    out = _open(chart_id, height, title, desc, "split")
    span = WIDTH - 2 * RIGHT
    x = float(RIGHT)
    out.append(f'<rect class="track" x="{RIGHT}" y="4" width="{_n(span)}" height="18" rx="4" fill="{GRID}"/>')
    for part in parts:
        width = part.value / total * span if total else 0
        out.append(f'<g class="part"><title>{escape(part.label)}: {count(part.value)}</title>'
                   f'<rect x="{_n(x)}" y="4" width="{_n(width)}" height="18" fill="{part.colour}"/></g>')
        x += width
    column = span / max(len(parts), 1)
    for i, part in enumerate(parts):
        cx = RIGHT + i * column + 12
        out.append(f'<rect x="{_n(cx - 10)}" y="{_n(22 + FONT - 6)}" width="8" height="8" fill="{part.colour}"/>')
        out.append(_text(cx + 2, 22 + FONT + 2, f"{part.label}: {count(part.value)}", "start", "key", INK))
    out.append("</svg>")
    return mark_safe("".join(out))


def paired_bars(rows: list[tuple[str, int, int, str]], *, chart_id: str, title: str, desc: str,
                count: Callable[[int], str] = str) -> SafeString:
    """Horizontal rows (label, first, second, tip), each with two thin bars scaled to the largest value.

    The first bar uses the "above" colour (theirs), the second the "below" one (yours).
    """
    top = max([max(a, b) for _l, a, b, _t in rows] + [1])
    label_width, row_height = 84, 22
    span = WIDTH - label_width - RIGHT - 30
    height = TOP + row_height * len(rows) + 4
    out = _open(chart_id, height, title, desc, "paired")
    for i, (label, first, second, tip) in enumerate(rows):
        y = TOP + i * row_height
        out.append(f'<g class="row"><title>{escape(tip)}</title>')
        out.append(_text(label_width - 6, y + 13, label, "end", "tick", INK))
        for offset, value, colour, css in ((2, first, IN_COLOUR, "bar-above"), (11, second, OUT_COLOUR, "bar-below")):
            width = value / top * span
            out.append(f'<rect class="{css}" x="{label_width}" y="{y + offset}" width="{_n(width)}" height="8" fill="{colour}"/>')
            out.append(_text(label_width + width + 3, y + offset + 8, count(value), "start", "value"))
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))
