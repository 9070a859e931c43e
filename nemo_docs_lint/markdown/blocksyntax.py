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
# deflist's definition marker: `:` or `~`, blanks, then content.
DEFINITION = re.compile(r"[:~][ \t]+[^ \t]")
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
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
EQNO = re.compile(r"^\s*\)([^)$\r\n]+?)\(\s*\${2}")
# The same label read forwards: `$$ (label)` closing a math block.
EQUATION_LABEL = re.compile(r"\$\$\s*\(([^)$\r\n]+?)\)\s*$")


def html_block_start(s: str, para_open: bool) -> tuple[re.Pattern[str] | None] | None:
    """(end pattern,) of the HTML block `s` opens, or None (end None: ends at a blank line)."""
    for start, end, interrupts in HTML_BLOCKS:
        if start.match(s) and (interrupts or not para_open):
            return (end,)
    return None


def starts_block(
    t: str, in_item: bool = False, col: int = 0, lazy: bool = False, items: bool = True
) -> bool:
    """Would `t` (container prefixes removed) interrupt a paragraph? `in_item`: the
    paragraph is in a list item `t` does not continue, where any list item may start.
    `col`: the visual column of `t[0]`. `lazy`: `t` is less indented than that item (an
    amsmath environment cannot start there). `items`: False if no list item can start."""
    if indent_width(t, col) >= 4:
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
    if c == ":" and field_name_end(s):
        return True
    if c == "<" and html_block_start(s, True):
        return True
    if c == "[" and FOOTNOTE.match(s):
        return True
    if c == "\\" and AMS_OPEN.match(s):
        return not lazy
    m = (BULLET.match(s) or ORDERED.match(s)) if items else None
    if m is None:
        return False
    if in_item:
        return True
    return bool(s[m.end() :].strip(" \t")) and not (m.re is ORDERED and m.group(1) != "1")


# markdown-it's MD_TRIM_CHARS (mdTrim) and the delimiter row's cell pattern.
_MD_TRIM = " \t\n\r\f\v"
_DELIMITER_CELL = re.compile(r":?-+:?")


def table_delimiter_columns(t: str) -> int:
    """The number of columns of the table delimiter row `t` (`|---|:-:|`), or 0."""
    s = t.lstrip(" \t")
    if len(s) < 2 or s[0] not in "|-:" or s[1] not in "|-: \t" or (s[0] == "-" and s[1] in " \t"):
        return 0
    if s.strip("|-: \t"):
        return 0
    columns = s.split("|")
    count = 0
    for i, col in enumerate(columns):
        c = col.strip(_MD_TRIM)
        if not c:
            if i == 0 or i == len(columns) - 1:
                continue
            return 0
        if not _DELIMITER_CELL.fullmatch(c):
            return 0
        count += 1
    return count


def table_cells(t: str) -> list[tuple[int, str]]:
    """The cells of table row `t` as markdown-it splits them (on unescaped `|`, enclosing
    pipes dropped): (offset of the cell's trimmed text in `t`, that text)."""
    base = len(t) - len(t.lstrip(_MD_TRIM))
    row = t.strip(_MD_TRIM)
    pieces: list[tuple[int, int]] = []
    start = 0
    escaped = False
    for pos, ch in enumerate(row):
        if ch == "|" and not escaped:
            pieces.append((start, pos))
            start = pos + 1
        escaped = ch == "\\"
    pieces.append((start, len(row)))
    if pieces[0][0] == pieces[0][1]:
        pieces.pop(0)
    if pieces and pieces[-1][0] == pieces[-1][1]:
        pieces.pop()
    cells = []
    for a, b in pieces:
        cell = row[a:b]
        text = cell.strip(_MD_TRIM)
        cells.append((base + a + len(cell) - len(cell.lstrip(_MD_TRIM)), text))
    return cells


def field_name_end(s: str) -> int:
    """The index after the `:name:` marker opening `s` (a fieldlist item), or 0."""
    if not s.startswith(":"):
        return 0
    k = s.find(":", 1)
    if k < 0 or not s[1:k].strip():
        return 0
    return k + 1
