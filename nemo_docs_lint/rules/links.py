"""LNK rules: internal links, anchors, labels and images resolve as Sphinx + MyST resolve them."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator

from ..context import CheckContext
from ..index import DocsIndex, normalise_label
from ..model import Finding, Fix, Page, Reference, Severity
from ..redirects import Redirect, from_conf, target_docname
from ..registry import Scope, family, rule
from ..resolve import Outcome, Resolution, Resolver, TargetKind
from ..suggest import did_you_mean

family("LNK", tag="links")


class LinkState:
    """Per-run state of the LNK rules: every reference of a page with what it resolves to,
    computed once per page however many rules ask."""

    def __init__(self, ctx: CheckContext) -> None:
        self.resolver = Resolver(ctx.index, ctx.config.repo_root)
        self._resolutions: dict[str, list[tuple[Reference, Resolution]]] = {}

    def resolutions(self, page: Page) -> list[tuple[Reference, Resolution]]:
        cached = self._resolutions.get(page.path)
        if cached is None:
            resolve = self.resolver.resolve
            cached = [(ref, resolve(page, ref)) for ref in page.body.references]
            self._resolutions[page.path] = cached
        return cached


Compose = Callable[[Page, Reference, Resolution, CheckContext], Finding]


def _report(
    page: Page, ctx: CheckContext, wanted: Callable[[Resolution], bool], compose: Compose
) -> Iterator[Finding]:
    for ref, resolution in ctx.memo("LNK", LinkState, ctx).resolutions(page):
        if resolution.outcome is not Outcome.OK and wanted(resolution):
            yield compose(page, ref, resolution, ctx)


def _outside_repository(resolution: Resolution) -> bool:
    return resolution.outcome is Outcome.OUTSIDE_REPOSITORY


def _missing(*kinds: TargetKind) -> Callable[[Resolution], bool]:
    return lambda r: r.outcome is Outcome.MISSING and r.kind in kinds


_NOUN: dict[TargetKind | None, str] = {
    TargetKind.LINK: "link target",
    TargetKind.FILE: "file",
    TargetKind.IMAGE: "image",
}


def _missing_target(page: Page, ref: Reference, res: Resolution, ctx: CheckContext) -> Finding:
    """`<kind> `x` does not exist`, with did-you-mean and a fix when one file has its name."""
    if res.kind is TargetKind.DOCUMENT:
        return _missing_document(page, ref, res)
    message = f"{_NOUN[res.kind]} `{res.target}` does not exist"
    if res.source:  # a document, written as MyST does not read it (`x.html`, `x#y`)
        fix = None
        if ref.span.line == ref.span.end_line and ref.target == res.target:
            fix = Fix(ref.span, res.target, res.source)
        return page.at_span(
            ref.span,
            f"{message}: MyST links name a document by its source file; "
            f"did you mean `{res.source}`?",
            fix=fix,
        )
    label_hint = did_you_mean(normalise_label(res.target), res.labels, "`") if res.labels else ""
    if label_hint:  # a close label, never a page that merely shares the name's last part
        return page.at_span(ref.span, f"{message} (no document, file or label){label_hint}")
    if not res.candidates:
        return page.at_span(ref.span, message)
    path, suggestion = res.path, res.candidates[0]
    if path.startswith("/"):
        new_path = "/" + suggestion
    else:
        new_path = posixpath.relpath(suggestion, posixpath.dirname(page.path) or ".")
    if not posixpath.splitext(path)[1]:  # written extensionless: keep it so
        new_path = posixpath.splitext(new_path)[0]
    new_target = new_path + (f"#{res.fragment}" if res.fragment else "")
    fix = None
    original = ref.target
    if ref.span.line == ref.span.end_line and original.startswith(path):
        fix = Fix(ref.span, original, new_path + original[len(path) :])
    return page.at_span(ref.span, f"{message}; did you mean `{new_target}`?", fix=fix)


def _missing_document(page: Page, ref: Reference, res: Resolution) -> Finding:
    target = res.target
    message = f"document `{target}` does not exist"
    if not res.candidates:
        return page.at_span(ref.span, message)
    new_docname = posixpath.splitext(res.candidates[0])[0]
    if target.startswith("/"):
        new_target = "/" + new_docname
    else:
        new_target = posixpath.relpath(new_docname, posixpath.dirname(page.docname) or ".")
    fix = None
    if ref.span.line == ref.span.end_line and ref.target == target:
        fix = Fix(ref.span, target, new_target)
    return page.at_span(ref.span, f"{message}; did you mean `{new_target}`?", fix=fix)


def _missing_anchor(page: Page, ref: Reference, res: Resolution, ctx: CheckContext) -> Finding:
    fragment = res.fragment
    hint = did_you_mean(fragment, res.candidates, "`")
    if res.local:
        message = f"`#{fragment}` is no heading anchor or label of this page{hint}"
    else:
        message = f"`{res.target}`: `{res.page}` has no heading anchor `#{fragment}`{hint}"
    return page.at_span(ref.span, message)


_UNDEFINED = {
    TargetKind.LABEL: "label `{}` is not defined",
    TargetKind.TERM: "term `{}` is not in any glossary",
    TargetKind.EQUATION: "equation `{}` is not defined",
    TargetKind.ANY: "`{}` names no label, document, term, object or equation",
    TargetKind.INVENTORY: "`{}` is in no intersphinx inventory of conf.py",
    TargetKind.UNTITLED: (
        "label `{}` names no section, figure, table or code block, so the reference has no "
        "text: give it one, {{ref}}`text <{}>`"
    ),
}


_NAMED_KINDS = (
    TargetKind.LABEL,
    TargetKind.TERM,
    TargetKind.EQUATION,
    TargetKind.ANY,
    TargetKind.INVENTORY,
    TargetKind.UNTITLED,
)


def _undefined_label(page: Page, ref: Reference, res: Resolution, ctx: CheckContext) -> Finding:
    hint = did_you_mean(normalise_label(res.target), res.candidates, "`")
    assert res.kind is not None
    if res.kind is TargetKind.UNTITLED:
        return page.at_span(ref.span, _UNDEFINED[res.kind].format(res.target, res.target))
    return page.at_span(ref.span, _UNDEFINED[res.kind].format(res.target) + hint)


def _outside(page: Page, ref: Reference, res: Resolution, ctx: CheckContext) -> Finding:
    root = ctx.config.repo_root
    name = root.resolve().name if root is not None else ""
    return page.at_span(
        ref.span,
        f"`{res.target}` leaves the repository ({name}/); it breaks in any other checkout",
    )


@rule(
    code="LNK001",
    reads_content=False,
    name="broken-link",
    severity=Severity.ERROR,
    scope=Scope.PAGE,
    sphinx_warnings=("ref", "ref.doc", "myst", "myst.xref_missing", "download.not_readable"),
)
def broken_link(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A link, `{doc}`, card `:link:` or `{download}` target that does not exist.

    Targets resolve as in Sphinx/MyST: relative to the page's folder, `/` from the docs root;
    `installation` and `installation.md` name the document `installation` (`installation.html`
    and `installation#x` do not: MyST looks them up as names); a target that is no file may
    name a label (with `/`, `.` or `:` too), a glossary term, a Python object or an equation;
    other files must exist on disk. When exactly one file in the tree has the missing name, the
    message says "did you mean" and `--fix` rewrites the target; a target close to a label is
    never rewritten to a page.

    Why: a restructured tree breaks relative links; Sphinx only says so after a full build.

    Bad:
        See [the cluster guide](cluster.md).
    Good:
        See [the cluster guide](../../get-started/cluster.md).
    """
    yield from _report(
        page, ctx, _missing(TargetKind.LINK, TargetKind.FILE, TargetKind.DOCUMENT), _missing_target
    )


@rule(
    code="LNK002",
    reads_content=False,
    name="broken-anchor",
    severity=Severity.ERROR,
    scope=Scope.PAGE,
    sphinx_warnings=("myst", "myst.xref_missing", "myst.header"),
)
def broken_anchor(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A `#fragment` that is no heading anchor or label of the target page.

    Heading anchors are MyST's slugs for headings up to `myst_heading_anchors` levels deep
    (emoji and punctuation handled as MyST does; a repeated heading gets `-1`, `-2`, ...).
    Into another page (`page.md#x`) those slugs count, the section ids of slugged headings and
    the page's labels, as in MyST 5; within the page (`#x`) every section id too, and any label,
    term, object or equation of the project. Included files' headings count for the includer.

    Why: a renamed heading silently turns deep links into links to the top of the page.

    Bad:
        [requirements](installation.md#hardware)
    Good:
        [requirements](installation.md#hardware-requirements)
    """
    yield from _report(page, ctx, _missing(TargetKind.ANCHOR), _missing_anchor)


@rule(
    code="LNK003",
    reads_content=False,
    name="undefined-label",
    severity=Severity.ERROR,
    scope=Scope.PAGE,
    sphinx_warnings=(
        "ref",
        "ref.ref",
        "ref.term",
        "ref.numref",
        "ref.eq",
        "ref.any",
        "myst.iref_missing",
    ),
)
def undefined_label(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A `{ref}`, `{numref}`, `{term}`, `{eq}` or `{any}` target (or card `:link-type: ref`)
    that is defined nowhere.

    Labels are `(name)=` targets, `.. _name:` in reST, directives' `:name:`s and (with
    attrs_block / attrs_inline) `{#name}` ids, matched case-insensitively as Sphinx does;
    terms come from glossaries, equations from `{math}` `:label:` and `$$ (label)`. A
    `key:label` whose intersphinx inventory is only on the network is not reported offline.
    A `{ref}` without a title of its own to a label on a paragraph or an admonition (nothing
    with a title to show) is reported too, as Sphinx does.

    Why: Sphinx renders an undefined `{ref}` as plain text: the reader loses the link.

    Bad:
        {ref}`grpo-guide`   (no `(grpo-guide)=` anywhere)
    Good:
        (grpo-guide)=
        # GRPO
        ... {ref}`grpo-guide`
    """
    yield from _report(page, ctx, _missing(*_NAMED_KINDS), _undefined_label)


@rule(
    code="LNK004",
    reads_content=False,
    name="missing-image",
    severity=Severity.ERROR,
    scope=Scope.PAGE,
    sphinx_warnings=("image", "image.not_readable"),
)
def missing_image(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """An image or figure (Markdown, `{image}`, `{figure}` or `<img>`) whose file does not exist.

    Why: a moved page loses its relative image paths; the build shows a broken image.

    Bad:
        ![architecture](images/arch.png)   (the file is in ../assets/)
    Good:
        ![architecture](../assets/arch.png)
    """
    yield from _report(page, ctx, _missing(TargetKind.IMAGE), _missing_target)


@rule(
    code="LNK005",
    reads_content=False,
    name="outside-repository",
    severity=Severity.WARNING,
    scope=Scope.PAGE,
)
def outside_repository(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A relative link that climbs out of the repository root (the folder holding `.git`).

    Only reported inside a git checkout, where the repository root is known.

    Why: such a link only works on one machine's folder layout and breaks on the site.

    Bad:
        [config](../../../../other-repo/config.yaml)
    Good:
        [config](https://github.com/org/other-repo/blob/main/config.yaml)
    """
    yield from _report(page, ctx, _outside_repository, _outside)


@rule(
    code="LNK006",
    reads_content=False,
    name="duplicate-label",
    severity=Severity.ERROR,
    scope=Scope.TREE,
)
def duplicate_label(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """The same label is defined twice; reported at the second definition, naming both places.

    Why: Sphinx keeps one of the two, so every `{ref}` to it may land on the wrong page.

    Bad:
        (install)=   in get-started/installation.md and in about/index.md
    Good:
        (install)=   once; (about-install)= for the second
    """
    for sites in index.labels.values():
        first = sites[0]
        for site in sites[1:]:
            yield Finding(
                site.path,
                site.label.span,
                f"label `{site.label.name}` is defined twice: here and at "
                f"{first.path}:{first.label.span.line}",
            )


def _redirects(index: DocsIndex, ctx: CheckContext) -> Iterator[tuple[str, Redirect]]:
    """conf.py's literal redirects, each with its file's docs-root-relative path."""
    for redirect in from_conf(ctx.config.conf.path, index.docs_root)[0]:
        try:
            path = redirect.file.resolve().relative_to(index.docs_root.resolve()).as_posix()
        except ValueError:
            path = redirect.file.as_posix()
        yield path, redirect


@rule(
    code="LNK007",
    name="broken-redirect",
    severity=Severity.ERROR,
    scope=Scope.TREE,
    reads_body=False,
)
def broken_redirect(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """A redirect whose target document does not exist.

    Read from conf.py literals: sphinx-reredirects' `redirects` dict (targets are URLs relative
    to the old page, `../new/page.html`) and sphinx-rediraffe's `rediraffe_redirects` (a dict, or
    the name of a `redirects.txt` file; targets are docnames). Targets with a URL scheme or a
    `$source` placeholder are not checked.

    Why: a redirect to a page that moved again, or was deleted, sends readers of the old URL to a
    404 page; the build does not warn.

    Bad:
        redirects = {"get-started/docker": "../deploy/docker.html"}   (no deploy/docker.md)
    Good:
        redirects = {"get-started/docker": "../deploy/containers/docker.html"}
    """
    for path, redirect in _redirects(index, ctx):
        docname = target_docname(redirect)
        if docname is None or docname in index.pages or index.is_generated(docname):
            continue
        yield Finding(
            path,
            redirect.target_span,
            f"redirect `{redirect.source}` -> `{redirect.target}`: document `{docname}` "
            "does not exist",
        )


@rule(
    code="LNK008",
    name="shadowed-redirect",
    severity=Severity.WARNING,
    scope=Scope.TREE,
    reads_body=False,
)
def shadowed_redirect(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """A redirect whose source is still a document: the page and the redirect hide each other.

    Why: after a page comes back (or a move is undone) its old redirect still fires, or the build
    overwrites it; either way one of the two is never seen.

    Bad:
        redirects = {"get-started/docker": "../deploy/docker.html"}   (get-started/docker.md exists)
    Good:
        the redirect removed, or the old page deleted
    """
    for path, redirect in _redirects(index, ctx):
        source = redirect.source.strip("/")
        for suffix in (".md", ".rst", ".html"):
            source = source.removesuffix(suffix)
        if "*" in source or source not in index.pages:
            continue
        yield Finding(
            path,
            redirect.source_span,
            f"redirect source `{redirect.source}` is still a document ({index.pages[source].path})",
        )
