"""Bar charts as plain HTML: a grid row per bar, the bar a `width:%` span (no library, no script).

Text stays text at the page's font size, so labels are as readable on a 390 px phone as on a
wide screen (an SVG scaled into a narrow card shrank them to ~7 px); every label is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def _row(label: str, segments: str, total: int, tip: str) -> str:
    return (
        f'<div class="bar" title="{escape(label)}: {escape(tip)}">'
        f'<span class="label">{escape(label)}</span>'
        f'<span class="track">{segments}</span><span class="n">{total}</span></div>'
    )


def _segment(share: float, color: str) -> str:
    return f'<span class="fill" style="width:{share * 100:.1f}%;background:{color}"></span>'


def bar_chart(title: str, items: Sequence[tuple[str, int]], *, color: str = "#4f6bed") -> str:
    """A horizontal bar per (label, count), in the order given; empty string when no items."""
    if not items:
        return ""
    top = max(count for _, count in items) or 1
    rows = "".join(
        _row(label, _segment(count / top, color) if count else "", count, str(count))
        for label, count in items
    )
    return f'<div class="chart" role="figure" aria-label="{escape(title)}">{rows}</div>'


def stacked_chart(
    title: str, rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[tuple[str, str]]
) -> str:
    """One horizontal bar per row, split into segments, one per (series name, colour)."""
    if not rows:
        return ""
    top = max(sum(values) for _, values in rows) or 1
    legend = "".join(
        f'<span><span class="swatch" style="background:{color}"></span>{escape(name)}</span>'
        for name, color in series
    )
    bars = []
    for label, values in rows:
        pairs = list(zip(series, values, strict=True))
        segments = "".join(_segment(v / top, color) for (_, color), v in pairs if v)
        tip = ", ".join(f"{v} {name}" for (name, _), v in pairs)
        bars.append(_row(label, segments, sum(values), tip))
    return (
        f'<div class="chart stacked" role="figure" aria-label="{escape(title)}">'
        f'<div class="legend">{legend}</div>{"".join(bars)}</div>'
    )
