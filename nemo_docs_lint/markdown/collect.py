"""Collector: turns block-scanner events into model objects with original-file spans."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..model import (
    PROSE_MARKS,
    CodeBlock,
    Comment,
    Heading,
    Include,
    Label,
    LabelKind,
    ParsedBody,
    Reference,
    RefKind,
    Span,
    Toctree,
)
from .directives import handle_fence
from .inline import ATTR_ID, BLOCK_ATTRS, GLOSSARY_CLASS, Hit, html_hits, scan_inline
from .rst import scan_rst
from .slugs import heading_slugs, heading_text, link_text
from .syntax import (
    Fence,
    Line,
    indent_width,
    link_destination,
    link_title,
    lstrip_lines,
    normalize_label,
    skip_blanks,
    valid_link,
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


class CellMap(TextMap):
    """The TextMap of a table cell's text read with a backslash dropped before the `|` at
    each of the offsets `removed`: offsets map to the columns of the text as written."""

    __slots__ = ("removed",)

    def __init__(self, line: Line, removed: tuple[int, ...]) -> None:
        super().__init__([line])
        self.removed = removed

    def pos(self, offset: int) -> tuple[int, int]:
        n, c, _ = self.lines[0]
        return n, c + offset + bisect_right(self.removed, offset) + 1

    def span(self, start: int, end: int) -> Span:
        n, col = self.pos(start)
        if end <= start:
            return Span(n, col, n, col)
        return Span(n, col, n, self.lines[0][1] + end + bisect_left(self.removed, end) + 1)


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
    if not valid_link(src[ts:te]):
        return None
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


def _setext_text(lines: list[Line]) -> tuple[str, Span]:
    """A setext heading's text as markdown-it-py's `str.strip` leaves it (blanks, no-break
    spaces and lines of them dropped at either end), and its span, from its first line.
    The later lines keep their indent past the block's (a code span over lines keeps it)."""
    clean = lstrip_lines(lines[:1]) + lines[1:]
    n, c, t = clean[0]
    start = (n, c + len(t) - len(t.lstrip()) + 1)
    while len(clean) > 1 and not clean[-1][2].strip():
        clean.pop()
    while len(clean) > 1 and not clean[0][2].strip():
        del clean[0]
    n, c, t = clean[0]
    clean[0] = (n, c + len(t) - len(t.lstrip()), t.lstrip())
    n, c, t = clean[-1]
    clean[-1] = (n, c, t.rstrip())
    tm = TextMap(clean)
    end = tm.span(0, len(tm.src))
    return tm.src, Span(*start, end.end_line, end.end_column)


def prose_marks(lines: list[str], prose: tuple[int, ...]) -> int:
    """Bits of the `PROSE_MARKS` in the prose line ranges of the page of `lines`: ranges at
    most three lines apart read as one run, with the lines between them (fewer joins)."""
    if not prose:
        return 0
    runs = []
    first, last = prose[0], prose[1]
    for k in range(2, len(prose), 2):  # a plain loop: cheaper here than C-level passes
        if not 0 < prose[k] - last <= 3:
            runs.append("\n".join(lines[first - 1 : last]))
            first = prose[k]
        last = prose[k + 1]
    runs.append("\n".join(lines[first - 1 : last]))
    text = "\n".join(runs)
    lowered = text.lower()
    marks = 0
    for bit, mark in enumerate(PROSE_MARKS):
        if mark in (text if mark.isupper() else lowered):
            marks |= 1 << bit
    return marks


_NONE: frozenset[str] = frozenset()
# What may be a reference label in inline text: brackets with no bracket inside.
_BRACKETED = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]")

# glossary, term_line, glossary_ended_by, glossary_unclaimed, last_paragraph, in_definition,
# glossary_level
_DeflistState = tuple[bool, int, int, bool, int, bool, int]


class Collector:
    """Accumulates everything the body parser extracts from one page (a `sink.Sink`).

    With `content=False` it leaves out what only content rules read (`Rule.reads_content`):
    link, alt and role text, code blocks and prose ranges.
    """

    def __init__(self, content: bool = True, definitions: bool = False) -> None:
        self.content = content
        # `definitions`: the page may hold link reference definitions, which make `[x]` a
        # link wherever markdown-it knows them; inline text then waits for the page's end
        # (`deferred`: where in the lists its finds go, its lines and body)
        self.deferred: list[tuple[int, int, int, list[Line], int, tuple[int, ...]]] | None = (
            [] if definitions else None
        )
        self.body = 0  # the body being scanned: the page 0, directive bodies 1, 2, ... in order
        self._bodies: list[int] = []  # `body` outside each directive body
        self.bodies = 1
        # each label's first body defining it: markdown-it parses a directive body after the
        # page and the bodies before it, so text in body b knows the labels of bodies <= b
        self.first_body: dict[str, int] = {}
        self.references: list[Reference] = []
        self.labels: list[Label] = []
        self.headings: list[tuple[int, str, Span, bool]] = []
        self.toctrees: list[Toctree] = []
        self.comments: list[Comment] = []
        self.code_blocks: list[CodeBlock] = []
        self.prose: list[int] = []  # first and last line of paragraphs and headings, flat
        self.defined: set[str] = set()
        self.heading_bodies: list[int] = []  # the body of each heading
        self.depth = 0  # directive nesting depth
        self.includes: list[Include] = []
        self.module = ""  # the Python module of `py:` directives (`py:module`)
        self.py_class = ""  # the Python class whose body is being scanned
        self._next_class: str | None = None
        self._scopes: list[tuple[str, str]] = []  # (module, class) outside each body
        self.glossary = False  # inside a `{.glossary}` definition list
        self.term_line = 0  # the line of the definition list term the next paragraph is
        self.glossary_ended_by = 0  # the one-line paragraph that ended a glossary
        self.glossary_unclaimed = False  # a `{.glossary}` line no term has followed yet
        self.glossary_before = False  # `glossary` above that line
        self.last_paragraph = 0  # the first line of the last paragraph
        self.in_definition = False  # inside a definition of the glossary (see glossary_level)
        self.glossary_level = 0  # definitions open around the outermost open glossary
        self._deflists: list[_DeflistState] = []  # the state outside each body
        self.glossary_around: list[bool] = []  # `glossary` outside each open definition
        self._around: list[list[bool]] = []  # `glossary_around` outside each body
        self.pending: list[int] = []  # labels titled by the next block, if it is a heading
        # attributes lines no block has followed yet: (index of their label or -1, whether
        # one is `.glossary`)
        self.attrs_run: tuple[int, bool] | None = None

    # -- helpers -----------------------------------------------------------------------
    def _emit(self, tm: TextMap, hits: list[Hit], comments: list[Hit], body: int) -> None:
        refs = self.references
        src = tm.src
        for kind, target, a, b, ta, tb in hits:
            if kind == "attr":  # an inline id: titled by no heading
                self.labels.append(Label(target, tm.span(a, b), LabelKind.ATTR_UNTITLED))
                continue
            link_type = None
            if kind == "link-external":
                kind, link_type = "link", "external"
            elif kind.endswith("+title"):  # a role with an explicit title
                kind, link_type = kind[:-6], "title"
            if ta < 0 or not self.content:
                refs.append(Reference(RefKind(kind), target, tm.span(a, b), link_type))
                continue
            raw = src[ta:tb]
            if kind != "link" and kind != "image":
                text = raw.strip()  # a role's title, an `alt` attribute
                if link_type == "title":
                    text = text.replace("\n", " ")  # (myst_role makes newlines spaces)
            else:
                text = link_text(raw, self._known(raw, body) if "[" in raw else _NONE)
            span, text_span = tm.span(a, b), tm.span(ta, tb)
            refs.append(Reference(RefKind(kind), target, span, link_type, text, text_span))
        for _, text, a, b, _, _ in comments:
            self.comments.append(Comment(text, tm.span(a, b)))

    def inline(self, lines: list[Line], removed: tuple[int, ...] = ()) -> None:
        """Scan inline content given as Lines (leading blanks are skipped); `removed`: see
        `CellMap`."""
        # Only '[', '<' and '{' can start a hit (link/image, autolink/HTML, role).
        if len(lines) == 1:
            t = lines[0][2]
            if "[" not in t and "<" not in t and "{" not in t:
                return
        else:
            t = "".join([ln[2] for ln in lines])
            if "[" not in t and "<" not in t and "{" not in t:
                return
        if self.deferred is not None:
            refs, labels, comments = self.references, self.labels, self.comments
            at = (len(refs), len(labels), len(comments))
            self.deferred.append((*at, lines, self.body, removed))
        else:
            self._scan(lines, 0, removed)

    def _scan(self, lines: list[Line], body: int, removed: tuple[int, ...]) -> None:
        """Scan inline content in `body` (see `first_body`)."""
        tm = CellMap(lines[0], removed) if removed else TextMap(lstrip_lines(lines))
        hits: list[Hit] = []
        comments: list[Hit] = []
        scan_inline(tm.src, hits, comments, self.first_body, body)
        if hits or comments:
            self._emit(tm, hits, comments, body)

    def _known(self, raw: str, body: int) -> frozenset[str]:
        """The labels markdown-it knows in `body` that inline text `raw` may refer to."""
        first = self.first_body
        if not first:
            return _NONE
        found = (normalize_label(m.group(1)) for m in _BRACKETED.finditer(raw))
        return frozenset(label for label in found if first.get(label, body + 1) <= body)

    def _scan_deferred(self) -> None:
        """Scan the inline text that waited for the page's definitions, its finds put where
        they were found among the others."""
        deferred = self.deferred
        if not deferred:
            return
        refs, labels, comments = self.references, self.labels, self.comments
        self.references, self.labels, self.comments = [], [], []
        r = lb = c = 0
        for r_at, lb_at, c_at, lines, body, removed in deferred:
            self.references += refs[r:r_at]
            self.labels += labels[lb:lb_at]
            self.comments += comments[c:c_at]
            r, lb, c = r_at, lb_at, c_at
            self._scan(lines, body, removed)
        self.references += refs[r:]
        self.labels += labels[lb:]
        self.comments += comments[c:]
        deferred.clear()

    # -- events from the block scanner --------------------------------------------------
    def take_definitions(self, lines: list[Line]) -> list[Line]:
        """Strip link reference definitions from the start of a paragraph (emitting them)."""
        if not lines or not lines[0][2].lstrip(" \t").startswith("["):
            return lines
        k = self._definitions(lines, True)
        return lines[k:] if k else lines

    def definitions_cover(self, lines: list[Line]) -> int:
        """How many of `lines` the link reference definitions opening them take up."""
        return self._definitions(lines, False)

    def _definitions(self, lines: list[Line], emit: bool) -> int:
        if not lines or not lines[0][2].lstrip(" \t").startswith("["):
            return 0
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
            if emit and self.first_body.get(label, self.body + 1) > self.body:
                self.first_body[label] = self.body
            if emit and label not in self.defined:
                self.defined.add(label)
                self.references.append(Reference(RefKind.LINK, src[ts:te], tm.span(ts, te)))
            k = bisect_right(starts, stop)
        return k

    def paragraph(self, lines: list[Line]) -> None:
        while True:
            rest = self.take_definitions(lines)
            if rest is lines:
                break
            # A definition ends its block: indented lines after it are code, not paragraph.
            k = 0
            while k < len(rest) and indent_width(rest[k][2]) >= 4:
                k += 1
            lines = rest[k:]
            if not k:
                break
        if lines and "{" in lines[0][2]:
            lines = self._block_attrs(lines)
        if lines:
            self.settle(False)
        if lines:
            self.last_paragraph = lines[0][0]
        if self.glossary and lines:
            if lines[0][0] == self.term_line:
                self._term_label(lines[0])
                self.glossary_unclaimed = False
            elif not self.in_definition:
                self.glossary = False  # a block after the glossary (or a term: see `term`)
                self.glossary_ended_by = lines[0][0] if len(lines) == 1 else 0
        if lines:
            self.prose += (lines[0][0], lines[-1][0])
            self.inline(lines)

    def _block_attrs(self, lines: list[Line]) -> list[Line]:
        """attrs_block: a `{#id .class}` line gives the next block an id (a label); a
        `{.glossary}` one makes the definition list below it a glossary."""
        n, c, t = lines[0]
        m = BLOCK_ATTRS.match(t)
        if m is None:
            return lines
        run = self.attrs_run  # attributes lines with no block between merge (the last id wins)
        found = ATTR_ID.search(m.group(1))
        if found:
            if run is not None and run[0] >= 0:
                del self.labels[run[0]]  # (the last label: nothing came between)
                self.pending.remove(run[0])
            self.target(found.group(1), n, c + m.start(1) + found.start(1), LabelKind.ATTR)
        glossary = GLOSSARY_CLASS.search(m.group(1)) is not None
        if run is not None:
            glossary = glossary or run[1]
        if run is None:
            self.glossary_before = self.glossary
        if glossary or not (self.glossary and self.in_definition):
            if glossary and not self.glossary:  # a glossary opens here, in these definitions
                self.glossary_level = len(self.glossary_around)
                self.in_definition = False
            self.glossary = self.glossary_unclaimed = glossary
        if len(lines) == 1:
            label = len(self.labels) - 1 if found else (-1 if run is None else run[0])
            self.attrs_run = (label, glossary)
        return lines[1:]

    def term(self, line: Line) -> None:
        """The paragraph of `line` (one line) is a definition list's term."""
        if self.glossary_ended_by == line[0]:
            self.glossary = True
        if self.glossary and self.last_paragraph == line[0]:
            self._term_label(line)  # its paragraph came first (a blank line between)
        self.term_line = line[0]
        self.glossary_unclaimed = False

    def _term_label(self, line: Line) -> None:
        n, c, t = line
        if t.strip():
            self.label(t.strip(), n, c + len(t) - len(t.lstrip()), LabelKind.ATTR_TERM)

    def definitions_open(self, count: int) -> None:
        """`count` definitions (deflist) are open around what comes next (called when
        containers close: a `{.glossary}` line no term followed ends with its container).
        A definition list nested in a definition ends with it: the glossary state outside
        it comes back."""
        if self.glossary_unclaimed:
            self.glossary, self.glossary_unclaimed = self.glossary_before, False
        around = self.glossary_around
        if count < len(around):
            self.glossary = around[count]
            del around[count:]
        elif count > len(around):
            around += [self.glossary] * (count - len(around))
        self.in_definition = count > self.glossary_level

    def heading(self, level: int, lines: list[Line]) -> None:
        # markdown-it-py strips heading content with str.strip (no-break spaces too)
        self._other_block()
        self.pending.clear()  # the labels above a heading name its section
        self.attrs_run = None
        if len(lines) == 1:  # ATX (the common case): the span of the one line's text
            n, c, t = lines[0]
            raw = t.strip()
            c += len(t) - len(t.lstrip()) + 1
            span = Span(n, c, n, c + len(raw))
        else:
            raw, span = _setext_text(lines)
        # MyST parses directive bodies after the page, so headings there see every definition
        # (approximately: strictly, only those of bodies parsed before or with them).
        self.headings.append((level, raw, span, self.depth > 0))
        self.heading_bodies.append(self.body)
        self.prose += (lines[0][0], lines[-1][0])
        if raw:
            self.inline(lines)

    def table_row(self, line: int) -> None:
        prose = self.prose
        if prose and prose[-1] == line - 1:
            prose[-1] = line  # the table's rows so far: one range
        else:
            prose += (line, line)

    def text(self, line: Line) -> None:
        self.settle(False)
        self.inline([line])

    def cell(self, line: Line) -> None:
        """A table cell: markdown-it drops the backslash of each `\\|` in it (GFM) before
        parsing its text."""
        n, c, t = line
        if "\\|" not in t:
            self.text(line)
            return
        parts = t.split("\\|")
        removed = []
        at = -1
        for part in parts[:-1]:
            at += len(part) + 1
            removed.append(at)
        self.settle(False)
        self.inline([(n, c, "|".join(parts))], tuple(removed))

    def label(
        self, name: str, line: int, column: int, kind: str = LabelKind.LABEL, width: int = -1
    ) -> None:
        end = column + 1 + (len(name) if width < 0 else width)
        self.labels.append(Label(name, Span(line, column + 1, line, end), kind))

    def target(self, name: str, line: int, column: int, kind: str = LabelKind.LABEL) -> None:
        self.pending.append(len(self.labels))
        self.label(name, line, column, kind)

    def settle(self, titled: bool) -> None:
        self.attrs_run = None
        if self.pending and not titled:
            for i in self.pending:
                label = self.labels[i]
                untitled = (
                    LabelKind.ATTR_UNTITLED
                    if label.kind == LabelKind.ATTR
                    else (LabelKind.UNTITLED)
                )
                self.labels[i] = Label(label.name, label.span, untitled)
        self.pending.clear()

    def include(self, include: Include) -> None:
        self.includes.append(include)

    def eval_rst(self, lines: list[Line]) -> None:
        scan_rst(lines, self)

    def python_scope(self) -> str:
        return self.py_class or self.module

    def python_module(self, name: str) -> None:
        self.module = name

    def python_class(self, name: str) -> None:
        self._next_class = name

    def _other_block(self) -> None:
        """A block that is no paragraph starts: it takes a `{.glossary}` line above it,
        and outside a definition it ends a definition list."""
        if self.glossary_unclaimed:
            self.glossary, self.glossary_unclaimed = self.glossary_before, False
        self.glossary = self.glossary and self.in_definition

    def block_start(self) -> None:
        self.settle(False)
        self._other_block()

    def html_block(self, lines: list[Line]) -> None:
        self.settle(False)
        self._other_block()
        tm = TextMap(lines)
        hits: list[Hit] = []
        comments: list[Hit] = []
        html_hits(tm.src, 0, hits, comments)
        if hits or comments:
            self._emit(tm, hits, comments, self.body)

    def fence(self, fence: Fence, body: list[Line]) -> list[Line] | None:
        self._other_block()
        return handle_fence(self, fence, body)

    def reference(self, ref: Reference) -> None:
        if ref.text is not None and not self.content:
            ref = Reference(ref.kind, ref.target, ref.span, ref.link_type)
        self.references.append(ref)

    def code_block(self, block: CodeBlock) -> None:
        self.code_blocks.append(block)

    def toctree(self, toctree: Toctree) -> None:
        self.toctrees.append(toctree)

    def enter(self) -> None:
        """A directive body begins: a document of its own, so the page's definition list
        state waits outside it (the body may be scanned after the page's lines below)."""
        self.depth += 1
        self._bodies.append(self.body)
        self.body = self.bodies
        self.bodies += 1
        self._scopes.append((self.module, self.py_class))
        self._deflists.append(self._deflist_state())
        self._around.append(self.glossary_around)
        self.glossary_around = []
        self._set_deflist_state((False, 0, 0, False, 0, False, 0))
        if self._next_class is not None:
            self.py_class, self._next_class = self._next_class, None

    def leave(self) -> None:
        self.depth -= 1
        self.body = self._bodies.pop()
        self.module, self.py_class = self._scopes.pop()
        self._set_deflist_state(self._deflists.pop())
        self.glossary_around = self._around.pop()

    def _deflist_state(self) -> _DeflistState:
        return (
            self.glossary,
            self.term_line,
            self.glossary_ended_by,
            self.glossary_unclaimed,
            self.last_paragraph,
            self.in_definition,
            self.glossary_level,
        )

    def _set_deflist_state(self, state: _DeflistState) -> None:
        (
            self.glossary,
            self.term_line,
            self.glossary_ended_by,
            self.glossary_unclaimed,
            self.last_paragraph,
            self.in_definition,
            self.glossary_level,
        ) = state

    def result(self, heading_anchor_depth: int, lines: list[str]) -> ParsedBody:
        """Freeze into a ParsedBody, computing heading text and slugs (`lines`: the page's)."""
        self.settle(False)
        self._scan_deferred()
        texts = [
            (level, heading_text(raw, self._known(raw, body) if "[" in raw else _NONE))
            for (level, raw, _, _), body in zip(self.headings, self.heading_bodies, strict=True)
        ]
        slugs = heading_slugs(texts, heading_anchor_depth)
        headings = tuple(
            Heading(level, text, slug, span, nested)
            for (level, text), slug, (_, _, span, nested) in zip(
                texts, slugs, self.headings, strict=True
            )
        )
        prose = tuple(self.prose) if self.content else ()
        return ParsedBody(
            references=tuple(self.references),
            labels=tuple(self.labels),
            headings=headings,
            toctrees=tuple(self.toctrees),
            comments=tuple(self.comments),
            title=headings[0].text if headings else None,
            code_blocks=tuple(self.code_blocks) if self.content else (),
            prose=prose,
            prose_marks=prose_marks(lines, prose),
            includes=tuple(self.includes),
        )
