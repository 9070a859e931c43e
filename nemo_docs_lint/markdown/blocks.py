"""Block scanner: CommonMark container/leaf structure as markdown-it + MyST plugins build it.

Lines are processed one at a time (the commonmark.js algorithm): open blockquotes, list
items and footnote definitions are matched, new ones opened, then the line goes to a leaf
(paragraph, heading, fence, indented code, HTML block, math block, MyST target/comment).
Paragraph and heading text goes to the inline scanner; fences go to `directives`.
Every line is a `syntax.Line`; everything found goes to a `sink.Sink`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

from ..model import LabelKind
from .blocksyntax import (
    AMS_OPEN,
    ATX,
    ATX_CLOSE,
    BLANKS,
    BULLET,
    EQNO,
    EQUATION_LABEL,
    FOOTNOTE,
    HR,
    LETTERS,
    ORDERED,
    PLAIN,
    SETEXT,
    html_block_start,
    quote_marker,
    starts_block,
)
from .sink import Sink
from .syntax import Fence, Line, indent_width, strip_columns


class Leaf(Enum):
    """The open leaf block, if any."""

    NONE = "none"
    PARA = "paragraph"
    FENCE = "fence"
    CODE = "indented code"
    HTML = "html block"
    MATH = "$$ math block"
    AMS = "amsmath environment"


class ContainerKind(Enum):
    QUOTE = "blockquote"
    ITEM = "list item or footnote definition"


# Module-level aliases: the scanner's hot paths compare these by identity.
NONE, PARA, FENCE, CODE, HTML, MATH, AMS = Leaf
QUOTE, ITEM = ContainerKind


class _Container:
    __slots__ = ("blank_start", "kind", "width")

    def __init__(self, kind: ContainerKind, width: int, blank_start: bool = False) -> None:
        self.kind = kind
        self.width = width  # content column of a list item
        self.blank_start = blank_start  # item opened on an empty line, no content yet


class BlockScanner:
    """Scan a sequence of Lines (a page body or a directive body) into a sink."""

    def __init__(self, sink: Sink) -> None:
        self.out = sink
        self.stack: list[_Container] = []
        self.leaf = NONE
        self.para: list[Line] = []
        self.fence: Fence | None = None
        self.body: list[Line] = []
        self.end_re: re.Pattern[str] | None = None
        self.nested: list[Line] | None = None  # a directive body to scan next
        self.resume: Line | None = None  # the rest of a line to process after it

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
    def feed(self, line: Line) -> None:
        """Process one line."""
        leaf = self.leaf
        if not self.stack:
            # Fast paths for the commonest lines outside any container.
            t = line[2]
            if leaf is FENCE:  # fence body
                s = t.lstrip(" ")
                assert self.fence is not None
                if not s or s[0] != self.fence.char or len(t) - len(s) > 3:
                    self.body.append(line)
                    return
            elif leaf is PARA or leaf is NONE or leaf is CODE:
                # A line starting with a letter continues or opens a paragraph (it can open
                # no container or other leaf); a blank line ends a paragraph.
                c = t[:1]
                if c in LETTERS:
                    if leaf is PARA:
                        self.para.append(line)
                    else:
                        self.leaf = PARA
                        self.para = [line]
                    return
                if not c or (c in " \t" and t.isspace()):
                    if leaf is PARA:
                        self.close_leaf()
                    return
        else:
            matched, line = self._match_containers(line)
            if matched < len(self.stack):
                t = line[2]
                if leaf is PARA and t.strip() and not starts_block(t):
                    self.para.append(line)  # lazy continuation
                    return
                self.close_leaf()
                del self.stack[matched:]
                if self.nested is not None:
                    self.resume = line  # after the directive body
                    return
        self.rest(line)

    def rest(self, line: Line) -> None:
        """Process `line` once its containers are matched: leaf continuation or new blocks."""
        leaf = self.leaf
        if leaf is not NONE and leaf is not PARA and self._continue_leaf(line):
            return
        self._leaf(line if line[2][:1] in PLAIN else self._open_containers(line))

    def _match_containers(self, line: Line) -> tuple[int, Line]:
        """How many open containers `line` continues, and the line without their markers."""
        matched = 0
        for cont in self.stack:
            t = line[2]
            if cont.kind is QUOTE:
                if indent_width(t) > 3:
                    break
                k = quote_marker(t)
                if not k:
                    break
                line = (line[0], line[1] + k, t[k:])
            elif not t.strip():
                if cont.blank_start:
                    break  # an item may begin with at most one blank line
                line = (line[0], line[1], "")
            elif indent_width(t) >= cont.width:
                cont.blank_start = False
                line = strip_columns(line, cont.width)
            else:
                break
            matched += 1
        return matched, line

    def _continue_leaf(self, line: Line) -> bool:
        """Feed `line` to an open leaf that swallows lines; True if it did."""
        leaf = self.leaf
        t = line[2]
        if leaf is FENCE:
            assert self.fence is not None
            if indent_width(t) < 4:
                s = t.strip()
                if len(s) >= self.fence.run and s == self.fence.char * len(s):
                    self.close_leaf()
                    return True
            self.body.append(line)
            return True
        if leaf is CODE:
            if not t.strip() or indent_width(t) >= 4:
                return True
            self.leaf = NONE
        elif leaf is HTML:
            if self.end_re is None and not t.strip():
                self.close_leaf()  # a type 6/7 block ends at a blank line
                return True
            self.body.append(line)
            if self.end_re is not None and self.end_re.search(t):
                self.close_leaf()
            return True
        elif leaf is MATH:
            if t.strip().endswith("$$") or EQNO.match(t[::-1]):
                self.leaf = NONE
                self._equation_label(line)
            return True
        elif leaf is AMS:
            if self.end_re is not None and self.end_re.search(t):
                self.leaf = NONE
            return True
        return False

    def _open_containers(self, line: Line) -> Line:
        """Open the blockquotes, list items and footnote definitions `line` starts with;
        return the rest of the line."""
        t = line[2]
        while t[:1] not in PLAIN:
            ind = indent_width(t)
            if ind >= 4:
                break
            s = t.lstrip(" \t")
            if s.startswith(">"):
                self.close_leaf()
                k = quote_marker(t)
                line = (line[0], line[1] + k, t[k:])
                t = line[2]
                self.stack.append(_Container(QUOTE, 0))
                continue
            para = self.leaf is PARA
            if (para and SETEXT.match(s)) or (s[:1] in "*-_" and HR.match(s)):
                break
            m = BULLET.match(s) or ORDERED.match(s)
            if m is not None:
                rest = s[m.end() :]
                if para and (not rest.strip() or (m.re is ORDERED and m.group(1) != "1")):
                    break
                sp = indent_width(rest) if rest.strip() else 0
                pad = sp if 1 <= sp <= 4 else 1
                self.close_leaf()
                self.stack.append(_Container(ITEM, ind + m.end() + pad, not rest.strip()))
                line = strip_columns((line[0], line[1] + len(t) - len(s) + m.end(), rest), pad)
                t = line[2]
                continue
            fm = FOOTNOTE.match(s) if s[:2] == "[^" else None
            if fm is None:
                break
            self.close_leaf()
            self.stack.append(_Container(ITEM, 4))
            k = len(t) - len(s) + fm.end()
            rest = t[k:]
            sk = len(rest) - len(rest.lstrip(" \t"))
            line = (line[0], line[1] + k + sk, rest[sk:])
            t = line[2]
        return line

    def _leaf(self, line: Line) -> None:
        """`line` (container markers removed) outside any swallowing leaf."""
        n, c, t = line
        if t[:1] in BLANKS:
            if not t.strip():
                if self.leaf is PARA:
                    self.close_leaf()
                return
            ind = indent_width(t)
            if ind >= 4:
                if self.leaf is PARA:
                    self.para.append(line)
                else:
                    self.leaf = CODE
                    self.out.settle(False)
                return
            s = t.lstrip(" \t")
            k = len(t) - len(s)
        else:
            ind = k = 0
            s = t
        opener = _OPENERS.get(s[0])
        if opener is not None and opener(self, (n, c + k, s) if k else line, ind):
            return
        if self.leaf is PARA:
            self.para.append(line)
        else:
            self.leaf = PARA
            self.para = [line]

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
            self._equation_label(line)
            return True
        if "$$" in st[2:]:
            return False
        self.leaf = MATH
        return True

    def _equation_label(self, line: Line) -> None:
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
            lines = self.out.take_definitions(self.para)
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

    def _ams_open(self, line: Line, ind: int) -> bool:
        s = line[2]
        am = AMS_OPEN.match(s)
        if not am:
            return False
        self.close_leaf()
        self.end_re = re.compile(r"\\end\{" + am.group(1) + re.escape(am.group(2)) + r"\}")
        if not self.end_re.search(s, am.end()):
            self.leaf = AMS
        return True

    def run(self, lines: list[Line], i: int) -> int:
        """Feed `lines[i:]` until the end or until a directive body is waiting in
        `self.nested`; return the index of the next line to feed."""
        feed = self.feed
        n = len(lines)
        while i < n:
            if self.leaf is FENCE and not self.stack:
                # Top-level fence body, up to its closing line: a run of the fence char (at
                # least as long as the opening one) indented by at most 3 spaces, nothing else.
                assert self.fence is not None
                ch, need = self.fence.char, self.fence.run
                j = i
                while j < n:
                    t = lines[j][2]
                    if t[:4].lstrip(" ")[:1] == ch:
                        s = t.strip()
                        if len(s) >= need and s == ch * len(s):
                            break
                    j += 1
                self.body.extend(lines[i:j])
                if j == n:
                    return n
                self.close_leaf()
                i = j + 1
            else:
                feed(lines[i])
                i += 1
            if self.nested is not None:
                return i
        return n

    def finish(self) -> None:
        """Close everything still open at the end of input."""
        self.close_leaf()
        self.stack.clear()


_new_fence = tuple.__new__  # Fence(...) without the NamedTuple constructor's overhead
_Opener = Callable[[BlockScanner, Line, int], bool]
_OPENERS: dict[str, _Opener] = {
    "`": BlockScanner._fence_open,
    "~": BlockScanner._fence_open,
    ":": BlockScanner._fence_open,
    "$": BlockScanner._math_open,
    "%": BlockScanner._comment,
    "+": BlockScanner._block_break,
    "(": BlockScanner._target,
    "#": BlockScanner._atx,
    "=": BlockScanner._setext_or_hr,
    "-": BlockScanner._setext_or_hr,
    "*": BlockScanner._setext_or_hr,
    "_": BlockScanner._setext_or_hr,
    "<": BlockScanner._html_open,
    "\\": BlockScanner._ams_open,
}


class _Run:
    """One body being scanned: the page, or a directive body nested in it."""

    __slots__ = ("finished", "lines", "pos", "scanner")

    def __init__(self, scanner: BlockScanner, lines: list[Line]) -> None:
        self.scanner = scanner
        self.lines = lines
        self.pos = 0
        self.finished = False


def scan_lines(lines: list[Line], sink: Sink) -> None:
    """Scan `lines`, and the directive bodies the sink returns, into `sink`.

    A directive body is scanned where its fence closes, before the line after it; nesting
    is a stack of scanners, not recursion, so any depth is fine.
    """
    runs = [_Run(BlockScanner(sink), lines)]
    while runs:
        run = runs[-1]
        sc = run.scanner
        if sc.nested is not None:
            body, sc.nested = sc.nested, None
            sink.enter()
            runs.append(_Run(BlockScanner(sink), body))
        elif sc.resume is not None:
            line, sc.resume = sc.resume, None
            sc.rest(line)
        elif run.pos < len(run.lines):
            run.pos = sc.run(run.lines, run.pos)
        elif not run.finished:
            run.finished = True
            sc.finish()
        else:
            runs.pop()
            if runs:
                sink.leave()


__all__ = ["BlockScanner", "ContainerKind", "Leaf", "scan_lines"]
