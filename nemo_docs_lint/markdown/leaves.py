"""Leaf blocks for the block scanner: the open leaf's state, and the leaf openers.

`LeafScanner` holds what a leaf needs (paragraph lines, fence, HTML or math state, table
columns) and opens leaves from a line's first char (`LEAF_OPENERS`); `blocks.BlockScanner`
adds the containers and the line loop. Leaf and container kinds are enums.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from enum import Enum

from ..model import LabelKind
from .blocksyntax import (
    AMS_OPEN,
    ATX,
    ATX_CLOSE,
    EQNO,
    EQUATION_LABEL,
    HR,
    SETEXT,
    html_block_start,
    starts_block,
    table_cells,
    table_delimiter_columns,
)
from .inline import BLOCK_ATTRS
from .sink import Sink
from .syntax import Fence, Line, indent_width


class Leaf(Enum):
    """The open leaf block, if any."""

    NONE = "none"
    PARA = "paragraph"
    FENCE = "fence"
    CODE = "indented code"
    HTML = "html block"
    MATH = "$$ math block"
    AMS = "amsmath environment"
    TABLE = "table"


class ContainerKind(Enum):
    QUOTE = "blockquote"
    ITEM = "list item or footnote definition"
    DEF = "definition (deflist)"


# Module-level aliases: the scanner's hot paths compare these by identity.
NONE, PARA, FENCE, CODE, HTML, MATH, AMS, TABLE = Leaf
QUOTE, ITEM, DEF = ContainerKind


class Container:
    """An open blockquote, list item, footnote definition or field list item."""

    __slots__ = ("blank_start", "kind", "outer", "width")

    def __init__(
        self, kind: ContainerKind, width: int, blank_start: bool = False, outer: int = -1
    ) -> None:
        self.kind = kind
        self.width = width  # content column of a list item
        self.blank_start = blank_start  # item opened on an empty line, no content yet
        self.outer = outer  # a list item's: the column of the content around it (listIndent)


class LeafScanner:
    """The leaf half of the block scanner (see `blocks.BlockScanner`)."""

    def __init__(self, sink: Sink) -> None:
        self.out = sink
        self.stack: list[Container] = []
        self.leaf = NONE
        self.para: list[Line] = []
        self.defs_para: list[Line] | None = None  # `para`, while it may be only definitions
        self.fence: Fence | None = None
        self.body: list[Line] = []
        self.end_re: re.Pattern[str] | None = None
        self.nested: list[Line] | None = None  # a directive body to scan next
        self.resume: Line | None = None  # the rest of a line to process after it
        self.resume_col = 0
        self.col = 0  # visual column of the current line's text (after container markers)
        self.lines: list[Line] = []  # the body being scanned (see `run`)
        self._closers: dict[str, list[int]] = {}  # see `_closer_after`
        self.ams_closing = ""
        self.columns = 0  # of the open table
        self.math_end = 0  # the closing line of a math block opened in a blockquote
        self.quote_stop: tuple[Container, int] | None = None  # a blockquote's first line after
        self.definitions = 0  # open definitions (DEF containers) on the stack
        self.next_definition = 0  # the line that may open another definition of the term
        self.term: Line | None = None  # a one-line paragraph a blank line just closed
        self.forced_term = 0  # a line deflist reads as a term whatever it holds

    # -- leaves -------------------------------------------------------------------------
    def close_leaf(self) -> None:
        leaf = self.leaf
        self.leaf = NONE
        if leaf is PARA:
            self.out.paragraph(self.para)
            self.para = []
        elif leaf is FENCE:
            assert self.fence is not None
            self.nested = self.out.fence(self.fence, self.body)
            self.fence = None
            self.body = []
        elif leaf is HTML:
            self.out.html_block(self.body)
            self.body = []

    # -- main loop ---------------------------------------------------------------------
    def _table_open(self, line: Line) -> bool:
        """`line` is a delimiter row under a header row (the paragraph's last line): open
        a table (the paragraph's other lines stay a paragraph). False if not a table."""
        t = line[2]
        if indent_width(t, self.col) >= 4:
            return False
        columns = table_delimiter_columns(t)
        header = self.para[-1]
        if not columns or "|" not in header[2] or indent_width(header[2], self.col) >= 4:
            return False
        cells = table_cells(header[2])
        if len(cells) != columns:
            return False
        self.para.pop()
        self.close_leaf()
        self.out.table_row(header[0])
        self._cells(header, cells)
        self.out.table_row(line[0])
        self.leaf = TABLE
        self.columns = columns
        return True

    def _table_row(self, line: Line) -> bool:
        """A body row of the open table; False (table closed) if `line` ends the table."""
        t = line[2]
        if not t.strip(" \t\n\r\f\v"):
            self.leaf = NONE
            return True
        if (
            not t.strip()
            or indent_width(t, self.col) >= 4
            or (starts_block(t, True, self.col) and not self._unclosed_ams(line[0], t))
        ):
            # (a row of no-break spaces: markdown-it-py's str.strip leaves no row there)
            self.leaf = NONE
            return False
        self.out.table_row(line[0])
        self._cells(line, table_cells(t)[: self.columns])  # cells past the header's: dropped
        return True

    def _cells(self, line: Line, cells: list[tuple[int, str]]) -> None:
        n, c, _ = line
        for off, text in cells:
            if text:
                self.out.cell((n, c + off, text))

    # Leaf openers: each gets the line from its first non-blank char and its indentation,
    # and returns True if it consumed the line.
    def _fence_open(self, line: Line, ind: int) -> bool:
        s = line[2]
        ch = s[0]
        run = len(s) - len(s.lstrip(ch))
        info = s[run:]
        if run < 3 or (ch == "`" and "`" in info):
            return False
        self.close_leaf()
        self.leaf = FENCE
        self.fence = _new_fence(Fence, (line, ch, run, ind, info.strip()))
        return True

    def _math_open(self, line: Line, ind: int) -> bool:
        s = line[2]
        if not s.startswith("$$") or self.leaf is PARA:
            return False
        st = s.strip()
        if len(st) > 3 and (st.endswith("$$") or EQNO.match(st[::-1])):
            self.out.block_start()  # (it takes an attributes line above it)
            self.equation_label(line)
            return True
        if "$$" in st[2:] or not self._closer_after(line[0], "$$"):
            return False  # dollarmath opens no block it cannot close
        self.out.block_start()
        self.leaf = MATH
        return True

    def equation_label(self, line: Line) -> None:
        """dollarmath's `$$ (label)` at the end of a math block: an equation's label."""
        self.out.settle(False)
        m = EQUATION_LABEL.search(line[2]) if line[2].rstrip().endswith(")") else None
        if m is not None:
            self.out.label(m.group(1), line[0], line[1] + m.start(1), LabelKind.EQUATION)

    def _comment(self, line: Line, ind: int) -> bool:
        self.close_leaf()
        return True

    def _block_break(self, line: Line, ind: int) -> bool:
        s = line[2]
        if not s.startswith("+++") or s.strip("+ \t"):
            return False
        self.close_leaf()
        self.out.settle(False)  # a block break titles no label above it
        return True

    def _target(self, line: Line, ind: int) -> bool:
        st = line[2].strip()
        if not st.endswith(")=") or len(st) <= 3:
            return False
        self.close_leaf()
        self.out.target(st[1:-2], line[0], line[1] + 1)
        return True

    def _atx(self, line: Line, ind: int) -> bool:
        n, c, s = line
        m = ATX.match(s)
        if not m:
            return False
        self.close_leaf()
        body = s[m.end() :]
        cm = ATX_CLOSE.search(body)
        if cm:
            body = body[: cm.start()]
        self.out.heading(len(m.group(1)), [(n, c + m.end(), body.rstrip(" \t"))])
        return True

    def _setext_or_hr(self, line: Line, ind: int) -> bool:
        s = line[2]
        if self.leaf is PARA and s[0] in "=-" and SETEXT.match(s):
            para = self.para
            if "{" in para[0][2] and BLOCK_ATTRS.match(para[0][2]):
                self.out.paragraph(para[:1])  # attrs_block: a block of its own
                para = para[1:]
            lines = self.out.take_definitions(para) if para else para
            self.para = []
            self.leaf = NONE
            if not lines:
                return False  # only definitions: the underline opens a paragraph
            last = lines[-1]
            lines[-1] = (last[0], last[1], last[2].rstrip(" \t"))
            self.out.heading(1 if s[0] == "=" else 2, lines)
            return True
        if s[0] in "*-_" and HR.match(s):
            self.close_leaf()
            self.out.block_start()
            return True
        return False

    def _html_open(self, line: Line, ind: int) -> bool:
        hs = html_block_start(line[2], self.leaf is PARA)
        if hs is None:
            return False
        (end_re,) = hs
        self.close_leaf()
        self.body = [line]
        self.end_re = end_re
        if end_re is not None and end_re.search(line[2]):
            self.out.html_block(self.body)
            self.body = []
        else:
            self.leaf = HTML
        return True

    def _unclosed_ams(self, line_no: int, t: str) -> bool:
        """Does `t` open an amsmath environment no later line closes? Then amsmath's rule
        fails there and ends no table (its row goes on)."""
        s = t.lstrip(" \t")
        am = AMS_OPEN.match(s)
        if not am:
            return False
        closing = _ams_closing(am)
        return not (s.rstrip().endswith(closing) or self._closer_after(line_no, closing))

    def _ams_open(self, line: Line, ind: int) -> bool:
        s = line[2]
        am = AMS_OPEN.match(s)
        if not am:
            return False
        closing = _ams_closing(am)
        if s.rstrip().endswith(closing):
            self.close_leaf()  # a one-line environment
            self.out.block_start()  # (it takes an attributes line above it)
            return True
        if not self._closer_after(line[0], closing):
            return False  # amsmath opens no environment it cannot close
        self.close_leaf()
        self.out.block_start()
        self.ams_closing = closing
        self.leaf = AMS
        return True

    def _closer_after(self, line_no: int, closing: str) -> bool:
        """Does a line of this body after line `line_no` close a `$$` block (`closing` "$$")
        or the amsmath environment ending in `closing`? (Each kind's lines found once.)"""
        found = self._closers.get(closing)
        if found is None:
            if closing == "$$":
                found = [n for n, _, t in self.lines if closes_dollar_math(t)]
            else:
                found = [n for n, _, t in self.lines if t.rstrip().endswith(closing)]
            self._closers[closing] = found
        k = bisect_right(found, line_no)
        return k < len(found) and self.math_reaches(line_no, found[k])

    def math_reaches(self, line_no: int, closer: int) -> bool:
        """Can a math block opened on line `line_no` close on line `closer`, the first line
        after it that could? (Containers may end it first: see `blocks`.)"""
        return True


def closes_dollar_math(t: str) -> bool:
    """Does `t` close a `$$` math block (dollarmath: `$$` or `$$ (label)` at its end)?"""
    return t.strip().endswith("$$") or EQNO.match(t[::-1]) is not None


_new_fence = tuple.__new__  # Fence(...) without the NamedTuple constructor's overhead
LeafOpener = Callable[[LeafScanner, Line, int], bool]
# Leaf openers by a line's first non-blank char (`:` is added by blocks: field lists).
LEAF_OPENERS: dict[str, LeafOpener] = {
    "`": LeafScanner._fence_open,
    "~": LeafScanner._fence_open,
    ":": LeafScanner._fence_open,
    "$": LeafScanner._math_open,
    "%": LeafScanner._comment,
    "+": LeafScanner._block_break,
    "(": LeafScanner._target,
    "#": LeafScanner._atx,
    "=": LeafScanner._setext_or_hr,
    "-": LeafScanner._setext_or_hr,
    "*": LeafScanner._setext_or_hr,
    "_": LeafScanner._setext_or_hr,
    "<": LeafScanner._html_open,
    "\\": LeafScanner._ams_open,
}


def _ams_closing(opening: re.Match[str]) -> str:
    """The line end that closes the amsmath environment `AMS_OPEN` matched."""
    return "\\end{" + opening.group(1) + opening.group(2) + "}"
