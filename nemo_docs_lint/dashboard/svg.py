"""Inline SVG bar charts, drawn here (no charting library, no network); every label is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

ROW = 22  # px per bar
FONT = 12
CHAR = 7.0  # approximate px per character at FONT (for label widths)


def _label(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    title: str, items: Sequence[tuple[str, int]], *, width: int = 420, color: str = "#4f6bed"
) -> str:
    """A horizontal bar per (label, count), longest first as given; empty string when no items."""
    if not items:
        return ""
    limit = 22
    label_w = int(min(limit, max(len(label) for label, _ in items)) * CHAR) + 8
    count_w = 40
    bar_w = max(width - label_w - count_w, 60)
    top = max(count for _, count in items) or 1
    height = ROW * len(items) + 4
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (label, count) in enumerate(items):
        y = i * ROW + 2
        length = max(round(bar_w * count / top), 1 if count else 0)
        text_y = y + ROW / 2 + FONT / 2 - 2
        parts.append(
            f"<g><title>{escape(label)}: {count}</title>"
            f'<text x="2" y="{text_y}">'
            f"{escape(_label(label, limit))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length}" height="{ROW - 6}" rx="2" '
            f'fill="{color}"/>'
            f'<text x="{label_w + length + 4}" y="{text_y}">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_chart(
    title: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[tuple[str, str]],
    *,
    width: int = 640,
) -> str:
    """One horizontal bar per row, split into segments, one per (series name, colour)."""
    if not rows:
        return ""
    limit = 34
    label_w = int(min(limit, max(len(label) for label, _ in rows)) * CHAR) + 8
    count_w = 48
    bar_w = max(width - label_w - count_w, 80)
    top = max(sum(values) for _, values in rows) or 1
    legend_h = ROW
    height = ROW * len(rows) + legend_h + 4
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    ]
    x: float = label_w
    for name, color in series:
        parts.append(
            f'<rect x="{x}" y="5" width="10" height="10" fill="{color}"/>'
            f'<text x="{x + 14}" y="14">{escape(name)}</text>'
        )
        x += 14 + int(len(name) * CHAR) + 16
    for i, (label, values) in enumerate(rows):
        y = legend_h + i * ROW + 2
        text_y = y + ROW / 2 + FONT / 2 - 2
        tip = ", ".join(f"{v} {name}" for (name, _), v in zip(series, values, strict=True))
        parts.append(
            f"<g><title>{escape(label)}: {escape(tip)}</title>"
            f'<text x="2" y="{text_y}">'
            f"{escape(_label(label, limit))}</text>"
        )
        x = label_w
        for (_, color), value in zip(series, values, strict=True):
            if value:
                length = max(bar_w * value / top, 1.5)
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" '
                    f'fill="{color}"/>'
                )
                x += length
        parts.append(f'<text x="{x + 4:.1f}" y="{text_y}">{sum(values)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
