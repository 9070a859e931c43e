"""Inline scanner: links, images, autolinks, MyST roles and inline HTML in one paragraph.

It mirrors the precedence of markdown-it-py's inline rules as MyST configures them
(``math_inline`` > ``escape`` > ``myst_role`` > ``backticks`` > ``link``/``image`` >
``autolink`` > ``html_inline``) but produces only what the linter needs: raw hits with
character offsets into the paragraph source. Emphasis, entities and text are skipped.
"""

from __future__ import annotations

import re

from .syntax import (
    ASCII_PUNCT,
    EXPLICIT_TITLE,
    backtick_end,
    escaped,
    link_destination,
    link_title,
    role_target,
    skip_blanks,
)

# A hit: (kind, target, start, end) with offsets into the scanned source; kind is a RefKind value.
Hit = tuple[str, str, int, int]

_SPECIAL = re.compile(r"[\\`<\[!{$]")
_ROLE_NAME = re.compile(r"\{([a-zA-Z0-9_\-+:]+)\}")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]{1,31}:[^<>\x00-\x20]*)>")
_EMAIL = re.compile(
    r"<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>"
)
_ATTR_NAME = "[a-zA-Z_:][a-zA-Z0-9:._-]*"
_ATTR_VALUE = "(?:[^\"'=<>`\\x00-\\x20]+|'[^']*'|\"[^\"]*\")"
_ATTRIBUTE = "(?:\\s+" + _ATTR_NAME + "(?:\\s*=\\s*" + _ATTR_VALUE + ")?)"
_OPEN_TAG = "<[A-Za-z][A-Za-z0-9\\-]*" + _ATTRIBUTE + "*\\s*\\/?>"
_CLOSE_TAG = "<\\/[A-Za-z][A-Za-z0-9\\-]*\\s*>"
_COMMENT = "<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->"
HTML_TAG_RE = re.compile(
    "(?:"
    + "|".join(
        (
            _OPEN_TAG,
            _CLOSE_TAG,
            _COMMENT,
            "<[?][\\s\\S]*?[?]>",
            "<![A-Za-z][^>]*>",
            "<!\\[CDATA\\[[\\s\\S]*?\\]\\]>",
        )
    )
    + ")"
)
OPEN_CLOSE_TAG_LINE_RE = re.compile("^(?:" + _OPEN_TAG + "|" + _CLOSE_TAG + ")\\s*$")

# Inside raw HTML (inline or block): comments, <a href> and <img src>.
_HTML_ITEM = re.compile(
    r"<!--(.*?)-->|<(a|img)\b([^>]*)>",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ATTR = re.compile(
    r"""\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)


def html_hits(html: str, base: int, hits: list[Hit], comments: list[Hit]) -> None:
    """Collect `<a href>`, `<img src>` and `<!-- comments -->` from raw HTML text."""
    if "<" not in html:
        return
    for m in _HTML_ITEM.finditer(html):
        if m.group(2) is None:
            comments.append(("comment", m.group(1), base + m.start(), base + m.end()))
            continue
        tag = m.group(2).lower()
        want = "href" if tag == "a" else "src"
        for a in _HTML_ATTR.finditer(m.group(3)):
            if a.group(1).lower() != want:
                continue
            g = 2 if a.group(2) is not None else 3 if a.group(3) is not None else 4
            start = base + m.start(3) + a.start(g)
            kind = "html-link" if tag == "a" else "html-image"
            hits.append((kind, a.group(g), start, start + len(a.group(g))))
            break


def _math(src: str, i: int) -> int:
    """End of dollarmath inline math at `i` (MyST defaults), or -1."""
    if escaped(src, i) or i + 1 >= len(src):
        return -1
    pos = i + 1
    while True:
        end = src.find("$", pos)
        if end < 0:
            return -1
        if escaped(src, end):
            pos = end + 1
            continue
        break
    return end + 1 if end > i + 1 else -1


def _role(src: str, i: int) -> tuple[int, str, int, int] | None:
    """Parse ``{name}`content``` at `i`: (end, name, content_start, content_end)."""
    m = _ROLE_NAME.match(src, i)
    if not m:
        return None
    start = pos = m.end()
    n = len(src)
    while pos < n and src[pos] == "`":
        pos += 1
    ticks = pos - start
    if not ticks or pos >= n:
        return None
    k = src.find("`" * ticks, pos + 1)
    if k < 0:
        return None
    return k + ticks, m.group(1), pos, k


def _html(src: str, i: int) -> int:
    """End of an inline HTML tag/comment at `i`, or -1."""
    if i + 1 >= len(src) or not (
        src[i + 1].isascii() and (src[i + 1].isalpha() or src[i + 1] in "/!?")
    ):
        return -1
    m = HTML_TAG_RE.match(src, i)
    return m.end() if m else -1


def _inline_link(src: str, pos: int, end: int) -> tuple[int, int, int] | None:
    """Parse `(dest "title")` at `pos` (which holds '('): (end, tstart, tend) or None."""
    p = skip_blanks(src, pos + 1, end)
    if p >= end:
        return None
    tstart = tend = p
    d = link_destination(src, p, end)
    if d is not None:
        p, tstart, tend = d
        start = p
        p = skip_blanks(src, p, end)
        if p < end and start != p:
            t = link_title(src, p, end)
            if t >= 0:
                p = skip_blanks(src, t, end)
            else:
                p = start
                p = skip_blanks(src, p, end)
    if p >= end or src[p] != ")":
        return None
    return p + 1, tstart, tend


def _label_end(src: str, start: int, end: int, nested: bool) -> int:
    """markdown-it parseLinkLabel: index of the closing ']' or -1."""
    level = 1
    pos = start + 1
    while pos < end:
        c = src[pos]
        if c == "]":
            level -= 1
            if level == 0:
                return pos
        prev = pos
        pos = _skip(src, pos, end)
        if c == "[":
            if prev == pos - 1:
                level += 1
            elif not nested:
                return -1
    return -1


def parse_link(src: str, i: int, end: int, image: bool) -> tuple[int, int, int, int] | None:
    """An inline link/image whose '[' is at `i`: (end, label_end, tstart, tend) or None."""
    le = _label_end(src, i, end, image)
    if le < 0 or le + 1 >= end or src[le + 1] != "(":
        return None
    r = _inline_link(src, le + 1, end)
    if r is None:
        return None
    return r[0], le, r[1], r[2]


def _skip(src: str, i: int, end: int) -> int:
    """Position after the inline token starting at `i` (markdown-it's skipToken)."""
    c = src[i]
    if c == "\\":
        return i + 2 if i + 1 < end and src[i + 1] in ASCII_PUNCT else i + 1
    if c == "$":
        e = _math(src, i)
        return e if e > 0 else i + 1
    if c == "{":
        r = _role(src, i)
        if r:
            return r[0]
        if src.startswith("{{", i):
            k = src.find("}}", i + 2)
            return k + 2 if k > 0 else i + 1
        return i + 1
    if c == "`":
        return backtick_end(src, i)
    if c == "[":
        lk = parse_link(src, i, end, False)
        return lk[0] if lk else i + 1
    if c == "!" and i + 1 < end and src[i + 1] == "[":
        lk = parse_link(src, i + 1, end, True)
        return lk[0] if lk else i + 1
    if c == "<":
        m = _AUTOLINK.match(src, i) or _EMAIL.match(src, i)
        if m:
            return m.end()
        e = _html(src, i)
        return e if e > 0 else i + 1
    return i + 1


# attrs_inline: `[text]{#id .class}` spans and `{...}` right after a link or image.
_SPAN = re.compile(r"\[((?:[^\[\]\\\n]|\\.)*)\]\{([^{}\n]*)\}")
_ATTRS = re.compile(r"\{([^{}\n]*)\}")
ATTR_ID = re.compile(r"(?:^|\s)#([^\s}#.]+)")
BLOCK_ATTRS = re.compile(r"[ \t]*\{([^{}\n]*)\}[ \t]*$")
GLOSSARY_CLASS = re.compile(r"(?:^|\s)\.glossary(?:\s|$)")
_EXTERNAL = re.compile(r"(?:^|\s)\.external(?:\s|$)")


def _attrs(src: str, i: int, hits: list[Hit], link: int | None = None) -> int:
    """An attribute block at `src[i]`: its `#id` becomes an "attr" hit (a label); with
    `.external`, the link hit `hits[link]` becomes "link-external". Returns the end."""
    m = _ATTRS.match(src, i)
    if m is None:
        return i
    body = m.group(1)
    found = ATTR_ID.search(body)
    if found:
        hits.append(
            ("attr", found.group(1), m.start(1) + found.start(1), m.start(1) + found.end(1))
        )
    if link is not None and _EXTERNAL.search(body):
        _, target, a, b = hits[link]
        hits[link] = ("link-external", target, a, b)
    return m.end()


# Roles whose content is a target (hit kinds are `RefKind` values).
ROLE_KINDS = {
    "ref": "ref",
    "doc": "doc",
    "download": "download",
    "term": "term",
    "numref": "numref",
    "eq": "eq",
    "any": "any",
    "std:ref": "ref",
    "std:doc": "doc",
    "std:term": "term",
    "math:numref": "eq",
}


def scan_inline(
    src: str, hits: list[Hit], comments: list[Hit], pos: int = 0, end: int | None = None
) -> None:
    """Append link-like hits and HTML comments found in `src[pos:end]`."""
    if end is None:
        end = len(src)
    search = _SPECIAL.search
    while True:
        m = search(src, pos, end)
        if m is None:
            return
        i = m.start()
        c = src[i]
        if c == "[" or (c == "!" and i + 1 < end and src[i + 1] == "["):
            image = c == "!"
            r = parse_link(src, i + 1 if image else i, end, image)
            if r is None:
                span = None if image else _SPAN.match(src, i, end)
                if span is None:
                    pos = i + 1
                    continue
                scan_inline(src, hits, comments, i + 1, span.end(1))
                _attrs(src, span.start(2) - 1, hits)
                pos = span.end()
                continue
            stop, le, ts, te = r
            at = len(hits)
            hits.append(("image" if image else "link", src[ts:te], ts, te))
            if not image:
                scan_inline(src, hits, comments, i + 1, le)
            pos = stop
            if stop < end and src[stop] == "{":
                pos = _attrs(src, stop, hits, None if image else at)
            continue
        if c == "<":
            am = _AUTOLINK.match(src, i)
            if am:
                target = am.group(1)
                kind = "link" if target.startswith(("project:", "path:")) else "autolink"
                hits.append((kind, target, i + 1, am.end() - 1))
                pos = am.end()
                continue
            em = _EMAIL.match(src, i)
            if em:
                pos = em.end()
                continue
            e = _html(src, i)
            if e > 0:
                html_hits(src[i:e], i, hits, comments)
                pos = e
                continue
            pos = i + 1
            continue
        if c == "{":
            r2 = _role(src, i)
            if r2 is not None:
                stop, name, cs, ce = r2
                role_kind = ROLE_KINDS.get(name)
                if role_kind is not None:
                    target, ts = role_target(src[cs:ce], cs)
                    if EXPLICIT_TITLE.match(src[cs:ce]):
                        role_kind += "+title"
                    hits.append((role_kind, target, ts, ts + len(target)))
                pos = stop
                continue
        pos = _skip(src, i, end)
