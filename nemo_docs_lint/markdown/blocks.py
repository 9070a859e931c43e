"""Block scanner: CommonMark container/leaf structure as markdown-it + MyST plugins build it.

Lines are processed one at a time (the commonmark.js algorithm): open blockquotes, list
items, footnote definitions and field list items are matched, new ones opened, then the line
goes to a leaf (`leaves`: paragraph, heading, fence, indented code, HTML block, table, math
block, MyST target/comment). Directive bodies are scanned from a stack, not by recursion.
Paragraph and heading text goes to the inline scanner; fences go to `directives`.
Every line is a `syntax.Line`; everything found goes to a `sink.Sink`.
"""

from __future__ import annotations

from collections.abc import Callable

from .blocksyntax import (
    BULLET,
    DEFINITION,
    FOOTNOTE,
    HR,
    LETTERS,
    ORDERED,
    PLAIN,
    SETEXT,
    field_name_end,
    starts_block,
)
from .inline import BLOCK_ATTRS
from .leaves import (
    AMS,
    CODE,
    DEF,
    FENCE,
    HTML,
    ITEM,
    LEAF_OPENERS,
    MATH,
    NONE,
    PARA,
    QUOTE,
    TABLE,
    Container,
    ContainerKind,
    Leaf,
    LeafScanner,
    closes_dollar_math,
)
from .sink import Sink
from .syntax import Line, expand_leading_tabs, indent_width, strip_columns


class BlockScanner(LeafScanner):
    """Scan a sequence of Lines (a page body or a directive body) into a sink."""

    def feed(self, line: Line) -> None:
        """Process one line."""
        leaf = self.leaf
        t = line[2]
        self.col = 0
        if not self.stack:
            # Fast paths for the commonest lines outside any container.
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
                if c in LETTERS and (leaf is not PARA or self.defs_para is not self.para):
                    if leaf is PARA:
                        self.para.append(line)
                    else:
                        self.leaf = PARA
                        self.para = [line]
                    return
                if not c or (c in " \t" and not t.strip(" \t")):
                    if leaf is PARA:
                        if len(self.para) > 2:
                            self.close_leaf()
                        else:
                            self._blank_after_paragraph(line[0])
                    return
                if leaf is NONE and c in PLAIN:  # what `rest` does with it, without the tests
                    self._leaf(line)
                    return
        elif (leaf is MATH or leaf is AMS) and self._math_line(line):
            return
        else:
            matched, line = self._match_containers(line)
            if matched < len(self.stack):
                t = line[2]
                in_item = self.stack[matched].kind is not QUOTE
                lazy = leaf is PARA and t.strip(" \t")
                items = True
                if (
                    lazy
                    and in_item
                    and t[:1] in " \t"
                    and all(c.kind is not QUOTE for c in self.stack[matched:])
                ):
                    # less indented than the item or definition holding the paragraph: never
                    # code-indented for markdown-it's terminators (`sCount - blkIndent < 4`)
                    col = self.col + indent_width(t, self.col)
                    t = t.lstrip(" \t")
                    if t[:1] in _LIST_START and col - self._list_indent() >= 4:
                        items = False  # markdown-it: indented 4 past the list, no list item
                # (any list item ends a blockquote, as it ends a list item: markdown-it's
                # blockquote checks its terminators with no paragraph around)
                if (
                    lazy
                    and not starts_block(t, True, self.col, lazy=in_item, items=items)
                    and not (self.defs_para is self.para and self._only_definitions(line))
                    and not (self.definitions and DEFINITION.match(t.lstrip(" \t")))
                ):
                    self.para.append(line)  # lazy continuation
                    return
                self.close_leaf()
                self._close_containers(matched, line[0], line[2])
                if self.forced_term == line[0]:
                    self.leaf = PARA  # a term after a definition (see `_marker_below`)
                    self.para = [line]
                    return
                if self.nested is not None:
                    self.resume = line  # after the directive body
                    self.resume_col = self.col
                    return
        self.rest(line)

    def _list_indent(self) -> int:
        """markdown-it's listIndent: the content column around the innermost list item."""
        for cont in reversed(self.stack):
            if cont.outer >= 0:
                return cont.outer
        return 1 << 30  # (outside lists: -1, which never reaches this test)

    def rest(self, line: Line) -> None:
        """Process `line` once its containers are matched: leaf continuation or new blocks."""
        leaf = self.leaf
        if leaf is PARA and self.defs_para is self.para:
            if self._after_definitions(line):
                return
            leaf = self.leaf
        if leaf is PARA and line[2].lstrip(" \t")[:1] in "|-:" and self._table_open(line):
            return
        if leaf is not NONE and leaf is not PARA and self._continue_leaf(line):
            return
        self._leaf(line if line[2][:1] in PLAIN else self._open_containers(line))

    def _after_definitions(self, line: Line) -> bool:
        """The open paragraph may be only link reference definitions (or a `{...}` line):
        markdown-it parses each on its own, and the line after one starts afresh (a list,
        math or HTML block no paragraph line could open). True if `line` belongs to the
        last definition."""
        para = self.para
        out = self.out
        if not line[2].strip(" \t"):
            return False
        if para[0][2].lstrip(" \t")[:1] == "{":
            if len(para) == 1 and BLOCK_ATTRS.match(para[0][2]):
                self.close_leaf()  # attrs_block: an attributes line is a block of its own
            self.defs_para = None
            return False
        if out.definitions_cover([line]) == 1 and out.definitions_cover(para) == len(para):
            self.close_leaf()  # the next definition
            return False
        covered = out.definitions_cover([*para, line])
        if covered > len(para):
            para.append(line)  # its destination or title
            return True
        if covered == len(para):
            self.close_leaf()
        else:
            self.defs_para = None  # a paragraph after all
        return False

    def _close_containers(self, keep: int, line_no: int, text: str) -> None:
        """Close the containers after the first `keep`, for line `line_no` (`text` once
        the containers kept are matched)."""
        stack = self.stack
        self.term = None  # (a term and its definition share their containers)
        self.next_definition = 0
        if self.definitions:
            self.definitions -= sum(1 for cont in stack[keep:] if cont.kind is DEF)
        self.out.definitions_open(self.definitions)
        if stack[keep].kind is DEF:
            self.next_definition = line_no  # (deflist: another definition may follow)
            if not DEFINITION.match(text.lstrip(" \t")) and self._marker_below(
                line_no, stack[:keep]
            ):
                self.forced_term = line_no
        del stack[keep:]

    def _marker_below(self, line_no: int, within: list[Container]) -> bool:
        """Is the line after `line_no` (or the one after a blank line) a definition marker
        in the containers `within`? Then deflist reads line `line_no`, whatever it holds,
        as the next term."""
        lines = self.lines
        k = line_no - lines[0][0] + 1
        for _ in range(2):
            if k >= len(lines):
                return False
            matched, rest = self._peek(lines[k], within)
            text = rest[2].lstrip(" \t")
            if matched < len(within) or text:
                return matched == len(within) and DEFINITION.match(text) is not None
            k += 1
        return False

    def _peek(self, line: Line, within: list[Container]) -> tuple[int, Line]:
        """`_match_containers(line, within)` with no effect on the scanner's state."""
        col = self.col
        matched, rest, _ = self._peek_col(line, within)
        self.col = col
        return matched, rest

    def _peek_col(self, line: Line, within: list[Container]) -> tuple[int, Line, int]:
        """`_peek`, and the column of the line's rest (`self.col` is left changed)."""
        blanks = [cont.blank_start for cont in within]
        self.col = 0
        try:
            matched, rest = self._match_containers(line, within)
            return matched, rest, self.col
        finally:
            for cont, blank in zip(within, blanks, strict=True):
                cont.blank_start = blank

    def _blank_after_paragraph(self, line_no: int) -> None:
        """Close the paragraph at blank line `line_no`: a one-line one (after a `{...}`
        attributes line, if any) may be a term whose definition follows the blank line
        (link reference definitions or an attributes line alone are no paragraph)."""
        para = self.para
        if (
            len(para) <= 2
            and (len(para) == 2)
            == ("{" in para[0][2] and BLOCK_ATTRS.match(para[0][2]) is not None)
            and not (self.defs_para is para and self.out.definitions_cover(para) == len(para))
        ):
            self.term = para[-1]
            self.next_definition = line_no + 1
        self.close_leaf()

    def _definition_open(self, line: Line, ind: int) -> bool:
        """deflist: a `: definition` (or `~ definition`) line below its term, a one-line
        paragraph (or one and a blank line), or after another definition of the term."""
        n, c, s = line
        if DEFINITION.match(s) is None:
            return False
        para = self.para
        if self.leaf is PARA and (
            len(para) == 1 or (len(para) == 2 and BLOCK_ATTRS.match(para[0][2]))
        ):
            if (
                self.forced_term != para[-1][0]
                and not (ind < 4 and field_name_end(s))  # (a field list ends the paragraph)
                and self._setext_below(n)
            ):
                return False  # the term and the lines below are a setext heading
            self.out.term(para[-1])
        elif self.next_definition != n:
            if self.leaf is PARA and self.definitions and ind < 4:
                self.close_leaf()  # in a definition, a definition marker ends a paragraph
            return False
        elif self.term is not None and self.term[0] == n - 2:
            self.out.term(self.term)
        self.close_leaf()
        self.out.settle(False)
        mcol = self.col + ind + 1  # the column after the marker
        self.stack.append(Container(DEF, ind + 2))
        self.definitions += 1
        self.out.definitions_open(self.definitions)
        rest = strip_columns((n, c + 1, s[1:]), 1, mcol)
        self.col = mcol + 1
        self._leaf(rest if rest[2][:1] in PLAIN else self._open_containers(rest))
        return True

    def _setext_below(self, line_no: int, in_item: bool = True) -> bool:
        """Does a setext underline end the paragraph continued by line `line_no` (a
        definition marker, no terminator outside a definition)? markdown-it tries setext
        headings before definition lists."""
        if self.definitions:
            return False
        lines = self.lines
        for ln in lines[line_no - lines[0][0] + 1 :]:
            matched, (_, _, t) = self._peek(ln, self.stack)
            s = t.lstrip(" \t")
            if s and matched == len(self.stack) and indent_width(t) < 4 and SETEXT.match(s):
                return True
            if not s or starts_block(t, in_item):
                return False
        return False

    def _only_definitions(self, lazy: Line) -> bool:
        """Is the open paragraph (`defs_para`) complete link reference definitions that the
        `lazy` line does not continue, or an attributes line? (Then the container ends with
        them, as markdown-it's does.)"""
        para = self.para
        if len(para) == 1 and BLOCK_ATTRS.match(para[0][2]):
            return True  # an attributes line (a block of its own) is no paragraph either
        covered = self.out.definitions_cover([*para, lazy])
        return covered == len(para) == self.out.definitions_cover(para)

    def _quote(self, line: Line) -> Line:
        """`line` after its `>` marker and the blank after it (the first column of a tab)."""
        n, c, t = line
        k = len(t) - len(t.lstrip(" \t")) + 1
        col = self.col + indent_width(t, self.col) + 1  # after the '>'
        nxt = t[k : k + 1]
        if nxt == " ":
            self.col = col + 1
            return (n, c + k + 1, t[k + 1 :])
        if nxt == "\t":
            over = 3 - col % 4  # the tab's columns after the one the marker takes
            self.col = col + 1
            return (n, c + k + 1 - over, " " * over + t[k + 1 :])
        self.col = col
        return (n, c + k, t[k:])

    def _math_line(self, line: Line) -> bool:
        """Give `line` to the open math block if it continues the blockquotes around it:
        dollarmath and amsmath take lines up to their closing one whatever the list items
        around them (the closing line may even be the next item's marker line)."""
        for cont in self.stack:
            if cont.kind is QUOTE:
                t = line[2]
                if not t.lstrip(" \t").startswith(">"):
                    if line[0] > self.math_end:
                        return False
                    break  # a lazy line, still the blockquote's (see `math_reaches`)
                line = self._quote(line)
        t = line[2]
        if self.leaf is MATH and closes_dollar_math(t):
            self.leaf = NONE
            self.equation_label(line)
        elif self.leaf is AMS and t.rstrip().endswith(self.ams_closing):
            self.leaf = NONE
        return True

    def math_reaches(self, line_no: int, closer: int) -> bool:
        """markdown-it finds a math block's closing line within the innermost blockquote
        around it: its `>` lines and the lazy lines no block interrupts (list items
        included), up to a line outside it after an empty one. Lines of list items do not
        bound it."""
        quotes = [k for k, cont in enumerate(self.stack) if cont.kind is QUOTE]
        if not quotes:
            return True
        within = self.stack[: quotes[-1] + 1]
        known = self.quote_stop
        if known is not None and known[0] is within[-1] and line_no < known[1]:
            return closer < known[1]  # where this blockquote ends is known
        col, blanks = self.col, [cont.blank_start for cont in within]
        lines = self.lines
        last_empty = False
        try:
            for ln in lines[line_no - lines[0][0] + 1 : closer - lines[0][0] + 1]:
                self.col = 0
                matched, rest = self._match_containers(ln, within)
                if matched == len(within):
                    last_empty = not rest[2].strip(" \t")
                elif (
                    last_empty
                    or starts_block(rest[2], True, self.col)
                    or (self.definitions and DEFINITION.match(rest[2].lstrip(" \t")))
                ):  # (in a definition, deflist ends a blockquote at a definition marker)
                    self.quote_stop = (within[-1], ln[0])
                    return False
        finally:
            self.col = col
            for cont, blank in zip(within, blanks, strict=True):
                cont.blank_start = blank
        self.math_end = closer
        return True

    def _match_containers(
        self, line: Line, stack: list[Container] | None = None
    ) -> tuple[int, Line]:
        """How many open containers (of `stack`, default all) `line` continues, and the
        line without their markers."""
        matched = 0
        for cont in self.stack if stack is None else stack:
            t = line[2]
            if cont.kind is QUOTE:
                # (markdown-it continues a blockquote with a `>` at any indent)
                if not t.lstrip(" \t").startswith(">"):
                    break
                line = self._quote(line)
            elif not t.strip(" \t"):
                if cont.blank_start:
                    break  # an item may begin with at most one blank line
                line = (line[0], line[1], "")
            elif indent_width(t, self.col) >= cont.width:
                cont.blank_start = False
                line = strip_columns(line, cont.width, self.col)
                self.col += cont.width
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
            if indent_width(t, self.col) < 4:
                s = t.strip(" \t")
                if len(s) >= self.fence.run and s == self.fence.char * len(s):
                    self.close_leaf()
                    return True
            # the body is a new document: its tabs must keep the widths they have here
            self.body.append(expand_leading_tabs(line, self.col) if self.col % 4 else line)
            return True
        if leaf is CODE:
            if not t.strip(" \t") or indent_width(t, self.col) >= 4:
                return True
            self.leaf = NONE
        elif leaf is HTML:
            if self.end_re is None and not t.strip(" \t"):
                self.close_leaf()  # a type 6/7 block ends at a blank line
                return True
            self.body.append(line)
            if self.end_re is not None and self.end_re.search(t):
                self.close_leaf()
            return True
        elif leaf is TABLE:
            return self._table_row(line)
        elif leaf is MATH:
            if closes_dollar_math(t):
                self.leaf = NONE
                self.equation_label(line)
            return True
        elif leaf is AMS:
            if t.rstrip().endswith(self.ams_closing):
                self.leaf = NONE
            return True
        return False

    def _open_containers(self, line: Line) -> Line:
        """Open the blockquotes, list items and footnote definitions `line` starts with;
        return the rest of the line."""
        t = line[2]
        while t[:1] not in PLAIN:
            ind = indent_width(t, self.col)
            if ind >= 4:
                break
            s = t.lstrip(" \t")
            if s.startswith(">"):
                self.close_leaf()
                line = self._quote(line)
                t = line[2]
                self.stack.append(Container(QUOTE, 0))
                self.out.block_start()
                continue
            para = self.leaf is PARA
            if (para and SETEXT.match(s)) or (s[:1] in "*-_" and HR.match(s)):
                break
            m = BULLET.match(s) or ORDERED.match(s)
            if m is not None:
                rest = s[m.end() :]
                if para and (not rest.strip(" \t") or (m.re is ORDERED and m.group(1) != "1")):
                    break
                mcol = self.col + ind + m.end()  # the column after the marker
                sp = indent_width(rest, mcol) if rest.strip(" \t") else 0
                pad = sp if 1 <= sp <= 4 else 1
                self.close_leaf()
                blank = not rest.strip(" \t")
                self.stack.append(Container(ITEM, ind + m.end() + pad, blank, self.col))
                self.out.block_start()
                line = (line[0], line[1] + len(t) - len(s) + m.end(), rest)
                line = strip_columns(line, pad, mcol)
                self.col = mcol + pad
                t = line[2]
                continue
            fm = FOOTNOTE.match(s) if s[:2] == "[^" else None
            if fm is None:
                break
            self.close_leaf()
            self.stack.append(Container(ITEM, 4))
            self.out.block_start()
            k = len(t) - len(s) + fm.end()
            rest = t[k:]
            sk = len(rest) - len(rest.lstrip(" \t"))
            fcol = self.col + ind + fm.end()
            self.col = fcol + indent_width(rest, fcol)
            line = (line[0], line[1] + k + sk, rest[sk:])
            t = line[2]
        return line

    def _leaf(self, line: Line) -> None:
        """`line` (container markers removed) outside any swallowing leaf."""
        n, c, t = line
        if t[:1] in _BLANK_START:
            if not t.strip(" \t"):
                if self.leaf is PARA:
                    self._blank_after_paragraph(n)
                return
            ind = indent_width(t, self.col)
            if ind >= 4:
                s = t.lstrip(" \t")
                if s[:1] in ":~" and self._definition_open((n, c + len(t) - len(s), s), ind):
                    return  # (deflist reads a marker below a term at any indent)
                if self.leaf is PARA:
                    self.para.append(line)
                else:
                    self.leaf = CODE
                    self.out.block_start()
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
            if s[0] == "[" or s[0] == "{":
                self.defs_para = self.para  # (see `_after_definitions`)

    def _colon_open(self, line: Line, ind: int) -> bool:
        """A colon fence, a definition (deflist, tried at its term's line, comes before a
        field list) or a field list item `:name: body`."""
        if self._fence_open(line, ind) or self._definition_open(line, ind):
            return True
        if not field_name_end(line[2]):
            return False
        n, c, s = line
        end = field_name_end(s)
        self.close_leaf()
        if self._setext_below(n, bool(self.stack)):
            self.leaf = PARA  # markdown-it tries setext headings before field lists
            self.para = [line]
            return True
        self.out.text((n, c + 1, s[1 : end - 1]))
        content = s[end:].lstrip(" \t")
        first_indent = ind + end + indent_width(s[end:], self.col + ind + end)
        width = self._field_body_indent(n, first_indent if content else None)
        self.stack.append(Container(ITEM, width))
        self.out.block_start()
        if content:
            self.col += width  # the first line's body starts at the body's indent
            self._leaf((n, c + len(s) - len(content), content))
        else:
            self.out.table_row(n)  # (the field name alone: a line of prose all the same)
        return True

    def _field_body_indent(self, line_no: int, first: int | None) -> int:
        """The body indent of the field list item on line `line_no` (mdit_py_plugins'
        fieldlist), from the column of the blocks around it: the least indent of the indented
        lines after it, and of its first line's body (`first`, None if empty); 2 if it has
        no body."""
        least: int | None = None
        stack, base = self.stack, self.col
        for ln in self.lines[line_no - self.lines[0][0] + 1 :]:
            if stack:
                matched, ln, col = self._peek_col(ln, stack)
                self.col = base
                if matched < len(stack):
                    break
                shift = col - base
            else:
                shift = 0
            t = ln[2]
            stripped = t.lstrip(" \t")
            if not stripped:
                continue
            shift += len(t) - len(stripped)
            if shift <= 0:
                break
            least = shift if least is None else min(least, shift)
        if least is None:
            return 2 if first is None else first
        return least if first is None else min(least, first)

    def run(self, lines: list[Line], i: int) -> int:
        """Feed `lines[i:]` until the end or until a directive body is waiting in
        `self.nested`; return the index of the next line to feed."""
        self.lines = lines
        feed = self.feed
        n = len(lines)
        while i < n:
            if self.leaf is FENCE and not self.stack:
                # Top-level fence body, up to its closing line: a run of the fence char (at
                # least as long as the opening one) indented by at most 3 spaces, nothing else.
                assert self.fence is not None
                ch, need = self.fence.char, self.fence.run
                closing = ch * need  # in every closing line: a cheap test to rule lines out
                j = n
                for k in range(i, n):
                    t = lines[k][2]
                    if closing in t and t[:4].lstrip(" ")[:1] == ch:
                        s = t.strip(" \t")
                        if len(s) >= need and s == ch * len(s):
                            j = k
                            break
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

    def _tilde_open(self, line: Line, ind: int) -> bool:
        """A `~~~` fence or a `~ definition`."""
        return self._fence_open(line, ind) or self._definition_open(line, ind)

    def finish(self) -> None:
        """Close everything still open at the end of input."""
        self.close_leaf()
        if self.definitions:
            self.definitions = 0
            self.out.definitions_open(0)
        self.stack.clear()


# `t[:1]` of a line that may be blank or indented (markdown's blanks are spaces and tabs).

# `t[:1]` of a line that may be blank or indented (markdown's blanks are spaces and tabs).
_BLANK_START = frozenset(("", " ", "\t"))
_LIST_START = frozenset("-+*0123456789")
_OPENERS: dict[str, Callable[[BlockScanner, Line, int], bool]] = {
    **LEAF_OPENERS,
    ":": BlockScanner._colon_open,
    "~": BlockScanner._tilde_open,
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
            sc.col = sc.resume_col
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
