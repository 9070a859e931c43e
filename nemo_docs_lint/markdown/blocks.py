"""Block scanner: CommonMark container/leaf structure as markdown-it + MyST plugins build it.

Lines are processed one at a time (the commonmark.js algorithm): open blockquotes, list
items and footnote definitions are matched, new ones opened, then the line goes to a leaf
(paragraph, heading, fence, indented code, HTML block, math block, MyST target/comment).
Paragraph and heading text goes to the inline scanner; fences go to `directives`.
Every line is a `Line`: (line number, 0-based column of text[0] in the original line, text).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .inline import OPEN_CLOSE_TAG_LINE_RE, html_hits

if TYPE_CHECKING:
    from .collect import Collector

Line = tuple[int, int, str]

_BULLET = re.compile(r"([-+*])(?=[ \t]|$)")
_ORDERED = re.compile(r"([0-9]{1,9})([.)])(?=[ \t]|$)")
_HR = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ATX = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]:")
_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
# (start, end, can interrupt a paragraph); end None = ends at a blank line.
_HTML_BLOCKS: tuple[tuple[re.Pattern[str], re.Pattern[str] | None, bool], ...] = (
    (
        re.compile(r"<(?:script|pre|style|textarea)(?=\s|>|$)", re.I),
        re.compile(r"</(?:script|pre|style|textarea)>", re.I),
        True,
    ),
    (re.compile(r"<!--"), re.compile(r"-->"), True),
    (re.compile(r"<\?"), re.compile(r"\?>"), True),
    (re.compile(r"<![A-Za-z]"), re.compile(r">"), True),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>"), True),
    (re.compile(r"</?(?:" + _BLOCK_NAMES + r")(?=\s|/?>|$)", re.I), None, True),
    (OPEN_CLOSE_TAG_LINE_RE, None, False),
)
_AMS_OPEN = re.compile(
    r"\\begin\{(equation|multline|gather|align|alignat|flalign|matrix|pmatrix|bmatrix|"
    r"Bmatrix|vmatrix|Vmatrix|eqnarray)(\*?)\}"
)


def _indent(t: str) -> int:
    """Width of leading blanks (tabs to the next multiple of 4)."""
    w = 0
    for ch in t:
        if ch == " ":
            w += 1
        elif ch == "\t":
            w += 4 - w % 4
        else:
            break
    return w


def _strip(line: Line, cols: int) -> Line:
    """Drop up to `cols` columns of leading blanks."""
    n, c, t = line
    w = i = 0
    while i < len(t) and w < cols and t[i] in " \t":
        w += 1 if t[i] == " " else 4 - w % 4
        i += 1
    return (n, c + i, t[i:])


class _Container:
    __slots__ = ("blank_start", "kind", "width")

    def __init__(self, kind: str, width: int, blank_start: bool = False) -> None:
        self.kind = kind  # "q" blockquote, "i" list item / footnote definition
        self.width = width
        self.blank_start = blank_start  # item opened on an empty line, no content yet


class BlockScanner:
    """Scan a sequence of Lines (a page body or a directive body) into `collector`."""

    def __init__(self, collector: Collector) -> None:
        self.out = collector
        self.stack: list[_Container] = []
        self.leaf = ""  # "", "para", "fence", "code", "html", "math", "ams"
        self.para: list[Line] = []
        self.fence: tuple[Line, str, int, int, str] | None = (
            None  # open line, char, len, indent, info
        )
        self.body: list[Line] = []
        self.end_re: re.Pattern[str] | None = None
        self.html_start: Line | None = None

    # -- leaves -------------------------------------------------------------------------
    def close_leaf(self) -> None:
        leaf = self.leaf
        self.leaf = ""
        if leaf == "para":
            self.out.paragraph(self.para)
            self.para = []
        elif leaf == "fence":
            assert self.fence is not None
            self.out.fence(self.fence, self.body)
            self.fence = None
            self.body = []
        elif leaf == "html":
            self.out.html_block(self.body)
            self.body = []

    def _html_start(self, s: str, para_open: bool) -> tuple[re.Pattern[str] | None, bool] | None:
        for start, end, interrupts in _HTML_BLOCKS:
            if start.match(s) and (interrupts or not para_open):
                return end, True
        return None

    def _starts_block(self, t: str) -> bool:
        """Would `t` (container prefixes removed) interrupt a paragraph?"""
        if _indent(t) >= 4:
            return False
        s = t.lstrip(" \t")
        if not s:
            return True
        c = s[0]
        if c == ">" or c == "%" or (c == "#" and _ATX.match(s)):
            return True
        if c in "`~:" and s.startswith(c * 3) and not (c == "`" and "`" in s.lstrip("`")):
            return True
        if c in "*-_" and _HR.match(s):
            return True
        if c == "+" and s.startswith("+++") and not s.strip("+ \t"):
            return True
        if c == "(" and s.rstrip().endswith(")=") and len(s.rstrip()) > 3:
            return True
        if c == "<" and self._html_start(s, True):
            return True
        if c == "[" and _FOOTNOTE.match(s):
            return True
        if c == "\\" and _AMS_OPEN.match(s):
            return True
        m = _BULLET.match(s) or _ORDERED.match(s)
        if m and s[m.end() :].strip():
            return not (m.re is _ORDERED and m.group(1) != "1")
        return False

    # -- main loop ---------------------------------------------------------------------
    def feed(self, line: Line) -> None:
        """Process one line."""
        t = line[2]
        if not self.stack:
            leaf = self.leaf
            if leaf == "fence":  # fast path: fence body at top level
                s = t.lstrip(" ")
                if not s or s[0] != self.fence[1] or len(t) - len(s) > 3:  # type: ignore[index]
                    self.body.append(line)
                    return
            elif leaf == "para" or not leaf or leaf == "code":
                # Fast paths: a line starting with a letter continues or opens a paragraph
                # (it can open no container or other leaf); a blank line ends a paragraph.
                c = t[:1]
                if c in _LETTERS:
                    if leaf == "para":
                        self.para.append(line)
                    else:
                        self.leaf = "para"
                        self.para = [line]
                    return
                if not c or (c in " \t" and t.isspace()):
                    if leaf == "para":
                        self.close_leaf()
                    return
        matched = 0
        for cont in self.stack:
            if cont.kind == "q":
                if _indent(line[2]) > 3:
                    break
                s = line[2].lstrip(" ")
                if not s.startswith(">"):
                    break
                k = len(line[2]) - len(s) + 1
                if s[1:2] in (" ", "\t"):
                    k += 1
                line = (line[0], line[1] + k, line[2][k:])
            else:
                t = line[2]
                if not t.strip():
                    if cont.blank_start:
                        break  # an item may begin with at most one blank line
                    line = (line[0], line[1], "")
                elif _indent(t) >= cont.width:
                    cont.blank_start = False
                    line = _strip(line, cont.width)
                else:
                    break
            matched += 1
        t = line[2]
        if matched < len(self.stack):
            if self.leaf == "para" and t.strip() and not self._starts_block(t):
                self.para.append(line)  # lazy continuation
                return
            self.close_leaf()
            del self.stack[matched:]

        # Leaves that swallow lines.
        if self.leaf == "fence":
            assert self.fence is not None
            _, ch, n, _, _ = self.fence
            if _indent(t) < 4:
                s = t.strip()
                if len(s) >= n and s == ch * len(s):
                    self.close_leaf()
                    return
            self.body.append(line)
            return
        if self.leaf == "code":
            if not t.strip() or _indent(t) >= 4:
                return
            self.leaf = ""
        elif self.leaf == "html":
            if self.end_re is None:
                if not t.strip():
                    self.close_leaf()
                    return
                self.body.append(line)
                return
            self.body.append(line)
            if self.end_re.search(t):
                self.close_leaf()
            return
        elif self.leaf == "math":
            if t.strip().endswith("$$") or _EQNO.match(t[::-1]):
                self.leaf = ""
            return
        elif self.leaf == "ams":
            if self.end_re is not None and self.end_re.search(t):
                self.leaf = ""
            return

        # New containers.
        while t[:1] not in _PLAIN:
            ind = _indent(t)
            if ind >= 4:
                break
            s = t.lstrip(" \t")
            if s.startswith(">"):
                self.close_leaf()
                k = len(t) - len(s) + 1
                if s[1:2] in (" ", "\t"):
                    k += 1
                line = (line[0], line[1] + k, t[k:])
                t = line[2]
                self.stack.append(_Container("q", 0))
                continue
            para = self.leaf == "para"
            if para and _SETEXT.match(s):
                break
            if s[:1] in "*-_" and _HR.match(s):
                break
            m = _BULLET.match(s) or _ORDERED.match(s)
            if m is not None:
                rest = s[m.end() :]
                if para and (not rest.strip() or (m.re is _ORDERED and m.group(1) != "1")):
                    break
                mw = ind + m.end()
                sp = _indent(rest) if rest.strip() else 0
                width = mw + (sp if 1 <= sp <= 4 else 1)
                self.close_leaf()
                self.stack.append(_Container("i", width, not rest.strip()))
                line = _strip(
                    (line[0], line[1] + (len(t) - len(s)) + m.end(), rest),
                    sp if 1 <= sp <= 4 else 1,
                )
                t = line[2]
                continue
            fm = _FOOTNOTE.match(s) if s[:2] == "[^" else None
            if fm is not None:
                self.close_leaf()
                self.stack.append(_Container("i", 4))
                k = len(t) - len(s) + fm.end()
                rest = t[k:]
                sk = len(rest) - len(rest.lstrip(" \t"))
                line = (line[0], line[1] + k + sk, rest[sk:])
                t = line[2]
                continue
            break
        self._leaf(line)

    def _leaf(self, line: Line) -> None:
        n, c, t = line
        if t[:1] in _BLANKS:
            if not t.strip():
                if self.leaf == "para":
                    self.close_leaf()
                return
            ind = _indent(t)
            if ind >= 4:
                if self.leaf == "para":
                    self.para.append(line)
                else:
                    self.leaf = "code"
                return
            s = t.lstrip(" \t")
            k = len(t) - len(s)
        else:
            ind = k = 0
            s = t
        ch = s[0]
        para = self.leaf == "para"
        if ch in "`~:":
            run = len(s) - len(s.lstrip(ch))
            info = s[run:]
            if run >= 3 and not (ch == "`" and "`" in info):
                self.close_leaf()
                self.leaf = "fence"
                self.fence = ((n, c + k, s), ch, run, ind, info.strip())
                return
        if ch == "$" and s.startswith("$$") and not para:
            st = s.strip()
            if len(st) > 3 and (st.endswith("$$") or _EQNO.match(st[::-1])):
                return
            if "$$" not in st[2:]:
                self.leaf = "math"
                return
        if ch == "%":
            self.close_leaf()
            return
        if ch == "+" and s.startswith("+++") and not s.strip("+ \t"):
            self.close_leaf()
            return
        if ch == "(":
            st = s.strip()
            if st.endswith(")=") and len(st) > 3:
                self.close_leaf()
                self.out.label(st[1:-2], n, c + k + 1)
                return
        if ch == "#":
            m = _ATX.match(s)
            if m:
                self.close_leaf()
                body = s[m.end() :]
                cm = _ATX_CLOSE.search(body)
                if cm:
                    body = body[: cm.start()]
                body = body.rstrip(" \t")
                self.out.heading(len(m.group(1)), [(n, c + k + m.end(), body)])
                return
        if ch in "=-" and para and _SETEXT.match(s):
            lines = self.out.take_definitions(self.para)
            self.para = []
            self.leaf = ""
            if lines:
                last = lines[-1]
                lines[-1] = (last[0], last[1], last[2].rstrip(" \t"))
                self.out.heading(1 if ch == "=" else 2, lines)
                return
            self.para = [line]
            self.leaf = "para"
            return
        if ch in "*-_" and _HR.match(s):
            self.close_leaf()
            return
        if ch == "<":
            hs = self._html_start(s, para)
            if hs is not None:
                end_re = hs[0]
                self.close_leaf()
                self.body = [line]
                self.end_re = end_re
                if end_re is not None and end_re.search(s):
                    self.out.html_block(self.body)
                    self.body = []
                    return
                self.leaf = "html"
                return
        if ch == "\\":
            am = _AMS_OPEN.match(s)
            if am:
                self.close_leaf()
                self.end_re = re.compile(r"\\end\{" + am.group(1) + re.escape(am.group(2)) + r"\}")
                if not self.end_re.search(s, am.end()):
                    self.leaf = "ams"
                return
        if para:
            self.para.append(line)
        else:
            self.leaf = "para"
            self.para = [line]

    def finish(self) -> None:
        """Close everything still open at the end of input."""
        self.close_leaf()
        self.stack.clear()


# A line starting with one of these chars can open no container.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ`:#(|{$%<!_=~")
# `t[:1]` of a line that may be blank (for `str.strip`) or indented: "" or a whitespace char.
_BLANKS = frozenset(
    [
        "",
        *(
            " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
            "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
        ),
    ]
)
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_EQNO = re.compile(r"^\s*\)([^)$\r\n]+?)\(\s*\${2}")


def scan_lines(lines: list[Line], collector: Collector) -> None:
    """Run a fresh block scanner over `lines`."""
    sc = BlockScanner(collector)
    feed = sc.feed
    i = 0
    n = len(lines)
    while i < n:
        if sc.leaf == "fence" and not sc.stack:
            # Top-level fence body, up to its closing line: a run of the fence char (at least
            # as long as the opening one) indented by at most 3 spaces, nothing else.
            _, ch, need, _, _ = sc.fence  # type: ignore[misc]
            j = i
            while j < n:
                t = lines[j][2]
                if t[:4].lstrip(" ")[:1] == ch:
                    s = t.strip()
                    if len(s) >= need and s == ch * len(s):
                        break
                j += 1
            sc.body.extend(lines[i:j])
            if j == n:
                break
            sc.close_leaf()
            i = j + 1
            continue
        feed(lines[i])
        i += 1
    sc.finish()


__all__ = ["BlockScanner", "Line", "html_hits", "scan_lines"]
