"""CQ rules about titles and sections: one title per page, no skipped levels, no empty sections,
no two pages with the same title."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from itertools import chain
from operator import attrgetter

from ...context import CheckContext
from ...index import DocsIndex
from ...model import Finding, Heading, Page, Severity
from ...registry import Scope, rule
from .common import body_start, is_document, name_paths, sections

# What may stand between two headings without being content: blank lines, `(label)=` targets,
# `%` comments, HTML comments, a setext underline.
_NOT_CONTENT = re.compile(
    r"<!--.*?-->|^[ \t]*\([^)\n]+\)=[ \t]*$|^[ \t]*%.*$|^ {0,3}(?:=+|-+)[ \t]*$", re.S | re.M
)


@rule(
    code="CQ001",
    reads_content=False,
    name="missing-title",
    severity=Severity.ERROR,
    scope=Scope.PAGE,
)
def missing_title(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A page without one top-level `#` title, or with more than one.

    Frontmatter, `(label)=` targets and comments before the title are fine; headings inside
    directive bodies (MyST makes them rubrics) do not count; `{include}`d snippets are not
    documents and need no title. A page whose first heading is `##` has no top-level title.

    Why: the title names the page in the navigation, the browser tab and search results; a
    second `#` becomes a second top-level entry that readers take for another page.

    Bad:
        Some text.

        ## Installation
    Good:
        (install)=
        # Installation

        Some text.
    """
    if not is_document(page, ctx):
        return
    top = sections(page)
    if not top:
        yield page.at_span(body_start(page), "page has no title: start it with a `# Title` heading")
        return
    first = top[0]
    if first.level != 1:
        yield page.at_span(
            first.span,
            f"the page's first heading `{first.text}` is level {first.level}: its title should "
            "be a level-1 `#` heading",
        )
        return
    for heading in top[1:]:
        if heading.level == 1:
            yield page.at_span(
                heading.span,
                f"second top-level title `{heading.text}` (the page's title is `{first.text}`, "
                f"line {first.span.line}): make it a `##` section or a page of its own",
            )


@rule(
    code="CQ002",
    reads_content=False,
    name="heading-level-skip",
    severity=Severity.WARNING,
    scope=Scope.PAGE,
)
def heading_level_skip(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A heading more than one level below the previous one (`#` then `###`).

    Headings inside directive bodies (rubrics) are not part of the outline and are skipped.

    Why: screen readers and the page's table of contents navigate by level; a skipped level
    leaves a hole in the outline, and Sphinx nests the section under a level that is not there.

    Bad:
        # Training
        ### Configure the cluster
    Good:
        # Training
        ## Configure the cluster
    """
    if not page.is_markdown:
        return
    previous = None
    for heading in sections(page):
        if previous is not None and heading.level > previous.level + 1:
            yield page.at_span(
                heading.span,
                f"level-{heading.level} heading follows a level-{previous.level} heading "
                f"(line {previous.span.line}): make it level {previous.level + 1} "
                f"(`{'#' * (previous.level + 1)}`)",
            )
        previous = heading


@rule(code="CQ011", name="empty-section", severity=Severity.WARNING, scope=Scope.PAGE)
def empty_section(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A section with no content before the next heading of its level or higher (or the end).

    That is, a heading followed directly by a heading of the same or a higher level, or by the end
    of the page. A `(label)=` target or a comment is no content; a directive (a toctree, a grid
    of cards) is. A heading followed by its own sub-heading is fine, and so is a page that is
    only its title.

    Why: an empty section is a placeholder left behind by a restructure; readers who follow the
    table of contents to it find nothing.

    Bad:
        ## Evaluation

        ## Deployment
    Good:
        ## Evaluation

        Run `eval.py` on the checkpoint.

        ## Deployment
    """
    if not page.is_markdown:
        return
    top = sections(page)
    if len(top) < 2:
        return  # a page that is only a title is a stub, not an empty section
    known: list[int] | None = None
    starts: list[int] | None = None
    for heading, following in zip(top, [*top[1:], None], strict=True):
        if following is not None and following.level > heading.level:
            continue
        start = heading.span.end_line + 1
        if known is None:
            known = _content_lines(page)
        found = bisect_left(known, start)
        if found < len(known) and (following is None or known[found] < following.span.line):
            continue  # prose, code, a link, a toctree: content
        if starts is None:
            starts = _line_starts(page)
        if _has_content(page.text, starts, heading, following):
            continue  # something the parser keeps no record of: math, HTML, a diagram
        if following is None:
            yield page.at_span(
                heading.span, f"section `{heading.text}` is empty: the page ends after its heading"
            )
        else:
            yield page.at_span(
                heading.span,
                f"section `{heading.text}` is empty: the heading `{following.text}` (line "
                f"{following.span.line}) follows with no content between",
            )


def _content_lines(page: Page) -> list[int]:
    """Sorted lines where the parser saw content: prose (and headings: between two sections,
    only one inside a directive can stand, which is content), code, references, toctrees."""
    body = page.body
    return sorted(
        chain(
            body.prose[0::2],
            map(_LINE, body.code_blocks),
            map(_LINE, body.references),
            map(_LINE, body.toctrees),
        )
    )


_LINE = attrgetter("span.line")


def _has_content(text: str, starts: list[int], heading: Heading, following: Heading | None) -> bool:
    """Whether the lines between `heading` and `following` (or the end) hold anything but
    what `_NOT_CONTENT` matches and white space: read from their start up to the first such
    character (usually the first one), as `_NOT_CONTENT.sub` would scan them."""
    begin = _line_offset(text, starts, heading.span.end_line + 1)
    end = len(text) if following is None else _line_offset(text, starts, following.span.line)
    pos = begin
    while pos < end:
        found = _NOT_CONTENT.match(text, pos, end)
        if found is not None:
            pos = found.end()
        elif text[pos].isspace():
            pos += 1
        else:
            return True
    return False


def _line_starts(page: Page) -> list[int]:
    """Where each line of the page starts in its text, and one past its end (computed once
    per page, so that finding a line's offset is not a sum over the lines before it). Found
    from the newlines, not `page.lines`: that list would stay cached on the page (~14 MiB of
    line strings on the 10k tree, ~140 MiB at 100k pages, for a few of CQ011's gaps)."""
    text = page.text
    starts = [0]
    find = text.find
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    starts.append(len(text) + 1)
    return starts


def _line_offset(text: str, starts: list[int], line: int) -> int:
    """Where 1-based `line` starts in the text (its length past the last line)."""
    return min(starts[min(max(line, 1), len(starts)) - 1], len(text))


@rule(
    code="CQ008",
    reads_content=False,
    name="duplicate-title",
    severity=Severity.WARNING,
    scope=Scope.TREE,
)
def duplicate_title(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """Two or more pages with the same title; each is reported, naming the others.

    Titles compare case-insensitively with spaces collapsed; `{include}`d snippets are skipped.

    Why: the navigation, search results and browser tabs show titles alone, so readers cannot
    tell such pages apart (often a page copied during a migration and never renamed).

    Bad:
        # Overview      (in training/index.md and in evaluation/index.md)
    Good:
        # Training overview
        # Evaluation overview
    """
    groups = defaultdict(list)
    for page in index.pages.values():
        top = sections(page)
        if top and top[0].text.strip() and is_document(page, ctx):
            groups[" ".join(top[0].text.split()).casefold()].append((page, top[0]))
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda item: item[0].path)
        paths = [page.path for page, _ in group]
        for k, (page, heading) in enumerate(group):
            named = name_paths(paths[:k] + paths[k + 1 :])  # the others (a copy, not a scan)
            yield page.at_span(heading.span, f"title `{heading.text}` is also the title of {named}")
