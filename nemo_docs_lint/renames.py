"""Rename edits: a label renamed with all its uses; documents moved with every link to them.

Each answer is a list of `Edit`s (docs-root-relative path, span, old text, new text) — the
shape of the edits module's `Edit`, so that module can take these over. Targets are rewritten
in the author's style: `/`-absolute stays absolute, relative stays relative, an extensionless,
`.md` or `.html` target keeps its form, a `#fragment` is kept. The moved page's own relative
references are rewritten too, so that they still lead where they did.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from .index import DocsIndex, normalise_label
from .model import Page, Span
from .navigate import Navigator


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text at `span` of `path` (which must read `old`) with `new`."""

    path: str
    span: Span
    old: str
    new: str


def rename_label(index: DocsIndex, label: str, new_name: str) -> list[Edit]:
    """Edits renaming the (normalised) `label` at its definitions and every use."""
    navigator = Navigator(index)
    key = normalise_label(label)
    edits = [
        Edit(site.path, site.label.span, site.label.name, new_name)
        for site in index.labels.get(key, ())
    ]
    for location in navigator.label_uses(key):
        page = index.by_path[location.path]
        old = _text(page, location.span)
        prefix = "#" if old.startswith("#") else ""
        edits.append(Edit(location.path, location.span, old, prefix + new_name))
    return edits


def move_edits(index: DocsIndex, moves: Mapping[str, str]) -> list[Edit]:
    """Edits that keep references working when files move (old path -> new path).

    Paths are docs-root-relative; an edit names the file where it stands before the move.
    """
    navigator = Navigator(index)
    docnames = {_docname(old): _docname(new) for old, new in moves.items()}
    edits: list[Edit] = []
    for page in (index.pages[d] for d in sorted(index.pages)):
        here = moves.get(page.path, page.path)
        for ref in page.body.references:
            found = navigator.reference_target(page, ref)
            if found is None or found.label is not None:
                continue
            target_path = moves.get(found.path, found.path)
            if target_path == found.path and here == page.path:
                continue
            old = _text(page, ref.span)
            new = _rewrite(old, page.path, here, found.path, target_path)
            if new is not None and new != old:
                edits.append(Edit(page.path, ref.span, old, new))
        for toctree in page.body.toctrees:
            for entry in toctree.entries:
                found = navigator.target(page, entry)
                if found is None or found.docname is None:
                    continue
                new_doc = docnames.get(found.docname, found.docname)
                if new_doc == found.docname and here == page.path:
                    continue
                old = _text(page, entry.span)
                new = _rewrite(old, page.docname, _docname(here), found.docname, new_doc)
                if new is not None and new != old:
                    edits.append(Edit(page.path, entry.span, old, new))
    return edits


def _docname(path: str) -> str:
    return posixpath.splitext(path)[0]


def _text(page: Page, span: Span) -> str:
    if span.line != span.end_line:
        return ""
    return page.line_text(span.line)[span.column - 1 : span.end_column - 1]


def _rewrite(written: str, source: str, new_source: str, target: str, new_target: str) -> str:
    """`written` (a target as the author wrote it, from `source`) pointing at `new_target` from
    `new_source`, in the same style."""
    scheme = "project:" if written.lower().startswith("project:") else ""
    body = written[len(scheme) :]
    path, hash_, fragment = body.partition("#")
    if not path:
        return written
    suffix = posixpath.splitext(path)[1]
    old_suffix = posixpath.splitext(target)[1]
    stem = _docname(new_target) if old_suffix and suffix != old_suffix else new_target
    if suffix and suffix != old_suffix:  # `.html` for a `.md` page: keep the `.html`
        stem += suffix
    elif not suffix and old_suffix:
        stem = _docname(new_target)
    if path.startswith("/"):
        new_path = "/" + stem
    else:
        new_path = posixpath.relpath(stem, posixpath.dirname(new_source) or ".")
        if path.startswith("./") and not new_path.startswith("."):
            new_path = "./" + new_path
    if path.endswith("/") and not new_path.endswith("/"):
        return written  # a folder link: leave it
    return scheme + new_path + hash_ + fragment
