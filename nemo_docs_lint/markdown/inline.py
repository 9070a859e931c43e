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
    normalize_label,
    role_target,
    role_title,
    skip_blanks,
    valid_link,
)

# A hit: (kind, target, start, end) with offsets into the scanned source; kind is a RefKind value.
Hit = tuple[str, str, int, int, int, int]

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
_HTML_START = re.compile(r"<!--|<(a|img)\b", re.IGNORECASE)
_HTML_TAG_REST = re.compile(r"([^>]*)>")
_HTML_ATTR = re.compile(
    r"""\s(href|src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)


def html_hits(html: str, base: int, hits: list[Hit], comments: list[Hit]) -> None:
    """Collect `<a href>`, `<img src>` and `<!-- comments -->` from raw HTML text.

    Linear: a comment or tag with no closer anywhere after it is skipped without a scan.
    """
    if "<" not in html:
        return
    last_comment_end = html.rfind("-->")
    last_gt = html.rfind(">")
    pos = 0
    while (m := _HTML_START.search(html, pos)) is not None:
        i = m.start()
        if m.group(1) is None:  # a comment
            e = html.find("-->", i + 4) if last_comment_end >= i + 4 else -1
            if e < 0:
                pos = i + 4
                continue
            comments.append(("comment", html[i + 4 : e], base + i, base + e + 3, -1, -1))
            pos = e + 3
            continue
        if last_gt < i:
            return  # neither a tag nor a comment can close any more
        tm = _HTML_TAG_REST.match(html, m.end())
        assert tm is not None  # `[^>]*>` with a '>' ahead
        _tag_target(m.group(1).lower(), tm, base, hits)
        pos = tm.end()


def _tag_target(tag: str, m: re.Match[str], base: int, hits: list[Hit]) -> None:
    """The `href` of an `<a>`, or the `src` and `alt` of an `<img>`, whose attributes `m`
    matched (the first of each attribute counts, as in a browser)."""
    want = "href" if tag == "a" else "src"
    found: dict[str, tuple[str, int]] = {}
    for a in _HTML_ATTR.finditer(m.group(1)):
        name = a.group(1).lower()
        if name in found or (name == "alt" and tag == "a"):
            continue
        g = 2 if a.group(2) is not None else 3 if a.group(3) is not None else 4
        found[name] = (a.group(g), base + m.start(1) + a.start(g))
    if want in found:
        target, start = found[want]
        alt, alt_start = found.get("alt", ("", -1))
        alt_end = alt_start + len(alt) if alt_start >= 0 else -1
        kind = "html-link" if tag == "a" else "html-image"
        hits.append((kind, target, start, start + len(target), alt_start, alt_end))


def _math(src: str, i: int) -> int:
    """End of dollarmath inline math at `i` (MyST defaults), or -1."""
    if escaped(src, i) or i + 1 >= len(src):
        return -1
    if i < 64 and not src[:i].strip() and src.rstrip().endswith("\\"):
        # mdit_py_plugins' backslash count before the text's first char wraps around to its
        # last char: a `$` opening the text is escaped if the text ends in a backslash
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


# Inline HTML that needs a closing string: (opening, closer, where the closer may start).
_HTML_CLOSERS = (("<!--", "-->", 4), ("<?", "?>", 2), ("<![CDATA[", "]]>", 9), ("<", ">", 1))


def _html(src: str, i: int, last: dict[str, int]) -> int:
    """End of an inline HTML tag/comment at `i`, or -1. `last`: a paragraph's memo of the
    last index of each closer, so an unclosed `<!--` or `<?` costs no scan to the end."""
    if i + 1 >= len(src) or not (
        src[i + 1].isascii() and (src[i + 1].isalpha() or src[i + 1] in "/!?")
    ):
        return -1
    if not src.startswith(("<!-->", "<!--->"), i):
        for opening, closer, skip in _HTML_CLOSERS:
            if src.startswith(opening, i):
                at = last.get(closer)
                if at is None:
                    at = last[closer] = src.rfind(closer)
                if at < i + skip:
                    return -1
                break
    m = HTML_TAG_RE.match(src, i)
    return m.end() if m else -1


def _inline_link(src: str, pos: int, end: int) -> tuple[int, int, int]:
    """Parse `(dest "title")` at `pos` (which holds '('): (end, tstart, tend), or on failure
    (-1, where markdown-it's link rule tries a reference label next, 0), -1 there meaning
    it tries none (nothing but blanks after the '(')."""
    p = skip_blanks(src, pos + 1, end)
    if p >= end:
        return -1, -1, 0
    tstart = tend = p
    d = link_destination(src, p, end)
    if d is not None and valid_link(src[d[1] : d[2]]):
        p, tstart, tend = d
        start = p
        p = skip_blanks(src, p, end)
        if p < end and start != p:
            t = link_title(src, p, end)
            if t >= 0:
                p = skip_blanks(src, t, end)
    if p >= end or src[p] != ")":
        return -1, p + 1, 0
    return p + 1, tstart, tend


# markdown-it's commonmark preset `maxNesting`: skipToken runs no rule this deep (it jumps
# to the end of the text), which also bounds the recursion of nested brackets.
_MAX_NESTING = 20
# Where markdown-it's `text` rule stops (its isTerminatorChar).
_TEXT_END = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~]")
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

# attrs_inline: `[text]{#id .class}` spans and `{...}` right after a link or image.
_ATTRS = re.compile(r"\{([^{}\n]*)\}")
ATTR_ID = re.compile(r"(?:^|\s)#([^\s}#.]+)")
BLOCK_ATTRS = re.compile(r"[ \t]*\{([^{}\n]*)\}[ \t]*$")
GLOSSARY_CLASS = re.compile(r"(?:^|\s)\.glossary(?:\s|$)")
_EXTERNAL = re.compile(r"(?:^|\s)\.external(?:\s|$)")


def _attrs(
    src: str, i: int, hits: list[Hit], link: int | None = None, at: int | None = None
) -> int:
    """An attribute block at `src[i]`: its `#id` becomes an "attr" hit (a label), put at
    `hits[at]` (default: last); with `.external`, the link hit `hits[link]` becomes
    "link-external". Returns the end."""
    m = _ATTRS.match(src, i)
    if m is None:
        return i
    body = m.group(1)
    found = ATTR_ID.search(body)
    if found:
        start = m.start(1)
        hit = ("attr", found.group(1), start + found.start(1), start + found.end(1), -1, -1)
        hits.insert(len(hits) if at is None else at, hit)
    if link is not None and _EXTERNAL.search(body):
        _, target, a, b, ta, tb = hits[link]
        hits[link] = ("link-external", target, a, b, ta, tb)
    return m.end()


def _simple_token_end(src: str, i: int, end: int, last: dict[str, int]) -> int:
    """End of the token at `i` for the rules that cannot contain a link label."""
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
    if c == "<":
        m = _AUTOLINK.match(src, i)
        if (m and valid_link(m.group(1), False)) or (m := _EMAIL.match(src, i)):
            return m.end()
        e = _html(src, i, last)
        return e if e > 0 else i + 1
    if c in _TERMINATORS:
        return i + 1
    m = _TEXT_END.search(src, i + 1, end)
    return m.start() if m else end


_TERMINATORS = frozenset("\n!#$%&*+-:<=>@[\\]^_`{}~")
_NO_REFS: dict[str, int] = {}


class _Inline:
    """markdown-it's inline state for one paragraph, as far as link matching needs it.

    `skip` is skipToken with its position cache and nesting limit: every position's token
    end is computed once, and label scans nest at most `_MAX_NESTING` deep, so scanning is
    linear in the paragraph and bounded in recursion, with markdown-it's results.
    `refs` maps the normalised labels of link reference definitions to the first body
    (see `collect.Collector.first_body`) defining each: in body `body`, `[text][label]`,
    `[label][]` and `[label]` are links when their label's body is at most `body`.
    """

    __slots__ = ("body", "cache", "last", "level", "refs", "src")

    def __init__(self, src: str, refs: dict[str, int] = _NO_REFS, body: int = 0) -> None:
        self.src = src
        self.refs = refs
        self.body = body
        self.cache: dict[int, int] = {}
        self.level = 0
        self.last: dict[str, int] = {}  # last index of each HTML closer, see `_html`

    def skip(self, pos: int, end: int) -> int:
        """Position after the token at `pos` (markdown-it's skipToken)."""
        r = self.cache.get(pos)
        if r is not None:
            return r
        if self.level < _MAX_NESTING:
            self.level += 1
            r = self.token_end(pos, end)
            self.level -= 1
        else:
            r = end + 1  # too deep: markdown-it skips to the end of the text
        self.cache[pos] = r
        return r

    def token_end(self, i: int, end: int) -> int:
        """Position after the token at `i`, the rules run in validation mode."""
        src = self.src
        c = src[i]
        if c == "[":
            lk = self.link(i, end, False)
            if lk:
                return lk[0]
            sp = self.span(i, end)
            return sp[1] if sp else i + 1
        if c == "!" and i + 1 < end and src[i + 1] == "[":
            lk = self.link(i + 1, end, True)
            return lk[0] if lk else i + 1
        return _simple_token_end(src, i, end, self.last)

    def label_end(self, start: int, end: int, nested: bool) -> int:
        """markdown-it parseLinkLabel: index of the closing ']' or -1."""
        src = self.src
        level = 1
        pos = start + 1
        while pos < end:
            c = src[pos]
            if c == "]":
                level -= 1
                if level == 0:
                    return pos
            prev = pos
            pos = self.skip(pos, end)
            if c == "[":
                if prev == pos - 1:
                    level += 1
                elif not nested:
                    return -1
        return -1

    def link(self, i: int, end: int, image: bool) -> tuple[int, int, int, int] | None:
        """A link/image whose '[' is at `i`: (end, label_end, tstart, tend), tstart -1 for
        a reference-style one (markdown-it's link and image rules), or None."""
        src = self.src
        le = self.label_end(i, end, image)
        if le < 0:
            return None
        pos = le + 1
        if pos < end and src[pos] == "(":
            stop, ts, te = _inline_link(src, pos, end)
            if stop >= 0:
                return stop, le, ts, te
            if image or ts < 0:
                return None  # (an image tries no reference after a '(')
            pos = ts  # markdown-it goes on where the inline link failed, plus one
        if not self.refs:
            return None
        label = ""
        stop = le + 1
        if pos < end and src[pos] == "[":
            e = self.label_end(pos, end, True)
            if e >= 0:
                label, stop = src[pos + 1 : e], e + 1
        if self.refs.get(normalize_label(label or src[i + 1 : le]), self.body + 1) > self.body:
            return None
        return stop, le, -1, -1

    def span(self, i: int, end: int) -> tuple[int, int] | None:
        """attrs_inline's span rule, tried where a link at `i` is not: `[text]{attrs}`,
        (label_end, end) or None. Its label scan lets links nest, so it reaches (and caches)
        positions a link's does not, as markdown-it's does."""
        le = self.label_end(i, end, True)
        if le < 0 or le + 1 >= end:
            return None
        m = _ATTRS.match(self.src, le + 1)
        return (le, m.end()) if m and m.end() <= end else None

    def scan(self, pos: int, end: int, hits: list[Hit], comments: list[Hit]) -> None:
        """Append link-like hits and HTML comments found in `src[pos:end]` (tokenize)."""
        src = self.src
        search = _SPECIAL.search
        while True:
            m = search(src, pos, end)
            if m is None:
                return
            i = m.start()
            c = src[i]
            if c == "[" or (c == "!" and i + 1 < end and src[i + 1] == "["):
                pos = self._link_hit(i, end, c == "!", hits, comments)
            elif c == "<":
                pos = _angle_hit(src, i, hits, comments, self.last)
            elif c == "{" and (r := _role(src, i)) is not None:
                stop, name, cs, ce = r
                role_kind = ROLE_KINDS.get(name)
                if role_kind is not None:
                    target, ts = role_target(src[cs:ce], cs)
                    if "\n" in target:
                        target = target.replace("\n", " ")  # (as myst_role reads it)
                    if EXPLICIT_TITLE.match(src[cs:ce]):
                        role_kind += "+title"
                    title = role_title(src[cs:ce], ts - cs)
                    a, b = (cs + title[0], cs + title[1]) if title else (-1, -1)
                    hits.append((role_kind, target, ts, ts + len(target), a, b))
                pos = stop
            else:
                pos = _simple_token_end(src, i, end, self.last)

    def _link_hit(self, i: int, end: int, image: bool, hits: list[Hit], comments: list[Hit]) -> int:
        """The link or image at `i` (its text tokenized too); the position after it."""
        src = self.src
        r = self.link(i + 1 if image else i, end, image)
        if r is None:
            sp = None if image else self.span(i, end)
            if sp is None:
                return i + 1
            le, stop = sp  # `[text]{#id}`: a span
            first = len(hits)  # (its id comes before those in its text, as its token does)
            if self.level < _MAX_NESTING:
                self.level += 1  # the span_open token
                self.scan(i + 1, le, hits, comments)
                self.level -= 1
            _attrs(src, le + 1, hits, None, first)
            return stop
        stop, le, ts, te = r
        first = len(hits)  # (its id comes before those in its text, as its token does)
        at: int | None = first
        if ts < 0:  # reference-style: reported at its definition
            at = None
        else:
            first += 1
            text_start = i + 2 if image else i + 1
            hits.append(("image" if image else "link", src[ts:te], ts, te, text_start, le))
        if not image and self.level < _MAX_NESTING:
            self.level += 1  # the link_open token
            self.scan(i + 1, le, hits, comments)
            self.level -= 1
        if stop < end and src[stop] == "{":
            return _attrs(src, stop, hits, None if image else at, first)
        return stop


def _angle_hit(src: str, i: int, hits: list[Hit], comments: list[Hit], last: dict[str, int]) -> int:
    """An autolink or inline HTML at `i`; the position after it."""
    am = _AUTOLINK.match(src, i)
    if am and valid_link(am.group(1), False):
        target = am.group(1)
        kind = "link" if target.startswith(("project:", "path:")) else "autolink"
        hits.append((kind, target, i + 1, am.end() - 1, -1, -1))
        return am.end()
    em = _EMAIL.match(src, i)
    if em:
        return em.end()
    e = _html(src, i, last)
    if e > 0:
        html_hits(src[i:e], i, hits, comments)
        return e
    return i + 1


def parse_link(src: str, i: int, end: int, image: bool) -> tuple[int, int, int, int] | None:
    """An inline link/image whose '[' is at `i`: (end, label_end, tstart, tend) or None."""
    return _Inline(src).link(i, end, image)


def scan_inline(
    src: str, hits: list[Hit], comments: list[Hit], refs: dict[str, int] = _NO_REFS, body: int = 0
) -> None:
    """Append link-like hits and HTML comments found in the paragraph text `src` of `body`,
    the link reference definitions `refs` known (see `_Inline`)."""
    _Inline(src, refs, body).scan(0, len(src), hits, comments)
