"""Line classification for the block scanner: which block a line opens or continues.

Pure functions and patterns over one line's text (container markers already removed),
following markdown-it's block rules and the MyST plugins' (targets, comments, math, fences).
"""

from __future__ import annotations

import re

from .inline import OPEN_CLOSE_TAG_LINE_RE
from .syntax import indent_width

BULLET = re.compile(r"([-+*])(?=[ \t]|$)")
ORDERED = re.compile(r"([0-9]{1,9})([.)])(?=[ \t]|$)")
HR = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
ATX = re.compile(r"(#{1,6})(?:[ \t]+|$)")
ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
SETEXT = re.compile(r"(=+|-+)[ \t]*$")
FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]:")
BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
# (start, end, can interrupt a paragraph); end None = ends at a blank line.
HTML_BLOCKS: tuple[tuple[re.Pattern[str], re.Pattern[str] | None, bool], ...] = (
    (
        re.compile(r"<(?:script|pre|style|textarea)(?=\s|>|$)", re.I),
        re.compile(r"</(?:script|pre|style|textarea)>", re.I),
        True,
    ),
    (re.compile(r"<!--"), re.compile(r"-->"), True),
    (re.compile(r"<\?"), re.compile(r"\?>"), True),
    (re.compile(r"<![A-Za-z]"), re.compile(r">"), True),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>"), True),
    (re.compile(r"</?(?:" + BLOCK_NAMES + r")(?=\s|/?>|$)", re.I), None, True),
    (OPEN_CLOSE_TAG_LINE_RE, None, False),
)
AMS_OPEN = re.compile(
    r"\\begin\{(equation|multline|gather|align|alignat|flalign|matrix|pmatrix|bmatrix|"
    r"Bmatrix|vmatrix|Vmatrix|eqnarray)(\*?)\}"
)


# A line starting with one of these chars can open no container.
PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ`:#(|{$%<!_=~")
# `t[:1]` of a line that may be blank (for `str.strip`) or indented: "" or a whitespace char.
BLANKS = frozenset(
    [
        "",
        *(
            " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
            "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
        ),
    ]
)
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
EQNO = re.compile(r"^\s*\)([^)$\r\n]+?)\(\s*\${2}")
# The same label read forwards: `$$ (label)` closing a math block.
EQUATION_LABEL = re.compile(r"\$\$\s*\(([^)$\r\n]+?)\)\s*$")


def quote_marker(t: str) -> int:
    """Length of the `>` marker (with its optional following blank) opening `t`, or 0."""
    s = t.lstrip(" ")
    if not s.startswith(">"):
        return 0
    k = len(t) - len(s) + 1
    if s[1:2] in (" ", "\t"):
        k += 1
    return k


def html_block_start(s: str, para_open: bool) -> tuple[re.Pattern[str] | None] | None:
    """(end pattern,) of the HTML block `s` opens, or None (end None: ends at a blank line)."""
    for start, end, interrupts in HTML_BLOCKS:
        if start.match(s) and (interrupts or not para_open):
            return (end,)
    return None


def starts_block(t: str) -> bool:
    """Would `t` (container prefixes removed) interrupt a paragraph?"""
    if indent_width(t) >= 4:
        return False
    s = t.lstrip(" \t")
    if not s:
        return True
    c = s[0]
    if c == ">" or c == "%" or (c == "#" and ATX.match(s)):
        return True
    if c in "`~:" and s.startswith(c * 3) and not (c == "`" and "`" in s.lstrip("`")):
        return True
    if c in "*-_" and HR.match(s):
        return True
    if c == "+" and s.startswith("+++") and not s.strip("+ \t"):
        return True
    if c == "(" and s.rstrip().endswith(")=") and len(s.rstrip()) > 3:
        return True
    if c == "<" and html_block_start(s, True):
        return True
    if c == "[" and FOOTNOTE.match(s):
        return True
    if c == "\\" and AMS_OPEN.match(s):
        return True
    m = BULLET.match(s) or ORDERED.match(s)
    if m and s[m.end() :].strip():
        return not (m.re is ORDERED and m.group(1) != "1")
    return False
