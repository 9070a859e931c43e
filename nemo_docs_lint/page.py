"""A parsed page: its source text, frontmatter with positions, and the references of its body."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .frontmatter import Frontmatter
from .model import Finding, Fix, ParsedBody, Span


@dataclass(frozen=True)
class Page:
    """One document of the docs tree, immutable after parsing."""

    path: str  # posix, relative to the docs root, with suffix
    docname: str  # path without suffix
    text: str  # LF-normalised, BOM removed
    frontmatter: Frontmatter
    body: ParsedBody

    @property
    def is_markdown(self) -> bool:
        return self.path.endswith(".md")

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    @property
    def metadata(self) -> dict:
        """The frontmatter mapping, or an empty one when absent or invalid."""
        return self.frontmatter.data or {}

    def at_span(
        self, span: Span, message: str, fix: Fix | None = None, anchor: str = ""
    ) -> Finding:
        return Finding(self.path, span, message, fix, anchor)

    def at_line(self, line: int, message: str) -> Finding:
        """A finding covering a whole line (used when only the line is known)."""
        text = self.line_text(line)
        start = len(text) - len(text.lstrip()) + 1
        return Finding(self.path, Span(line, start, line, len(text) + 1), message)

    def at_key(self, key_path: str | tuple, message: str) -> Finding:
        """A finding at a frontmatter key (or list item), falling back to the enclosing key."""
        return self._at(key_path, message, prefer="key")

    def at_value(self, key_path: str | tuple, message: str) -> Finding:
        """A finding at a frontmatter value or list item."""
        return self._at(key_path, message, prefer="value")

    def at_frontmatter(self, message: str, anchor: str = "") -> Finding:
        """A finding about the block as a whole: its opening `---`."""
        return Finding(self.path, self.frontmatter.block_span, message, anchor=anchor)

    def _at(self, key_path: str | tuple, message: str, prefer: str) -> Finding:
        path = (key_path,) if isinstance(key_path, str) else tuple(key_path)
        anchor = "/".join(str(p) for p in path)
        positions = self.frontmatter.positions
        probe = path
        while probe:
            position = positions.get(probe)
            if position is not None:
                span = position.key if (prefer == "key" and position.key) else position.value
                return Finding(self.path, span, message, anchor=anchor)
            probe = probe[:-1]
        return self.at_frontmatter(message, anchor=anchor)
