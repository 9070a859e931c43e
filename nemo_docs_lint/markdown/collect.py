"""Collector: turns block-scanner events into model objects with original-file spans."""

from __future__ import annotations

from bisect import bisect_right

from ..model import Comment, Heading, Label, ParsedBody, Reference, RefKind, Span, Toctree
from .directives import handle_fence
from .inline import Hit, html_hits, scan_inline
from .slugs import heading_slugs, heading_text
from .syntax import (
    Fence,
    Line,
    link_destination,
    link_title,
    lstrip_lines,
    normalize_label,
    skip_blanks,
)


class TextMap:
    """Lines joined with '\\n', with offset -> (line, column) mapping."""

    __slots__ = ("lines", "src", "starts")

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        starts = []
        pos = 0
        for _, _, t in lines:
            starts.append(pos)
            pos += len(t) + 1
        self.starts = starts
        self.src = "\n".join(t for _, _, t in lines)

    def pos(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        n, c, _ = self.lines[i]
        return n, c + offset - self.starts[i] + 1

    def span(self, start: int, end: int) -> Span:
        ln, col = self.pos(start)
        eln, ecol = self.pos(end) if end > start else (ln, col)
        return Span(ln, col, eln, ecol)


def _definition_end(src: str, start: int) -> tuple[int, int, int, int] | None:
    """A link reference definition at `start` of `src` (which holds '['):
    (label_end, target_start, target_end, end of its last line) or None."""
    end = len(src)
    pos = start + 1
    le = -1
    while pos < end:
        ch = src[pos]
        if ch == "[":
            return None
        if ch == "]":
            le = pos
            break
        if ch == "\\":
            pos += 1
        pos += 1
    if le < 0 or le + 1 >= end or src[le + 1] != ":":
        return None
    d = link_destination(src, skip_blanks(src, le + 2, end), end)
    if d is None:
        return None
    dest_end, ts, te = d
    pos = skip_blanks(src, dest_end, end)
    if pos < end and pos != dest_end:
        t = link_title(src, pos, end)
        if t >= 0:
            p = _skip_spaces(src, t, end)
            if p >= end or src[p] == "\n":
                return le, ts, te, p
    p = _skip_spaces(src, dest_end, end)
    if p < end and src[p] != "\n":
        return None
    return le, ts, te, p


def _skip_spaces(src: str, pos: int, end: int) -> int:
    while pos < end and src[pos] in " \t":
        pos += 1
    return pos


class Collector:
    """Accumulates everything the body parser extracts from one page (a `sink.Sink`)."""

    def __init__(self) -> None:
        self.references: list[Reference] = []
        self.labels: list[Label] = []
        self.headings: list[tuple[int, str, Span, bool]] = []
        self.toctrees: list[Toctree] = []
        self.comments: list[Comment] = []
        self.defined: set[str] = set()
        self.top_defined: set[str] = set()  # definitions of the page itself (not directives)
        self.depth = 0  # directive nesting depth

    # -- helpers -----------------------------------------------------------------------
    def _emit(self, tm: TextMap, hits: list[Hit], comments: list[Hit]) -> None:
        refs = self.references
        for kind, target, a, b in hits:
            refs.append(Reference(RefKind(kind), target, tm.span(a, b)))
        for _, text, a, b in comments:
            self.comments.append(Comment(text, tm.span(a, b)))

    def inline(self, lines: list[Line]) -> None:
        """Scan inline content given as Lines (leading blanks are skipped)."""
        # Only '[', '<' and '{' can start a hit (link/image, autolink/HTML, role).
        if len(lines) == 1:
            t = lines[0][2]
            if "[" not in t and "<" not in t and "{" not in t:
                return
        else:
            t = "".join([ln[2] for ln in lines])
            if "[" not in t and "<" not in t and "{" not in t:
                return
        tm = TextMap(lstrip_lines(lines))
        hits: list[Hit] = []
        comments: list[Hit] = []
        scan_inline(tm.src, hits, comments)
        if hits or comments:
            self._emit(tm, hits, comments)

    # -- events from the block scanner --------------------------------------------------
    def take_definitions(self, lines: list[Line]) -> list[Line]:
        """Strip link reference definitions from the start of a paragraph (emitting them)."""
        if not lines or not lines[0][2].lstrip(" \t").startswith("["):
            return lines
        tm = TextMap(lstrip_lines(lines))
        src, starts = tm.src, tm.starts
        k = 0  # lines used so far
        while k < len(lines) and src.startswith("[", starts[k]):
            d = _definition_end(src, starts[k])
            if d is None:
                break
            le, ts, te, stop = d
            label = normalize_label(src[starts[k] + 1 : le])
            if not label:
                break
            if not self.depth:
                self.top_defined.add(label)
            if label not in self.defined:
                self.defined.add(label)
                self.references.append(Reference(RefKind.LINK, src[ts:te], tm.span(ts, te)))
            k = bisect_right(starts, stop)
        return lines[k:] if k else lines

    def paragraph(self, lines: list[Line]) -> None:
        lines = self.take_definitions(lines)
        if lines:
            self.inline(lines)

    def heading(self, level: int, lines: list[Line]) -> None:
        if len(lines) == 1:  # ATX (the common case): the span of the one line's text
            n, c, t = lines[0]
            raw = t.lstrip(" \t")
            c += len(t) - len(raw) + 1
            span = Span(n, c, n, c + len(raw))
        else:
            tm = TextMap(lstrip_lines(lines))
            raw = tm.src
            span = tm.span(0, len(raw))
        # MyST parses directive bodies after the page, so headings there see every definition
        # (approximately: strictly, only those of bodies parsed before or with them).
        self.headings.append((level, raw, span, self.depth > 0))
        if raw:
            self.inline(lines)

    def label(self, name: str, line: int, column: int) -> None:
        self.labels.append(Label(name, Span(line, column + 1, line, column + 1 + len(name))))

    def html_block(self, lines: list[Line]) -> None:
        tm = TextMap(lines)
        hits: list[Hit] = []
        comments: list[Hit] = []
        html_hits(tm.src, 0, hits, comments)
        if hits or comments:
            self._emit(tm, hits, comments)

    def fence(self, fence: Fence, body: list[Line]) -> list[Line] | None:
        return handle_fence(self, fence, body)

    def reference(self, ref: Reference) -> None:
        self.references.append(ref)

    def toctree(self, toctree: Toctree) -> None:
        self.toctrees.append(toctree)

    def enter(self) -> None:
        self.depth += 1

    def leave(self) -> None:
        self.depth -= 1

    def result(self, heading_anchor_depth: int) -> ParsedBody:
        """Freeze into a ParsedBody, computing heading text and slugs."""
        top, every = frozenset(self.top_defined), frozenset(self.defined)
        texts = [
            (level, heading_text(raw, every if nested else top))
            for level, raw, _, nested in self.headings
        ]
        slugs = heading_slugs(texts, heading_anchor_depth)
        headings = tuple(
            Heading(level, text, slug, span)
            for (level, text), slug, (_, _, span, _) in zip(
                texts, slugs, self.headings, strict=True
            )
        )
        return ParsedBody(
            references=tuple(self.references),
            labels=tuple(self.labels),
            headings=headings,
            toctrees=tuple(self.toctrees),
            comments=tuple(self.comments),
            title=headings[0].text if headings else None,
        )
