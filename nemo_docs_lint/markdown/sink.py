"""The sink API: what the block scanner and the directive handler report, and to whom.

`blocks` and `directives` see only this protocol; `collect.Collector` implements it for the
fast path and `reference` subclasses that collector for the markdown-it-py oracle.
"""

from __future__ import annotations

from typing import Protocol

from ..model import CodeBlock, Include, LabelKind, Reference, Toctree
from .syntax import Fence, Line


class Sink(Protocol):
    """Receives block-level events, in document order."""

    def paragraph(self, lines: list[Line]) -> None:
        """A paragraph's lines (link reference definitions still at its start)."""

    def take_definitions(self, lines: list[Line]) -> list[Line]:
        """Consume the link reference definitions opening `lines`; return the rest."""

    def definitions_cover(self, lines: list[Line]) -> int:
        """How many of `lines` the link reference definitions opening them take up."""

    def term(self, line: Line) -> None:
        """The one-line paragraph of `line` is a definition list's term (reported just
        before that paragraph, or after it when a blank line comes before the definition)."""

    def definitions_open(self, count: int) -> None:
        """`count` definitions (deflist) are now open around the blocks that follow."""

    def text(self, line: Line) -> None:
        """Inline text outside paragraphs and headings: a table cell, a field name."""

    def cell(self, line: Line) -> None:
        """A table cell's text (its `\\|` are pipes)."""

    def table_row(self, line: int) -> None:
        """A table row (header, delimiter or body row), or a field name with no body on its
        line, at 1-based `line`: prose."""

    def heading(self, level: int, lines: list[Line]) -> None:
        """An ATX (one line) or setext (one or more lines) heading's text."""

    def label(
        self, name: str, line: int, column: int, kind: str = LabelKind.LABEL, width: int = -1
    ) -> None:
        """A target `name` at 0-based `column` of `line` (a `(name)=` line, `:name:`, a term,
        an equation, an object; see `LabelKind`), written `width` characters wide (default:
        the name's length)."""

    def target(self, name: str, line: int, column: int) -> None:
        """A `(name)=` line: a label titled by the heading or figure that follows, if any."""

    def settle(self, titled: bool) -> None:
        """The block after pending targets starts: a titled one (heading, captioned figure)
        or not."""

    def block_start(self) -> None:
        """A block with no text of its own starts: a blockquote, list item, footnote
        definition or field list item, or a thematic break (a label above it is titled by no
        heading; outside a definition it ends a definition list)."""

    def html_block(self, lines: list[Line]) -> None:
        """The lines of an HTML block."""

    def fence(self, fence: Fence, body: list[Line]) -> list[Line] | None:
        """A closed (or end-of-input) fenced block and its content lines; returns the
        directive body to scan as MyST Markdown next, if any."""

    def reference(self, ref: Reference) -> None:
        """A reference found in directive text (image path, card link)."""

    def toctree(self, toctree: Toctree) -> None:
        """A toctree directive."""

    def code_block(self, block: CodeBlock) -> None:
        """A fenced code block or a code directive (not one inside other code)."""

    def enter(self) -> None:
        """Scanning of a directive body returned by `fence` begins."""

    def leave(self) -> None:
        """Scanning of that directive body ended."""

    def include(self, include: Include) -> None:
        """An `{include}` / `.. include::` of another file."""

    def eval_rst(self, lines: list[Line]) -> None:
        """An `{eval-rst}` body: reST inside a Markdown page."""

    def python_scope(self) -> str:
        """The prefix of Python objects declared here: the class whose body this is, or the
        current module."""

    def python_module(self, name: str) -> None:
        """`py:module` / `py:currentmodule`: the module of the objects that follow."""

    def python_class(self, name: str) -> None:
        """The next directive body entered is the body of the Python class `name`."""
