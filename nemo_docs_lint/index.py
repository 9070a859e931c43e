"""Index stage: one DocsIndex over every page — docnames, labels, anchors, the toctree graph."""

from __future__ import annotations

import bisect
import functools
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from .model import Label, Page, TocEntry, Toctree, Unreadable

URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def normalise_label(name: str) -> str:
    """Sphinx's label normalisation: case-insensitive, whitespace collapsed."""
    return " ".join(name.lower().split())


def section_id(title: str) -> str:
    """The id docutils gives a section (`docutils.nodes.make_id`), MyST's last anchor fallback."""
    import unicodedata

    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return re.sub(r"^[-0-9]+|-+$", "", text)


@dataclass(frozen=True)
class LabelSite:
    docname: str
    path: str
    label: Label


@dataclass(frozen=True)
class TocLink:
    """One resolved toctree entry: the page that lists it, the directive and the entry."""

    parent: str
    toctree: Toctree
    entry: TocEntry
    child: str | None  # docname, or None when it names no document


@dataclass
class DocsIndex:
    """All pages by docname, plus the files that could not become pages."""

    pages: dict[str, Page]  # docname -> page
    unreadable: list[tuple[str, Unreadable]] = field(default_factory=list)
    duplicate_sources: tuple[tuple[str, str], ...] = ()
    docs_root: Path = Path(".")
    root_doc: str = "index"
    generated: tuple[str, ...] = ()  # folders filled at build time (autodoc2, config `generated`)
    files: tuple[str, ...] = ()  # every non-excluded file under the docs root

    @functools.cached_property
    def _files_by_name(self) -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for path in self.files:
            table.setdefault(posixpath.basename(path), []).append(path)
        return table

    def unique_file_named(self, name: str) -> str | None:
        """The one file in the tree called `name` (or `name` + a source suffix), if unique."""
        found = list(self._files_by_name.get(name, ()))
        if not posixpath.splitext(name)[1]:
            for suffix in (".md", ".rst"):
                found += self._files_by_name.get(name + suffix, ())
        return found[0] if len(found) == 1 else None

    @functools.cached_property
    def by_path(self) -> dict[str, Page]:
        return {page.path: page for page in self.pages.values()}

    @functools.cached_property
    def labels(self) -> dict[str, list[LabelSite]]:
        """Normalised label -> every place it is defined, in path order."""
        table: dict[str, list[LabelSite]] = {}
        for page in sorted(self.pages.values(), key=lambda p: p.path):
            for label in page.body.labels:
                site = LabelSite(page.docname, page.path, label)
                table.setdefault(normalise_label(label.name), []).append(site)
        return table

    def has_label(self, name: str) -> bool:
        return normalise_label(name) in self.labels

    @functools.cached_property
    def _anchor_cache(self) -> dict[tuple[str, bool], frozenset[str]]:
        return {}

    def anchors(self, docname: str, local: bool = False) -> frozenset[str]:
        """Ids a `#fragment` may name in a page.

        From another page (`page.md#x`) MyST accepts only heading slugs; within the page
        (`#x`) also the page's labels and docutils section ids.
        """
        known = self._anchor_cache.get((docname, local))
        if known is None:
            page = self.pages[docname]
            ids = {h.slug for h in page.body.headings if h.slug}
            if local:
                ids |= {section_id(h.text) for h in page.body.headings}
                ids |= {normalise_label(label.name) for label in page.body.labels}
            ids.discard("")
            known = self._anchor_cache[(docname, local)] = frozenset(ids)
        return known

    def is_generated(self, docname_or_path: str) -> bool:
        """Whether a path lies in a folder Sphinx extensions fill at build time."""
        return self.generated_folder(docname_or_path) is not None

    def generated_folder(self, docname_or_path: str) -> str | None:
        """The build-time folder (see `generated`) that holds a path, if any."""
        return next(
            (
                folder
                for folder in self.generated
                if docname_or_path == folder or docname_or_path.startswith(folder + "/")
            ),
            None,
        )

    @functools.cached_property
    def toc_links(self) -> list[TocLink]:
        """Every toctree entry of every page, resolved to a docname where possible."""
        links = []
        docnames = sorted(self.pages)
        for parent in docnames:
            page = self.pages[parent]
            for toctree in page.body.toctrees:
                for entry in toctree.entries:
                    target = entry.target
                    if target == "self" or URL_SCHEME.match(target):
                        continue
                    if toctree.glob and _has_glob(target):
                        for child in self.glob_docnames(parent, target):
                            links.append(TocLink(parent, toctree, entry, child))
                        continue
                    child = self.toctree_docname(parent, target)
                    links.append(
                        TocLink(parent, toctree, entry, child if child in self.pages else None)
                    )
        return links

    def toctree_docname(self, parent: str, target: str) -> str:
        """Sphinx's docname for a toctree entry: relative to the parent, suffix stripped."""
        for suffix in (".md", ".rst", ".txt"):
            if target.endswith(suffix):
                target = target[: -len(suffix)]
                break
        return join_docname(parent, target)

    def glob_docnames(self, parent: str, pattern: str) -> list[str]:
        """The docnames a toctree `:glob:` entry matches (none for an invalid pattern).

        Only docnames sharing the pattern's literal prefix are tried (a bisection of the sorted
        docnames), so that many glob toctrees do not each scan the whole tree.
        """
        from .globs import GlobError, compile_pattern

        full = join_docname(parent, pattern)
        try:
            glob = compile_pattern(full, sphinx=True)  # Sphinx: `**/` needs a folder
        except GlobError:
            return []
        prefix = re.split(r"[*?\[]", full, maxsplit=1)[0]
        names = self.sorted_docnames
        start = bisect.bisect_left(names, prefix)
        end = bisect.bisect_left(names, prefix + "\U0010ffff")
        return [d for d in names[start:end] if d != parent and glob.match(d)]

    @functools.cached_property
    def sorted_docnames(self) -> list[str]:
        return sorted(self.pages)

    @functools.cached_property
    def toctree_children(self) -> dict[str, list[str]]:
        graph: dict[str, list[str]] = {}
        for link in self.toc_links:
            if link.child is not None:
                graph.setdefault(link.parent, []).append(link.child)
        return graph

    @functools.cached_property
    def in_some_toctree(self) -> frozenset[str]:
        return frozenset(link.child for link in self.toc_links if link.child is not None)

    @functools.cached_property
    def reachable(self) -> frozenset[str]:
        """Docnames reachable from the root document through toctrees."""
        seen = {self.root_doc}
        stack = [self.root_doc]
        while stack:
            for child in self.toctree_children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return frozenset(seen)


def _has_glob(target: str) -> bool:
    return any(c in target for c in "*?[")


def join_docname(current: str, target: str) -> str:
    """Sphinx's `docname_join`: `/x` from the root, else relative to the current doc's folder.

    As in Sphinx, `..` never climbs above the docs root: `../../x` from `a/b` is `x`.
    """
    return posixpath.normpath(posixpath.join("/" + current, "..", target))[1:]
