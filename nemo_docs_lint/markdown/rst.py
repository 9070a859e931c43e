"""Minimal reST scanner: toctrees, labels, section titles, includes, glossaries and the roles
that name targets (`:ref:`, `:doc:`, `:term:`, ...), for `.rst` pages and `{eval-rst}` bodies.

Literal blocks (after `::`) and code-like directives are skipped. Section titles become
`LabelKind.SECTION` targets named by their text (the index derives docutils' id).
"""

from __future__ import annotations

import re
from typing import Protocol

from ..model import Include, Label, LabelKind, ParsedBody, Reference, RefKind, Span, Toctree
from .directives import Options, build_toctree
from .domains import make_include
from .inline import ROLE_KINDS
from .syntax import Line, role_target

_LABEL = re.compile(r"^\.\.[ \t]+_([^:`][^:]*|`[^`]+`):[ \t]*$")
_DIRECTIVE = re.compile(r"^([ \t]*)\.\.[ \t]+([\w:-]+)::[ \t]*(.*)$")
_OPTION = re.compile(r"[ \t]*:([^:\s][^:]*?):(?:[ \t]+|$)")
_ROLE = re.compile(r"(?<![\w`]):([\w:+-]+):`([^`]+)`")
_UNDERLINE = re.compile(r"^([!-/:-@\[-`{-~])\1+[ \t]*$")
_LITERAL_DIRECTIVES = frozenset(
    [
        "code-block",
        "code",
        "sourcecode",
        "literalinclude",
        "math",
        "raw",
        "parsed-literal",
        "highlight",
        "testcode",
        "testoutput",
        "doctest",
        "csv-table",
        "graphviz",
        "mermaid",
    ]
)


class RstSink(Protocol):
    """What the reST scanner reports (a subset of `sink.Sink`)."""

    def label(
        self, name: str, line: int, column: int, kind: str = LabelKind.LABEL, width: int = -1
    ) -> None: ...

    def reference(self, ref: Reference) -> None: ...

    def toctree(self, toctree: Toctree) -> None: ...

    def include(self, include: Include) -> None: ...


class _Block:
    """The lines of an indented directive body: (options, content lines, index after)."""

    def __init__(self, lines: list[Line], i: int, base: int) -> None:
        j = i + 1
        body: list[Line] = []
        while j < len(lines):
            s = lines[j][2]
            if s.strip() and len(s.expandtabs()) - len(s.expandtabs().lstrip()) <= base:
                break
            body.append(lines[j])
            j += 1
        opts: Options = {}
        k = 0
        while k < len(body):
            om = _OPTION.match(body[k][2])
            if om is None:
                break
            opts[om.group(1)] = (body[k][2][om.end() :].rstrip(), body[k], om.end())
            k += 1
        self.options, self.content, self.end = opts, body[k:], j


def scan_rst(lines: list[Line], out: RstSink) -> None:
    """Report the targets, toctrees, includes and role references of reST `lines`."""
    i = 0
    literal_below: int | None = None  # indentation of the line that opened a literal block
    pending: list[tuple[str, int, int]] = []  # `.. _x:` labels, titled if a section follows

    def settle(titled: bool) -> None:
        for name, line, column in pending:
            out.label(name, line, column, LabelKind.LABEL if titled else LabelKind.UNTITLED)
        pending.clear()

    while i < len(lines):
        n, c, t = lines[i]
        indent = len(t) - len(t.lstrip())
        if literal_below is not None:
            if not t.strip() or indent > literal_below:
                i += 1
                continue
            literal_below = None
        m = _LABEL.match(t)
        if m:
            name, col = m.group(1), m.start(1)
            if name.startswith("`"):
                name, col = name[1:-1], col + 1
            pending.append((name, n, c + col))
            i += 1
            continue
        if not t.strip():
            i += 1
            continue
        m = _DIRECTIVE.match(t)
        if m:
            settle(m.group(2) in ("figure", "table", "list-table", "code-block", "csv-table"))
            i = _directive(lines, i, m, out)
            continue
        if i + 1 < len(lines) and _title(t, lines[i + 1][2]):
            settle(True)
            out.label(t.strip(), n, c + indent, LabelKind.SECTION)
            i += 2
            continue
        settle(False)
        _roles(lines[i], out)
        if t.rstrip().endswith("::"):
            literal_below = indent
        i += 1
    settle(False)


def _title(text: str, under: str) -> bool:
    return bool(_UNDERLINE.match(under)) and len(under.rstrip()) >= len(text.strip())


def _roles(line: Line, out: RstSink) -> None:
    n, c, t = line
    if ":`" not in t:
        return
    for m in _ROLE.finditer(t):
        kind = ROLE_KINDS.get(m.group(1))
        if kind is None:
            continue
        target, start = role_target(m.group(2), m.start(2))
        col = c + start + 1
        out.reference(Reference(RefKind(kind), target, Span(n, col, n, col + len(target))))


def _directive(lines: list[Line], i: int, m: re.Match[str], out: RstSink) -> int:
    n, c, t = lines[i]
    name, argument = m.group(2), m.group(3).strip()
    block = _Block(lines, i, len(m.group(1).expandtabs()))
    if name == "toctree":
        opening = (n, c + len(m.group(1)), t[len(m.group(1)) :])
        out.toctree(build_toctree(opening, block.options, block.content))
    elif name == "include" and argument:
        col = c + m.start(3) + 1
        out.include(make_include(argument, Span(n, col, n, col + len(argument)), block.options))
    elif name == "glossary":
        depth = None
        for ln, lc, lt in block.content:
            if not lt.strip():
                continue
            here = len(lt) - len(lt.lstrip())
            depth = here if depth is None else depth
            if here == depth:
                out.label(lt.strip().split(" : ")[0], ln, lc + here, LabelKind.TERM)
            else:
                _roles((ln, lc, lt), out)  # a definition
    elif name not in _LITERAL_DIRECTIVES:
        scan_rst(block.content, out)  # admonitions and the like hold reST
    return block.end


class _RstCollector:
    """A minimal sink for whole `.rst` pages."""

    def __init__(self) -> None:
        self.labels: list[Label] = []
        self.references: list[Reference] = []
        self.toctrees: list[Toctree] = []
        self.includes: list[Include] = []

    def label(
        self, name: str, line: int, column: int, kind: str = LabelKind.LABEL, width: int = -1
    ) -> None:
        end = column + 1 + (len(name) if width < 0 else width)
        self.labels.append(Label(name, Span(line, column + 1, line, end), kind))

    def reference(self, ref: Reference) -> None:
        self.references.append(ref)

    def toctree(self, toctree: Toctree) -> None:
        self.toctrees.append(toctree)

    def include(self, include: Include) -> None:
        self.includes.append(include)


def parse_rst(text: str) -> ParsedBody:
    """Toctrees, labels, section titles, includes and role references of a reST page."""
    out = _RstCollector()
    scan_rst([(k + 1, 0, t) for k, t in enumerate(text.split("\n"))], out)
    return ParsedBody(
        references=tuple(out.references),
        labels=tuple(out.labels),
        toctrees=tuple(out.toctrees),
        includes=tuple(out.includes),
    )
