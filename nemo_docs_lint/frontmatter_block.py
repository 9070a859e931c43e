"""Where a page's YAML frontmatter block is, without loading it (no PyYAML): the text that
`frontmatter.parse_frontmatter` loads, and a digest of the part of a page its frontmatter is
made of, which a warm run compares to keep a page's stored frontmatter when only its body
changed (`parse_cache.ParseCache.former`).

The block is `---` on the first line up to the next `---` line (trailing spaces and tabs
allowed on both).
"""

from __future__ import annotations

import hashlib

_DIGEST_SIZE = 16


def split_frontmatter(text: str) -> tuple[str | None, int]:
    """Return (yaml_text, closing_line) or (None, 0) when the page has no block.

    Raises ValueError when the block is opened but never closed.
    """
    bounds = _bounds(text)
    if bounds is None:
        return None, 0
    body, closing, _, number = bounds
    return text[body : max(closing - 1, body)], number


def head_digest(text: str) -> bytes:
    """A digest of what a page's frontmatter is made of: its text up to the end of the block's
    closing line; b"" for a page without a block; the whole text for a block never closed
    (where it ends decides that)."""
    try:
        bounds = _bounds(text)
    except ValueError:
        end = len(text)
    else:
        if bounds is None:
            return b""
        end = bounds[2]
    head = text[:end].encode("utf-8", "surrogatepass")
    return hashlib.blake2b(head, digest_size=_DIGEST_SIZE).digest()


def _bounds(text: str) -> tuple[int, int, int, int] | None:
    """(where line 2 starts, where the closing line starts, where it ends, its number), None
    without a block; ValueError when the block is never closed."""
    if not (text.startswith("---\n") or text.rstrip(" \t") == "---" or text.startswith("--- \n")):
        first = text.split("\n", 1)[0]
        if first.rstrip(" \t") != "---":
            return None
    body = text.find("\n") + 1  # where line 2 starts (0: the page is one line)
    start, number = body, 2
    while start:  # line by line, without splitting the whole page
        end = text.find("\n", start)
        line_end = end if end >= 0 else len(text)
        if text[start:line_end].rstrip(" \t") == "---":
            return body, start, line_end, number
        start, number = end + 1, number + 1
    raise ValueError("frontmatter opened with `---` on line 1 is never closed by a `---` line")
