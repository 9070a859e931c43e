"""Heading plain text and MyST anchor slugs (``mdit_py_plugins.anchors`` semantics)."""

from __future__ import annotations

from functools import lru_cache

# Characters that may start inline markup; a heading without any is its own plain text.
_MARKUP = frozenset("\\`*_[]<>!{}$&~")


@lru_cache(maxsize=4096)
def _rendered_text(raw: str, labels: frozenset[str] = frozenset()) -> str:
    from .mdit import myst_markdown_it

    env = {"references": {label: {"href": "", "title": ""} for label in labels}}
    tokens = myst_markdown_it().parseInline(raw, env)
    children = tokens[0].children or [] if tokens else []
    return "".join(c.content for c in children if c.type in ("text", "code_inline"))


def heading_text(raw: str, labels: frozenset[str] = frozenset()) -> str:
    """The text MyST's anchors plugin slugs: `text` and `code_inline` children joined.

    `raw` is the heading's inline source (markers and surrounding blanks removed);
    `labels` are the page's normalised reference-definition labels (they turn `[x]` into links).
    """
    if _MARKUP.isdisjoint(raw):
        return raw.replace("\n", "")
    return _rendered_text(raw, labels if "[" in raw else frozenset())


def heading_slugs(items: list[tuple[int, str]], depth: int) -> list[str]:
    """Slugs for (level, text) headings in page order; "" for levels deeper than `depth`.

    Duplicates get `-1`, `-2`, ... suffixes exactly like `mdit_py_plugins.anchors`.
    """
    if depth <= 0:
        return [""] * len(items)
    # Imported here: mdit_py_plugins.anchors pulls in markdown_it (~30 ms).
    from mdit_py_plugins.anchors.index import slugify, unique_slug

    seen: set[str] = set()
    out = []
    for level, text in items:
        out.append(unique_slug(slugify(text), seen) if level <= depth else "")
    return out
