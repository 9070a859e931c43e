"""Page body parser: references, labels, headings, toctrees and comments of a page.

`parse_markdown` is the production fast path (a line scanner, see `blocks`/`inline`);
`reference.parse_markdown_reference` is the markdown-it-py oracle used by the tests.
"""

from __future__ import annotations

from itertools import count, repeat

from ..model import ParsedBody
from .blocks import scan_lines
from .collect import Collector
from .rst import parse_rst

__all__ = ["parse_markdown", "parse_rst"]


def parse_markdown(text: str, body_start_line: int, heading_anchor_depth: int) -> ParsedBody:
    """Parse a MyST Markdown page body.

    `text` is the whole file (newlines normalised, BOM removed); lines before the 1-based
    `body_start_line` (the frontmatter) are ignored. Spans refer to original positions.
    """
    raw = text.split("\n")
    start = max(body_start_line, 1)
    lines = list(zip(count(start), repeat(0), raw[start - 1 :]))
    out = Collector()
    scan_lines(lines, out)
    return out.result(heading_anchor_depth)
