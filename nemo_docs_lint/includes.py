"""What `{include}` / `.. include::` pull into a page, as Sphinx + MyST read it.

An included file is parsed as part of the including document: its headings (shifted by
`:heading-offset:`) and labels become the includer's, within the slice `:start-after:` /
`:end-before:` select. A document that some page includes is in Sphinx's `env.included` and is
never reported as an orphan. Includes nest; a cycle is followed once.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Heading, Include, Label, ParsedBody

if TYPE_CHECKING:
    from .index import DocsIndex

_MAX_DEPTH = 8  # Sphinx has no limit but a cycle; deeper nesting is no real tree


@dataclass(frozen=True)
class IncludedPart:
    """One included file's contribution to the document that includes it."""

    path: str  # the included file, docs-root-relative
    include: Include  # the directive in the including page (or in an included file)
    headings: tuple[Heading, ...]  # levels shifted by the heading offset; spans in `path`
    labels: tuple[Label, ...]  # spans in `path`


def include_path(page_path: str, target: str) -> str:
    """The docs-root-relative path an include names (`/x` from the docs root, as Sphinx)."""
    target = target.strip()
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target))


class IncludeReader:
    """Reads included files (pages from the index, other files from disk, parsed once)."""

    def __init__(self, index: DocsIndex, heading_anchor_depth: int) -> None:
        self.index = index
        self.depth = heading_anchor_depth
        self._files: dict[str, tuple[str, ParsedBody] | None] = {}

    def parts(self, page_path: str, body: ParsedBody) -> list[IncludedPart]:
        """Every file `body` includes, transitively, in document order."""
        found: list[IncludedPart] = []
        self._collect(page_path, body, found, {page_path}, 0)
        return found

    def _collect(
        self, path: str, body: ParsedBody, found: list[IncludedPart], seen: set[str], depth: int
    ) -> None:
        if depth >= _MAX_DEPTH:
            return
        for include in body.includes:
            target = include_path(path, include.target)
            if target in seen or not include.parsed:
                continue
            read = self._read(target, path)
            if read is None:
                continue
            text, included = read
            window = _window(text, include)
            if window is None:
                continue
            offsets = _line_starts(text)
            inside = _inside(offsets, window)
            headings = tuple(
                Heading(h.level + include.heading_offset, h.text, h.slug, h.span)
                for h in included.headings
                if inside(h.span.line, h.span.column)
            )
            labels = tuple(lb for lb in included.labels if inside(lb.span.line, lb.span.column))
            found.append(IncludedPart(target, include, headings, labels))
            self._collect(target, included, found, seen | {target}, depth + 1)

    def _read(self, path: str, includer: str) -> tuple[str, ParsedBody] | None:
        page = self.index.by_path.get(path)
        if page is not None:
            return page.text, page.body
        if path not in self._files:
            self._files[path] = self._parse(path, includer)
        return self._files[path]

    def _parse(self, path: str, includer: str) -> tuple[str, ParsedBody] | None:
        from .parse import parse_text

        if path not in self.index.file_set:  # a file the layout does not bind: log its stat
            self.index.disk.read(self.index.docs_root, path)
        try:
            raw = (self.index.docs_root / path).read_bytes()
            text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        # MyST's {include} parses MyST Markdown; reST's `.. include::` parses reST.
        markdown = includer.endswith(".md")
        _, body = parse_text(text, markdown, self.depth)
        return text, body


def _window(text: str, include: Include) -> tuple[int, int] | None:
    """The character range of `text` the include keeps (None: a marker is not found):
    `:start-line:` / `:end-line:` first (a slice of the lines), then the text markers."""
    begin, end = 0, len(text)
    if include.start_line is not None or include.end_line is not None:
        starts = _line_starts(text)
        count = len(starts) - (1 if text.endswith("\n") else 0)  # as str.splitlines counts
        kept = range(count)[include.start_line : include.end_line]
        if not kept:
            return None
        begin = starts[kept[0]]
        end = starts[kept[-1] + 1] - 1 if kept[-1] + 1 < len(starts) else len(text)
    if include.start_after:
        found = text.find(include.start_after, begin, end)
        if found < 0:
            return None
        begin = found + len(include.start_after)
    if include.end_before:
        found = text.find(include.end_before, begin, end)
        if found < 0:
            return None
        end = found
    return begin, end


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _inside(starts: list[int], window: tuple[int, int]) -> Callable[[int, int], bool]:
    begin, end = window

    def inside(line: int, column: int) -> bool:
        if not 0 < line <= len(starts):
            return False
        offset = starts[line - 1] + column - 1
        return begin <= offset < end

    return inside
