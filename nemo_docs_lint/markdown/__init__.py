"""Page body parser: references, labels, headings, toctrees and comments of a page.

`parse_markdown` is the production fast path; `reference.parse_markdown_reference` is the
markdown-it-py oracle used by the tests. Modules, each depending only on those listed before:

- `syntax`: line records and CommonMark primitives (destinations, titles, code spans);
- `inline`: links, images, autolinks, roles and inline HTML in one paragraph;
- `blocksyntax`: which block a line opens or continues;
- `sink`: the events the block scanner and directives report (`Sink` protocol);
- `directives`: directive options, toctrees, image/figure/card targets;
- `leaves`: leaf and container kinds, the leaf state and the leaf openers;
- `blocks`: the block scanner (containers, the line loop, directive nesting), into a `Sink`;
- `slugs`: heading text and anchor slugs;
- `collect`: the `Collector` sink, building a `ParsedBody` with original-file spans;
- `mdit`, `reference`: markdown-it-py as MyST configures it, and the oracle on top;
- `rst`: toctrees and labels of reST pages.
"""

from __future__ import annotations

from itertools import count, repeat

from ..model import ParsedBody
from .blocks import scan_lines
from .collect import Collector
from .rst import parse_rst

__all__ = ["parse_markdown", "parse_rst"]


def parse_markdown(
    text: str, body_start_line: int, heading_anchor_depth: int, content: bool = True
) -> ParsedBody:
    """Parse a MyST Markdown page body.

    `text` is the whole file (newlines normalised, BOM removed); lines before the 1-based
    `body_start_line` (the frontmatter) are ignored. Spans refer to original positions.
    `content=False` leaves out link, alt and role text, code blocks and prose ranges (only
    content rules read them: `Rule.reads_content`).
    """
    raw = text.split("\n")
    start = max(body_start_line, 1)
    lines = list(zip(count(start), repeat(0), raw[start - 1 :]))
    out = Collector(content, "]:" in text)
    scan_lines(lines, out)
    return out.result(heading_anchor_depth, raw)
