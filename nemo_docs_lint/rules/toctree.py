"""TOC rules: every page sits in the toctree hierarchy, reachable from the root document."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from ..context import CheckContext
from ..index import DocsIndex
from ..model import Finding, Fix, Severity, TocEntry
from ..registry import Scope, family, rule

family("TOC", tag="structure")


def _is_orphan_page(index: DocsIndex, docname: str) -> bool:
    """Sphinx's `orphan` file-wide option (any value), in frontmatter or a reST field list."""
    page = index.pages[docname]
    if "orphan" in page.metadata:
        return True
    return not page.is_markdown and page.text.lstrip().startswith(":orphan:")


def _entry_fix(parent: str, entry: TocEntry, docname: str, index: DocsIndex) -> Fix | None:
    """The entry rewritten to the one document of its name, written as the entry was: relative
    to the listing page (or `/`-absolute), with its suffix if it had one."""
    if docname not in index.pages or entry.span.line != entry.span.end_line:
        return None
    target = entry.target
    suffix = next((s for s in (".md", ".rst", ".txt") if target.endswith(s)), "")
    if target.startswith("/"):
        new = "/" + docname
    else:
        new = posixpath.relpath(docname, posixpath.dirname(parent) or ".")
    return Fix(entry.span, target, new + suffix)


@rule(
    code="TOC001",
    reads_content=False,
    name="toctree-missing-entry",
    severity=Severity.ERROR,
    scope=Scope.TREE,
    sphinx_warnings=("toc", "toc.excluded", "toc.not_readable", "toc.glob"),
)
def toctree_missing_entry(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """A toctree entry names no document, or a `:glob:` pattern matches none.

    Reported at the entry (Sphinx reports it at the directive's first line). When exactly one
    document in the tree has the entry's name, the message says "did you mean" and `--fix`
    rewrites the entry.

    Why: Sphinx drops the entry, so a whole section can vanish from the navigation.

    Bad:
        ```{toctree}
        installation
        clusterr
        ```
    Good:
        ```{toctree}
        installation
        cluster
        ```
    """
    page_of = index.pages
    for link in index.toc_links:
        if link.child is not None:
            continue
        parent = page_of[link.parent]
        target = link.entry.target
        if link.toctree.glob and any(c in target for c in "*?["):
            message = f"toctree glob pattern `{target}` matches no document"
        else:
            docname = index.toctree_docname(link.parent, target)
            folder = index.generated_folder(docname)
            if folder is not None and not index.path_exists(folder):
                continue
            message = f"toctree entry `{target}` names no document (looked for `{docname}`)"
            candidate = index.unique_file_named(posixpath.basename(docname))
            if candidate:
                message += f"; did you mean `{posixpath.splitext(candidate)[0]}`?"
                fix = _entry_fix(link.parent, link.entry, posixpath.splitext(candidate)[0], index)
                yield parent.at_span(link.entry.span, message, fix=fix)
                continue
        yield parent.at_span(link.entry.span, message)
    matched = {id(link.entry) for link in index.toc_links}
    for docname in sorted(index.pages):
        page = page_of[docname]
        for toctree in page.body.toctrees:
            for entry in toctree.entries:
                if (
                    not toctree.glob
                    or not any(c in entry.target for c in "*?[")
                    or id(entry) in matched
                ):
                    continue
                folder = index.generated_folder(index.toctree_docname(docname, entry.target))
                if folder is not None and not index.path_exists(folder):
                    continue
                yield page.at_span(
                    entry.span, f"toctree glob pattern `{entry.target}` matches no document"
                )


@rule(
    code="TOC002",
    reads_content=False,
    name="orphan-page",
    severity=Severity.WARNING,
    scope=Scope.TREE,
    sphinx_warnings=("toc", "toc.not_included"),
)
def orphan_page(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """A document that no toctree lists (the root document and `orphan: true` pages excepted).

    A document another page pulls in with `{include}` / `.. include::` is no orphan: Sphinx
    skips the documents in `env.included`.

    Why: Sphinx builds the page but no navigation leads to it; readers find it only by search.

    Bad:
        get-started/cluster.md, listed in no toctree
    Good:
        get-started/index.md lists `cluster` in its toctree (or the page says `orphan: true`)
    """
    listed, included = index.in_some_toctree, index.included
    for docname in sorted(index.pages):
        if docname == index.root_doc or docname in listed or docname in included:
            continue
        if _is_orphan_page(index, docname):
            continue
        page = index.pages[docname]
        yield page.at_line(1, f"`{page.path}` is not included in any toctree")


@rule(
    code="TOC003",
    reads_content=False,
    name="unreachable-page",
    severity=Severity.WARNING,
    scope=Scope.TREE,
)
def unreachable_page(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """A document listed in some toctree, but not reachable from the root document.

    Why: its parent chain is itself an orphan, so the site's navigation never shows it.

    Bad:
        old/index.md lists old/page.md, and nothing lists old/index.md
    Good:
        index.md -> old/index.md -> old/page.md
    """
    if index.root_doc not in index.pages:
        return
    listed, reachable = index.in_some_toctree, index.reachable
    unreachable = listed - reachable
    parents_of: dict[str, set[str]] = {}  # one pass over the links, not one per page
    for link in index.toc_links:
        if link.child in unreachable:
            parents_of.setdefault(link.child, set()).add(index.pages[link.parent].path)
    for docname in sorted(unreachable):
        page = index.pages[docname]
        parents = sorted(parents_of[docname])
        yield page.at_line(
            1,
            f"`{page.path}` is listed by {', '.join(f'`{p}`' for p in parents)} but not reachable "
            f"from the root document `{index.root_doc}`",
        )


@rule(
    code="TOC004",
    reads_content=False,
    name="duplicate-toctree-entry",
    severity=Severity.WARNING,
    scope=Scope.TREE,
    sphinx_warnings=("toc", "toc.duplicate_entry"),
)
def duplicate_toctree_entry(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """A document listed twice in one toctree, or in the toctrees of two different pages.

    Why: the page gets two places in the navigation and its "previous/next" links and
    breadcrumbs follow only one of them.

    Bad:
        index.md and guides/index.md both list guides/sft
    Good:
        only guides/index.md lists guides/sft
    """
    first_seen: dict[str, tuple[str, object, int]] = {}
    for link in index.toc_links:
        if link.child is None:
            continue
        here = (link.parent, link.toctree, link.entry.span.line)
        seen = first_seen.get(link.child)
        if seen is None:
            first_seen[link.child] = here
            continue
        parent_path = index.pages[seen[0]].path
        if seen[0] == link.parent and seen[1] is link.toctree:
            where = f"already listed in this toctree at line {seen[2]}"
        else:
            where = f"already listed by `{parent_path}` at line {seen[2]}"
        page = index.pages[link.parent]
        yield page.at_span(link.entry.span, f"`{index.pages[link.child].path}` is {where}")


@rule(
    code="TOC005",
    reads_content=False,
    name="section-coverage",
    severity=Severity.NOTE,
    scope=Scope.TREE,
)
def section_coverage(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """A page whose folder has an `index` page with a toctree that does not list it.

    Pages marked `orphan` (frontmatter `orphan: true`, reST `:orphan:`) are deliberately
    outside every toctree and are not reported.

    Why: section index pages are the table of contents of their folder; a page missing from
    it is usually forgotten during a move, even when another toctree includes it.

    Bad:
        guides/index.md has a toctree without guides/sft.md
    Good:
        guides/index.md lists sft
    """
    children = index.toctree_children
    listed: dict[str, frozenset[str]] = {}  # index docname -> its children, as a set
    for docname in sorted(index.pages):
        if posixpath.basename(docname) == "index":
            continue
        folder_index = posixpath.join(posixpath.dirname(docname), "index")
        owner = index.pages.get(folder_index)
        if owner is None or not owner.body.toctrees or folder_index == docname:
            continue
        if folder_index not in listed:
            listed[folder_index] = frozenset(children.get(folder_index, ()))
        if docname in listed[folder_index] or _is_orphan_page(index, docname):
            continue
        page = index.pages[docname]
        yield page.at_line(
            1, f"`{page.path}` is not listed in the toctree of its section index `{owner.path}`"
        )
