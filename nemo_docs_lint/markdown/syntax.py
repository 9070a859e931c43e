"""Syntax helpers shared by the scanner modules: line records and CommonMark primitives.

Everything here is pure (strings in, positions out) and mirrors the markdown-it-py helper of
the same job (`parseLinkDestination`, `parseLinkTitle`, `normalizeReference`, ...).
"""

from __future__ import annotations

import re
from typing import NamedTuple

# One source line: (1-based line number, 0-based column of text[0] in the original line, text).
Line = tuple[int, int, str]

ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

_WS_RE = re.compile(r"\s+")


class Fence(NamedTuple):
    """The opening line of a fenced block (backtick, tilde or colon fence)."""

    line: Line  # the opening line, text starting at the fence run
    char: str  # "`", "~" or ":"
    run: int  # length of the opening run
    indent: int  # columns of indentation before the run
    info: str  # info string, stripped


def indent_width(t: str, col: int = 0) -> int:
    """Width of leading blanks of `t` whose first char is at visual column `col` (a tab
    goes to the next multiple of 4)."""
    w = 0
    for ch in t:
        if ch == " ":
            w += 1
        elif ch == "\t":
            w += 4 - (col + w) % 4
        else:
            break
    return w


def strip_columns(line: Line, cols: int, col: int = 0) -> Line:
    """Drop up to `cols` columns of leading blanks from a line whose text starts at visual
    column `col`; a tab only partly dropped leaves its other columns as spaces."""
    n, c, t = line
    w = i = 0
    while i < len(t) and w < cols and t[i] in " \t":
        if t[i] == " ":
            w += 1
        else:
            tw = 4 - (col + w) % 4
            if w + tw > cols:
                over = w + tw - cols
                return (n, c + i + 1 - over, " " * over + t[i + 1 :])
            w += tw
        i += 1
    return (n, c + i, t[i:])


def expand_leading_tabs(line: Line, col: int) -> Line:
    """`line` (text at visual column `col`) with tabs in its leading blanks made spaces."""
    n, c, t = line
    s = t.lstrip(" \t")
    lead = len(t) - len(s)
    if "\t" not in t[:lead]:
        return line
    width = indent_width(t, col)
    return (n, c + lead - width, " " * width + s)


def strip_spaces(line: Line, cols: int) -> Line:
    """Drop up to `cols` leading spaces (not tabs)."""
    n, c, t = line
    i = 0
    while i < len(t) and i < cols and t[i] == " ":
        i += 1
    return (n, c + i, t[i:])


def lstrip_lines(lines: list[Line]) -> list[Line]:
    """Each line with its leading spaces and tabs removed (columns kept)."""
    out = []
    for n, c, t in lines:
        s = t.lstrip(" \t")
        out.append((n, c + len(t) - len(s), s))
    return out


def normalize_label(label: str) -> str:
    """markdown-it's normalizeReference."""
    return _WS_RE.sub(" ", label.strip()).lower().upper()


def backtick_end(src: str, i: int) -> int:
    """End of the code span starting at `i`, or of the literal backtick run if unclosed."""
    n = len(src)
    j = i
    while j < n and src[j] == "`":
        j += 1
    run = j - i
    k = j
    while True:
        k = src.find("`", k)
        if k < 0:
            return j
        e = k
        while e < n and src[e] == "`":
            e += 1
        if e - k == run:
            return e
        k = e


def escaped(src: str, i: int) -> bool:
    """True if the char at `i` is preceded by an odd number of backslashes."""
    b = 0
    while i - b - 1 >= 0 and src[i - b - 1] == "\\":
        b += 1
    return b % 2 == 1


def skip_blanks(src: str, pos: int, end: int) -> int:
    """First position at or after `pos` that is not a space, tab or newline."""
    while pos < end and src[pos] in " \n\t":
        pos += 1
    return pos


def link_destination(src: str, pos: int, end: int) -> tuple[int, int, int] | None:
    """markdown-it parseLinkDestination: (next_pos, target_start, target_end) or None."""
    if pos < end and src[pos] == "<":
        p = pos + 1
        while p < end:
            c = src[p]
            if c == "\n" or c == "<":
                return None
            if c == ">":
                return p + 1, pos + 1, p
            if c == "\\" and p + 1 < end:
                p += 2
                continue
            p += 1
        return None
    p = pos
    level = 0
    while p < end:
        c = src[p]
        if c == " " or ord(c) < 0x20 or c == "\x7f":
            break
        if c == "\\" and p + 1 < end:
            if src[p + 1] == " ":
                break
            p += 2
            continue
        if c == "(":
            level += 1
            if level > 32:
                return None
        elif c == ")":
            if level == 0:
                break
            level -= 1
        p += 1
    if p == pos or level != 0:
        return None
    return p, pos, p


# markdown-it's validateLink (its BAD_PROTO_RE and GOOD_DATA_RE), on a destination whose
# normalisation (percent-encoding) leaves such a scheme as written; ASCII letters only.
_BAD_PROTO = re.compile(r"[ \t\n\r\v\f]*(?:vbscript|javascript|file|data):", re.I | re.A)
_GOOD_DATA = re.compile(r"[ \t\n\r\v\f]*data:image/(?:gif|png|jpeg|webp);", re.I | re.A)


def valid_link(dest: str, unescape: bool = True) -> bool:
    """markdown-it's validateLink of a destination as written (`unescape`: its backslash
    escapes and character references decoded first, as in links and definitions; an
    autolink takes neither): no `javascript:`, `vbscript:`, `file:` or non-image `data:`."""
    if unescape and "&" in dest.partition(":")[0]:  # (an entity may make the scheme)
        from markdown_it.common.utils import unescapeAll  # (rare: a character reference)

        dest = unescapeAll(dest)
    elif unescape and "\\" in dest:
        dest = _ESCAPE.sub(r"\1", dest)
    return _BAD_PROTO.match(dest) is None or _GOOD_DATA.match(dest) is not None


_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def link_title(src: str, pos: int, end: int) -> int:
    """markdown-it parseLinkTitle: end of a link title at `pos`, or -1."""
    if pos >= end:
        return -1
    c = src[pos]
    if c not in "\"'(":
        return -1
    close = ")" if c == "(" else c
    p = pos + 1
    while p < end:
        ch = src[p]
        if ch == close:
            return p + 1
        if ch == "(" and close == ")":
            return -1
        if ch == "\\" and p + 1 < end:
            p += 2
            continue
        p += 1
    return -1


# Sphinx's explicit_title_re: `title <target>`, the space before `<` optional.
EXPLICIT_TITLE = re.compile(r"^(.+?)\s*(?<!\x00)<([^<]*?)>$", re.DOTALL)


def role_title(content: str, target_offset: int) -> tuple[int, int] | None:
    """Where the explicit title of role content `title <target>` stands in `content` (the
    target starting at `target_offset`), or None when it has none."""
    title = content[:target_offset].rstrip(" \n<")
    lead = len(title) - len(title.lstrip())
    return (lead, len(title)) if title.strip() else None


def role_target(content: str, start: int) -> tuple[str, int]:
    """The target part of role content `text <target>` / `text<target>` (or the whole), with
    its offset."""
    m = EXPLICIT_TITLE.match(content)
    if m:
        return m.group(2), start + m.start(2)
    lead = len(content) - len(content.lstrip())
    return content.strip(), start + lead
