"""Index stage: one DocsIndex over every page — docnames, labels, anchors, the toctree graph."""

from __future__ import annotations

import bisect
import functools
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .disk_answers import DiskAnswers
from .model import Heading, Label, LabelKind, Page, TocEntry, Toctree, Unreadable
from .sphinx_conf import SphinxConf

if TYPE_CHECKING:
    from .includes import IncludedPart

URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# `.. autosummary::` / ```{autosummary} followed by option lines, one of them `:toctree: DIR`.
_AUTOSUMMARY = re.compile(
    r"^[ \t]*(?:\.\.[ \t]+autosummary::|(?:```+|:::+)[ \t]*\{autosummary\})[^\n]*\n"
    r"(?:[ \t]*:[\w-]+:[^\n]*\n)*?[ \t]*:toctree:[ \t]*([^\n]+)",
    re.M,
)


def normalise_label(name: str) -> str:
    """Sphinx's label normalisation: case-insensitive, whitespace collapsed."""
    return " ".join(name.lower().split())


def section_id(title: str) -> str:
    """The id docutils gives a section (`docutils.nodes.make_id`), MyST's last anchor fallback."""
    from .markdown.slugs import docutils_slugify

    return docutils_slugify(title)


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
    folders: tuple[str, ...] = ()  # every folder the walk reached (`discover.Discovery.folders`)
    conf: SphinxConf = field(default_factory=SphinxConf)
    # what rules asked the disk beyond `files` (shared by the indexes derived from this one)
    disk: DiskAnswers = field(default_factory=DiskAnswers, compare=False, repr=False)

    @functools.cached_property
    def file_set(self) -> frozenset[str]:
        return frozenset(self.files)

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
    def includes(self) -> dict[str, list[IncludedPart]]:
        """Docname -> the files its includes pull in (transitively), for pages with includes."""
        from .includes import IncludeReader

        reader = IncludeReader(self, self.conf.heading_anchor_depth)
        return {
            docname: reader.parts(page.path, page.body)
            for docname, page in sorted(self.pages.items())
            if page.has_includes
        }

    @functools.cached_property
    def included(self) -> frozenset[str]:
        """Documents some page includes: Sphinx's `env.included`, never orphans."""
        from .includes import include_path

        found = set()
        by_path = self.by_path
        for docname, page in self.pages.items():
            if not page.has_includes:
                continue
            for include in page.body.includes:
                target = by_path.get(include_path(page.path, include.target))
                if target is not None and target.docname != docname:
                    found.add(target.docname)
        for parts in self.includes.values():
            for part in parts:
                if part.path in by_path:
                    found.add(by_path[part.path].docname)
        return frozenset(found)

    def targets_of(self, docname: str) -> list[tuple[str, Label]]:
        """(path, label) of every named target of a document, its includes' included."""
        page = self.pages[docname]
        found = [(page.path, label) for label in page.body.labels]
        for part in self.includes.get(docname, ()):
            found.extend((part.path, label) for label in part.labels)
        return found

    @functools.cached_property
    def _label_kinds(self) -> frozenset[str]:
        """Kinds of named targets that are Sphinx labels under this conf.py."""
        kinds = {LabelKind.LABEL, LabelKind.UNTITLED}
        if self.conf.myst_extensions & {"attrs_block", "attrs_inline"}:
            kinds |= {LabelKind.ATTR, LabelKind.ATTR_UNTITLED}
        return frozenset(kinds)

    @functools.cached_property
    def _targets_by_kind(self) -> dict[str, dict[str, list[LabelSite]]]:
        """Kind -> normalised name -> every place it is defined, in path order."""
        table: dict[str, dict[str, list[LabelSite]]] = {}
        label_kinds = self._label_kinds
        attrs_block = "attrs_block" in self.conf.myst_extensions and "deflist" in (
            self.conf.myst_extensions
        )
        for page in sorted(self.pages.values(), key=lambda p: p.path):
            for path, label in self.targets_of(page.docname):
                if label.kind == LabelKind.PYTHON:
                    continue  # see `python_objects`, built only when a look-up needs it
                kind = LabelKind.LABEL if label.kind in label_kinds else label.kind
                if kind == LabelKind.ATTR_TERM:  # a `{.glossary}` definition list's term
                    if not attrs_block:
                        continue
                    kind = LabelKind.TERM
                if path not in self.by_path:  # an excluded fragment: stands at the include
                    path = page.path
                name = normalise_label(label.name)
                site = LabelSite(page.docname, path, label)
                table.setdefault(kind, {}).setdefault(name, []).append(site)
        return table

    @property
    def labels(self) -> dict[str, list[LabelSite]]:
        """Normalised label -> every place it is defined, in path order."""
        return self._targets_by_kind.get(LabelKind.LABEL, {})

    def has_label(self, name: str) -> bool:
        return normalise_label(name) in self.labels

    def label_has_title(self, name: str) -> bool:
        """Whether a label names a section, figure, table or code block (whose title a `{ref}`
        without one of its own shows), not only a paragraph or an admonition."""
        titled = (LabelKind.LABEL, LabelKind.ATTR)
        return any(site.label.kind in titled for site in self.labels.get(normalise_label(name), ()))

    @property
    def terms(self) -> dict[str, list[LabelSite]]:
        """Glossary terms, lower-cased (the `{term}` role matches them case-insensitively)."""
        return self._targets_by_kind.get(LabelKind.TERM, {})

    @property
    def equations(self) -> dict[str, list[LabelSite]]:
        return self._targets_by_kind.get(LabelKind.EQUATION, {})

    @functools.cached_property
    def python_objects(self) -> frozenset[str]:
        """Full names of the Python objects pages declare (`py:class`, `autodoc2-object`, ...)."""
        return frozenset(
            label.name
            for page in self.pages.values()
            for _, label in self.targets_of(page.docname)
            if label.kind == LabelKind.PYTHON
        )

    def headings_of(self, docname: str) -> list[Heading]:
        """A document's headings, its included files' among them, slugged as MyST does."""
        page = self.pages[docname]
        parts = self.includes.get(docname)
        slugger = self.conf.heading_slugger
        if not parts and slugger == "github":
            return list(page.body.headings)  # slugged as the parser did
        from .markdown.slugs import SLUGGERS, heading_slugs

        headings = list(page.body.headings) + [h for part in parts or () for h in part.headings]
        depth = self.conf.heading_anchor_depth if page.is_markdown else 0
        items = [(h.level, h.text) for h in headings]
        slugs = heading_slugs(items, depth, SLUGGERS[slugger])
        return [
            Heading(h.level, h.text, slug, h.span) for h, slug in zip(headings, slugs, strict=True)
        ]

    @functools.cached_property
    def _anchor_cache(self) -> dict[tuple[str, bool], frozenset[str]]:
        return {}

    def anchors(self, docname: str, local: bool = False) -> frozenset[str]:
        """Ids a `#fragment` may name in a page (its included files' among them).

        From another page (`page.md#x`) MyST 5 accepts heading slugs, the section ids of
        slugged headings and the page's labels; within the page (`#x`) also every section id.
        """
        known = self._anchor_cache.get((docname, local))
        if known is None:
            headings = self.headings_of(docname)
            slugged = [h for h in headings if h.slug]
            ids = {h.slug for h in slugged}
            # MyST 5 also accepts, from another page, the docutils id of a slugged section
            # and any label of the page (by name or by id).
            ids |= {section_id(h.text) for h in (headings if local else slugged)}
            for _, label in self.targets_of(docname):
                if label.kind in self._label_kinds:
                    ids |= {normalise_label(label.name), section_id(label.name)}
                elif local and label.kind == LabelKind.SECTION:
                    ids.add(section_id(label.name))
            ids.discard("")
            known = self._anchor_cache[(docname, local)] = frozenset(ids)
        return known

    def path_exists(self, relpath: str) -> bool:
        """Whether a docs-root-relative path (a file or folder; it may climb out) exists.

        The resolver's file-system look-ups go through here (and `glob_exists`), so that the
        incremental index knows which pages depend on which paths; an answer that the
        tree's files do not give is logged in `disk` for the warm check."""
        if posixpath.normpath(relpath) in self.file_set:  # in the layout the state binds
            return os.path.exists(self.docs_root / relpath)
        return self.disk.exists(self.docs_root, relpath)

    def glob_exists(self, pattern: str) -> bool:
        """Whether a docs-root-relative glob pattern matches anything on disk."""
        return self.disk.matches(self.docs_root, pattern)

    def is_generated(self, docname_or_path: str) -> bool:
        """Whether a path lies in a folder Sphinx extensions fill at build time."""
        return self.generated_folder(docname_or_path) is not None

    def generated_folder(self, docname_or_path: str) -> str | None:
        """The build-time folder (`generated`, autosummary's `:toctree:`) that holds a path."""
        return next(
            (
                folder
                for folder in self.generated + self.autosummary_folders
                if docname_or_path == folder or docname_or_path.startswith(folder + "/")
            ),
            None,
        )

    @functools.cached_property
    def autosummary_folders(self) -> tuple[str, ...]:
        """Folders `autosummary` directives' `:toctree:` options fill at build time."""
        found: dict[str, None] = {}
        extensions = self.conf.string_list("extensions")
        if "extensions" in self.conf.values and "sphinx.ext.autosummary" not in extensions:
            return ()  # a literal `extensions` without autosummary: no directive can run
        for page in self.pages.values():
            if not page.mentions(".. autosummary::") and not page.mentions("{autosummary}"):
                continue
            text = page.text
            for match in _AUTOSUMMARY.finditer(text):
                folder = posixpath.normpath(
                    posixpath.join(posixpath.dirname(page.path), match[1].strip())
                )
                found.setdefault(folder.strip("/"), None)
        return tuple(found)

    @functools.cached_property
    def toc_links(self) -> list[TocLink]:
        """Every toctree entry of every page, resolved to a docname where possible."""
        return [link for parent in sorted(self.pages) for link in self.links_of(parent)]

    def links_of(self, parent: str) -> list[TocLink]:
        """The toctree entries of one page, resolved against the current set of documents."""
        links = []
        for toctree in self.pages[parent].body.toctrees:
            for entry in toctree.entries:
                target = entry.target
                if target == "self" or URL_SCHEME.match(target):
                    continue
                if toctree.glob and _has_glob(target):
                    for match in self.glob_docnames(parent, target):
                        links.append(TocLink(parent, toctree, entry, match))
                    continue
                docname = self.toctree_docname(parent, target)
                found = docname if docname in self.pages else None
                links.append(TocLink(parent, toctree, entry, found))
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
