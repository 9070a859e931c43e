"""Heading plain text and MyST anchor slugs (``mdit_py_plugins.anchors`` semantics)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .inline import parse_link
from .syntax import backtick_end

# Characters that may start inline markup; a heading without any is its own plain text.
_MARKUP = frozenset("\\`*_[]<>!{}$&~")
# myst_role's VALID_NAME_PATTERN.
_ROLE_NAME = re.compile(r"\{([a-zA-Z0-9\_\-\+\:]+)\}")
# mdit_py_plugins.anchors.slugify drops what `[^\w\u4e00-\u9fff\- ]` matches (the oracle in
# `reference` uses the original). Compiling that pattern costs ~5 ms (its CJK range), so: an ASCII
# pattern for ASCII titles (equal there), and the same test char by char for others (`\w` is
# `str.isalnum()` or `_`, as in `_sre`).
_ASCII_SLUG_DROP = re.compile(r"[^\w\- ]", re.ASCII)
_ALNUM = re.compile(r"[A-Za-z0-9]").fullmatch
# What markdown-it's entity rule may take (its DIGITAL_RE and NAMED_RE); any other `&` is text.
_ENTITY = re.compile(r"&(?:#(?:x[a-f0-9]{1,6}|[0-9]{1,7})|[a-z][a-z0-9]{1,31});", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _rendered_text(raw: str, labels: frozenset[str] = frozenset(), images: bool = False) -> str:
    from .mdit import myst_markdown_it

    env = {"references": {label: {"href": "", "title": ""} for label in labels}}
    tokens = myst_markdown_it().parseInline(raw, env)
    children = tokens[0].children or [] if tokens else []
    return plain_text(children, images)


def plain_text(tokens: list[Any], images: bool = False) -> str:
    """`text` and `code_inline` tokens joined (with `images`, an image gives its alt text and a
    soft line break a space): what markdown-it-py renders of them as plain text."""
    out = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif images and token.type == "image":
            out.append(plain_text(token.children or [], images))
        elif images and token.type == "softbreak":
            out.append(" ")
    return "".join(out)


class _PlainText:
    """One pass of `_simple_text` over `raw`: each `_*` method handles the markup char at
    `i`, appends rendered text to `out` and returns the next index, or -1 (not simple)."""

    __slots__ = ("label", "n", "out", "raw", "strong")

    def __init__(self, raw: str, label: bool) -> None:
        self.raw = raw
        self.n = len(raw)
        self.label = label
        self.out: list[str] = []
        self.strong = False

    def run(self) -> str | None:
        raw, n, out = self.raw, self.n, self.out
        i = 0
        while i < n:
            c = raw[i]
            if c not in _MARKUP:
                j = i + 1
                while j < n and raw[j] not in _MARKUP:
                    j += 1
                out.append(raw[i:j])
                i = j
                continue
            if c == "`":
                i = self._code(i)
            elif c == "_":
                i = self._underscore(i)
            elif c == "&":
                i = self._ampersand(i)
            elif self.label:
                return None
            elif c == "[":
                i = self._link(i)
            elif c == "{":
                i = self._brace(i)
            elif c == "}":
                out.append(c)
                i += 1
            elif c == "*":
                i = self._strong(i)
            else:
                return None
            if i < 0:
                return None
        return None if self.strong else "".join(out)

    def _code(self, i: int) -> int:
        raw, n = self.raw, self.n
        j = i + 1
        while j < n and raw[j] == "`":
            j += 1
        e = backtick_end(raw, i)
        if e == j:
            return -1  # unmatched run
        if e < n and raw[e] == "{":
            return -1  # attrs_inline may apply to the code span
        content = raw[j : e - (j - i)]
        if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
            content = content[1:-1]
        self.out.append(content)
        return e

    def _underscore(self, i: int) -> int:
        raw, n = self.raw, self.n
        j = i + 1
        while j < n and raw[j] == "_":
            j += 1
        if not (i and j < n and _ALNUM(raw[i - 1]) and _ALNUM(raw[j])) and "_" in raw[j:]:
            return -1  # may open or close emphasis; one with no later `_` stays text
        self.out.append(raw[i:j])
        return j

    def _ampersand(self, i: int) -> int:
        if _ENTITY.match(self.raw, i):
            return -1  # may be a character reference (markdown-it's entity rule decides)
        self.out.append("&")  # markdown-it's entity rule fails: the `&` stays text
        return i + 1

    def _link(self, i: int) -> int:
        raw, n = self.raw, self.n
        r = parse_link(raw, i, n, False) if not raw.startswith("[^", i) else None
        if r is None:
            return -1
        stop, le, ts, te = r
        dest = raw[ts:te].strip().lower()
        if (":" in dest and not dest.startswith(("http://", "https://"))) or (
            "&" in dest or "\\" in dest or "%" in dest
        ):
            return -1  # validateLink may reject it (after unescaping)
        if stop < n and raw[stop] == "{":
            return -1  # attrs_inline may apply to the link
        text = _simple_text(raw[i + 1 : le], True)
        if text is None:
            return -1
        self.out.append(text)
        return stop

    def _brace(self, i: int) -> int:
        raw, n = self.raw, self.n
        if raw.startswith("{{", i):
            return -1  # substitution
        m = _ROLE_NAME.match(raw, i)
        if m is not None:
            start = j = m.end()
            while j < n and raw[j] == "`":
                j += 1
            ticks = j - start
            if ticks and j < n:
                k = raw.find("`" * ticks, j + 1)
                if k >= 0:
                    return k + ticks  # a role renders no text
        self.out.append("{")  # not a role: the brace is text
        return i + 1

    def _strong(self, i: int) -> int:
        raw, n = self.raw, self.n
        if not raw.startswith("**", i) or raw.startswith("***", i):
            return -1
        if not self.strong:
            if (i and raw[i - 1] != " ") or i + 2 >= n or raw[i + 2].isspace():
                return -1
        elif (i + 2 < n and raw[i + 2] != " ") or raw[i - 1].isspace():
            return -1
        self.strong = not self.strong
        return i + 2


def _simple_text(raw: str, label: bool = False) -> str | None:
    """The rendered text of a one-line heading made only of plain text, code spans, MyST
    roles, intraword `_`, `&` that starts no character reference, `**strong**` pairs whose
    delimiters touch a space or an end on their outer side, and inline links whose text is
    plain text and code spans; None for anything else (markdown-it decides those).
    `label`: `raw` is a link's text.

    Mirrors markdown-it's backticks, myst_role and link rules and, for such `_` and `**`
    runs, its emphasis flanking rules: `_` between ASCII letters/digits can neither open nor
    close (it stays text); an `**` after a space or the start can only open, one before a
    space or the end can only close, so strictly alternating runs pair up.
    """
    if "\n" in raw:
        return None
    return _PlainText(raw, label).run()


def heading_text(raw: str, labels: frozenset[str] = frozenset()) -> str:
    """The text MyST's anchors plugin slugs: `text` and `code_inline` children joined.

    `raw` is the heading's inline source (markers and surrounding blanks removed);
    `labels` are the page's normalised reference-definition labels (they turn `[x]` into links).
    """
    if _MARKUP.isdisjoint(raw):
        if "\n" not in raw:
            return raw
        # markdown-it drops the blanks around a soft line break (spaces before it, spaces and
        # tabs after it), and the break itself
        return "".join(line.lstrip(" \t").rstrip(" ") for line in raw.split("\n"))
    text = _simple_text(raw)
    if text is not None:
        return text
    return _rendered_text(raw, labels if "[" in raw else frozenset())


def link_text(raw: str, labels: frozenset[str] = frozenset()) -> str:
    """The plain text of a link's text or an image's alt (`raw` as written): heading text,
    except that an image contributes its alt text and a line break a space."""
    if "![" in raw:
        return _rendered_text(raw, labels, True)
    return heading_text(raw.replace("\n", " "), labels)


def slugify(title: str) -> str:
    """`mdit_py_plugins.anchors.index.slugify` (copied: importing it loads markdown_it)."""
    slug = title.lower().replace(" ", "-")
    if slug.isascii():
        return _ASCII_SLUG_DROP.sub("", slug)
    return "".join(c for c in slug if c.isalnum() or c in "_- " or "\u4e00" <= c <= "\u9fff")


_GITLAB_DROP = re.compile(r"[^\w\- ]")
_GITLAB_SQUEEZE = re.compile(r"-{2,}")


def gitlab_slugify(title: str) -> str:
    """MyST's `gitlab` preset: GitLab's heading ids."""
    slug = _GITLAB_DROP.sub("", title.strip().lower()).replace(" ", "-")
    slug = _GITLAB_SQUEEZE.sub("-", slug)
    return f"anchor-{slug}" if slug.isdigit() else slug


# docutils.nodes.make_id's letters that NFKD does not reduce to ASCII.
_DOCUTILS_LETTERS = str.maketrans(
    {"ß": "sz", "æ": "ae", "œ": "oe", "ȸ": "db", "ȹ": "qp"}
    | dict(
        zip("øđħıłŧƀƃƈƌƒƙƚƞƥƫƭƴƶǥȥȴȵȶȷȼȿɀɇɉɋɍɏ", "odhiltbbcdfklnpttyzgzlntjcszejqry", strict=True)
    )
)
_DOCUTILS_NON_ID = re.compile(r"[^a-z0-9]+")
_DOCUTILS_AT_ENDS = re.compile(r"^[-0-9]+|-+$")


def docutils_slugify(title: str) -> str:
    """MyST's `docutils` preset: `docutils.nodes.make_id`, the ids of reST sections."""
    slug = title.lower().translate(_DOCUTILS_LETTERS)
    slug = unicodedata.normalize("NFKD", slug).encode("ascii", "ignore").decode()
    slug = _DOCUTILS_NON_ID.sub("-", " ".join(slug.split()))
    return _DOCUTILS_AT_ENDS.sub("", slug)


# `myst_heading_slug_func` presets (and their import paths).
SLUGGERS: dict[str, Callable[[str], str]] = {
    "github": slugify,
    "gitlab": gitlab_slugify,
    "docutils": docutils_slugify,
}


def heading_slugs(
    items: list[tuple[int, str]], depth: int, slug: Callable[[str], str] = slugify
) -> list[str]:
    """Slugs for (level, text) headings in page order; "" for levels deeper than `depth`.

    Duplicates get `-1`, `-2`, ... suffixes exactly like `mdit_py_plugins.anchors`; `slug` is
    the slug function (`SLUGGERS`; GitHub's by default).
    """
    slugify_ = slug
    if depth <= 0:
        return [""] * len(items)
    seen: set[str] = set()
    # unique_slug tries slug, slug-1, slug-2, ...; `tried[slug]` is the suffix after the
    # last one taken (all below it are in `seen`), so n equal headings cost O(n), not O(n^2).
    tried: dict[str, int] = {}
    out = []
    for level, text in items:
        if level > depth:
            out.append("")
            continue
        base = uniq = slugify_(text)
        i = tried.get(base, 1)
        if base in seen:
            uniq = f"{base}-{i}"
            i += 1
            while uniq in seen:
                uniq = f"{base}-{i}"
                i += 1
            tried[base] = i
        seen.add(uniq)
        out.append(uniq)
    return out
