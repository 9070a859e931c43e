"""What the CQ rules share: the family, their options, which pages are documents of their own,
a page's sections."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import Any

from ...context import CheckContext
from ...index import DocsIndex
from ...model import Heading, Page, Span
from ...registry import family

family("CQ", tag="content")


def options(**properties: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a rule's `[tool.nemo-docs-lint.rules.CODE]` table."""
    return {"type": "object", "properties": properties, "additionalProperties": False}


def words_option(default: list[str], description: str) -> dict[str, Any]:
    """A list of non-empty strings."""
    items = {"type": "string", "minLength": 1}
    return {"type": "array", "items": items, "default": default, "description": description}


def count_option(default: int, description: str) -> dict[str, Any]:
    """A positive integer."""
    return {"type": "integer", "minimum": 1, "default": default, "description": description}


def option(ctx: CheckContext, code: str, name: str, default: Any) -> Any:
    """The value of a rule's option: the config's, else `default` (the one its schema shows)."""
    return ctx.options(code).get(name, default)


def is_document(page: Page, ctx: CheckContext) -> bool:
    """A Markdown page that is no `{include}`d snippet (snippets have no title of their own)."""
    return page.is_markdown and page.path not in ctx.memo("CQ/included", _included, ctx.index)


def _included(index: DocsIndex) -> frozenset[str]:
    """Docs-root-relative paths that some page pulls in with `{include}`."""
    found = set()
    for page in index.pages.values():
        if not page.has_includes:
            continue
        for include in page.body.includes:
            target = include.target.strip()
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.join(posixpath.dirname(page.path), target)
            found.add(posixpath.normpath(path))
    return frozenset(found)


def sections(page: Page) -> list[Heading]:
    """The headings that make the page's sections (not rubrics inside directive bodies)."""
    return [h for h in page.body.headings if not h.nested]


def body_start(page: Page) -> Span:
    """Where a finding about the page as a whole goes: its title, else its first body line."""
    top = sections(page)
    if top:
        return top[0].span
    line = min(page.frontmatter.body_start_line, len(page.lines))
    text = page.line_text(line)
    return Span(line, 1, line, len(text) + 1)  # zero-width on an empty line: within the line


def name_paths(paths: Iterable[str], shown: int = 3) -> str:
    """`a.md, b.md, c.md and 4 more`: the other pages of a finding, briefly."""
    listed = list(paths)
    more = len(listed) - shown
    return ", ".join(listed[:shown]) + (f" and {more} more" if more > 0 else "")
