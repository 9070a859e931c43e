"""Editor navigation over the index: what stands at a position, where it leads, who points at it.

Positions are 1-based lines and columns as in `Span`. The language server turns the answers into
LSP locations and hovers; nothing here knows about LSP.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote

from .index import URL_SCHEME, DocsIndex, join_docname, normalise_label
from .model import Label, Page, Reference, RefKind, Span, TocEntry
from .resolve import IMAGE_KINDS, Resolver

LABEL_KINDS = frozenset({RefKind.REF_ROLE})
_TOP = Span(1, 1, 1, 1)


@dataclass(frozen=True)
class Location:
    """A place in the tree: a docs-root-relative path and a span in it."""

    path: str
    span: Span


@dataclass(frozen=True)
class Target:
    """Where a reference leads: a document (maybe at a heading or label), a label, or a file."""

    path: str
    span: Span
    docname: str | None = None  # set when the target is a document
    label: str | None = None  # normalised label name, when it is a label


Item = Reference | Label | TocEntry


def _inside(span: Span, line: int, column: int) -> bool:
    if not span.line <= line <= span.end_line:
        return False
    if line == span.line and column < span.column:
        return False
    return not (line == span.end_line and column > span.end_column)


def item_at(page: Page, line: int, column: int) -> Item | None:
    """The reference, label or toctree entry whose text holds the position."""
    for ref in page.body.references:
        if _inside(ref.span, line, column):
            return ref
    for label in page.body.labels:
        if _inside(label.span, line, column):
            return label
    for toctree in page.body.toctrees:
        for entry in toctree.entries:
            if _inside(entry.span, line, column):
                return entry
    return None


class Navigator:
    """Answers definition, references and hover questions against one index."""

    def __init__(self, index: DocsIndex, resolver: Resolver | None = None) -> None:
        self.index = index
        self.resolver = resolver or Resolver(index, None)

    # -- where things lead -------------------------------------------------------------------

    def target(self, page: Page, item: Item) -> Target | None:
        if isinstance(item, Label):
            return self._label(item.name)
        if isinstance(item, TocEntry):
            if item.target == "self":
                return self._document(page.docname)
            if URL_SCHEME.match(item.target):
                return None
            return self._document(self.index.toctree_docname(page.docname, item.target))
        return self.reference_target(page, item)

    def reference_target(self, page: Page, ref: Reference) -> Target | None:
        target = ref.target.strip()
        kind = ref.kind
        if not target:
            return None
        if kind in LABEL_KINDS:
            return self._label(target)
        if kind is RefKind.DOC_ROLE:
            return self._document(join_docname(page.docname, target))
        if kind is RefKind.CARD_LINK:
            link_type = (ref.link_type or "url").lower()
            if link_type == "ref" or (link_type == "any" and self.index.has_label(target)):
                return self._label(target)
            if link_type in ("doc", "any"):
                return self._document(join_docname(page.docname, target))
        if kind in IMAGE_KINDS or kind is RefKind.DOWNLOAD_ROLE:
            return self._file(self.resolver._relpath(page, unquote(target.partition("#")[0])))
        if URL_SCHEME.match(target):
            if not target.lower().startswith("project:"):
                return None
            target = target[len("project:") :]
        path, _, fragment = target.partition("#")
        if not path:
            return self._local(page, fragment) if fragment else None
        path = unquote(path)
        relpath = self.resolver._relpath(page, path)
        docname = self.resolver._docname_of(self.resolver._link_docname(page, path, relpath))
        if docname is not None:
            return self._document(docname, fragment)
        found = self._file(relpath)
        if found is None and "/" not in path and not fragment:
            return self._label(path)
        return found

    def _label(self, name: str) -> Target | None:
        sites = self.index.labels.get(normalise_label(name))
        if not sites:
            return None
        site = sites[0]
        return Target(site.path, site.label.span, site.docname, normalise_label(name))

    def _document(self, docname: str, fragment: str = "") -> Target | None:
        page = self.index.pages.get(docname)
        if page is None:
            return None
        for heading in page.body.headings:
            if fragment and heading.slug == fragment:
                return Target(page.path, heading.span, docname)
        return Target(page.path, _TOP, docname)

    def _local(self, page: Page, fragment: str) -> Target | None:
        for heading in page.body.headings:
            if fragment in (heading.slug,) and heading.slug:
                return Target(page.path, heading.span, page.docname)
        found = self._label(fragment)
        if found is None and join_docname(page.docname, fragment) in self.index.pages:
            return self._document(join_docname(page.docname, fragment))
        return found

    def _file(self, relpath: str) -> Target | None:
        if relpath.startswith("..") or relpath not in self._files:
            return None
        return Target(relpath, _TOP)

    @property
    def _files(self) -> frozenset[str]:
        found = self.__dict__.get("_file_set")
        if found is None:
            found = self.__dict__["_file_set"] = frozenset(self.index.files)
        return found

    # -- definition, references, hover -------------------------------------------------------

    def definition(self, page: Page, line: int, column: int) -> Location | None:
        item = item_at(page, line, column)
        found = self.target(page, item) if item is not None else None
        return Location(found.path, found.span) if found else None

    def references(self, page: Page, line: int, column: int) -> list[Location]:
        """Every use of the label at the position, else every link to the current document."""
        item = item_at(page, line, column)
        found = self.target(page, item) if item is not None else None
        if found is not None and found.label is not None:
            return self.label_uses(found.label)
        docname = found.docname if found is not None and found.docname else page.docname
        return self.document_uses(docname)

    def label_uses(self, label: str) -> list[Location]:
        """Where a (normalised) label is used: roles, cards, `[](label)` and `[](#label)`."""
        uses = []
        for other in self._pages():
            for ref in other.body.references:
                if label not in normalise_label(ref.target):
                    continue
                found = self.reference_target(other, ref)
                if found is not None and found.label == label:
                    uses.append(Location(other.path, ref.span))
        return uses

    def document_uses(self, docname: str) -> list[Location]:
        """Links, roles and toctree entries that lead to a document."""
        stem = posixpath.basename(docname)
        uses = []
        for other in self._pages():
            for ref in other.body.references:
                if stem not in ref.target:
                    continue
                found = self.reference_target(other, ref)
                if found is not None and found.docname == docname and found.label is None:
                    uses.append(Location(other.path, ref.span))
        for link in self.index.toc_links:
            if link.child == docname:
                uses.append(Location(self.index.pages[link.parent].path, link.entry.span))
        return sorted(set(uses), key=lambda loc: (loc.path, loc.span.line, loc.span.column))

    def hover(self, page: Page, line: int, column: int) -> str | None:
        """Markdown: the target page's title and description, or the file's path."""
        item = item_at(page, line, column)
        found = self.target(page, item) if item is not None else None
        if found is None:
            return None
        if found.docname is None:
            return f"`{found.path}`"
        target_page = self.index.pages[found.docname]
        title = target_page.body.title or target_page.docname
        parts = [f"**{title}**", f"`{target_page.path}`"]
        if found.label is not None:
            parts[0] = f"label `{found.label}` in **{title}**"
        description = target_page.metadata.get("description")
        if isinstance(description, str) and description.strip():
            parts.append(" ".join(description.split()))
        return "\n\n".join(parts)

    def _pages(self) -> list[Page]:
        return [self.index.pages[d] for d in sorted(self.index.pages)]
