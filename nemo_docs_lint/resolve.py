"""Resolve a page's references the way Sphinx and MyST do: what each target is, found or not.

Relative targets resolve from the current document's folder, `/`-targets from the docs root.
A Markdown link names a document when its path (extensionless or `.md`) is a docname; otherwise
an existing file on disk; otherwise, as MyST does, it is a project-wide "any" reference: a label
(names may hold `/`, `.`, `:`), a document, a glossary term, a Python object, an equation or,
through intersphinx, an object of another project (see `targets`). `#fragment`s are checked
against the target page's heading slugs, section ids and labels.

The answers are neutral facts (a `Resolution`); the LNK rules (`rules/links.py`) turn them into
messages and fixes.
"""

from __future__ import annotations

import enum
import os
import posixpath
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from .index import URL_SCHEME, DocsIndex, join_docname, normalise_label
from .model import Page, Reference, RefKind
from .targets import Targets


class Outcome(str, enum.Enum):
    """Whether a target was found."""

    OK = "ok"
    EXTERNAL = "external"  # has a URL scheme: the external-link checker's business
    MISSING = "missing"  # nothing of that name exists
    OUTSIDE_REPOSITORY = "outside-repository"  # the path climbs out of the repository


class TargetKind(str, enum.Enum):
    """What a target was looked up as."""

    LABEL = "label"  # {ref}, card `:link-type: ref`
    DOCUMENT = "document"  # {doc}, card `:link-type: doc`
    FILE = "file"  # {download}, <path:...>
    IMAGE = "image"  # images and figures
    LINK = "link"  # a Markdown link's path
    ANCHOR = "anchor"  # a `#fragment` of a page
    TERM = "term"  # {term}
    EQUATION = "equation"  # {eq}
    ANY = "any"  # {any}
    INVENTORY = "inventory"  # <inv:...>
    UNTITLED = "untitled"  # {ref} without a title to a label that has none


@dataclass(frozen=True)
class Resolution:
    """What the resolver found out about one reference.

    - `target`: what was looked for, as written (a label, a docname, a path);
    - `path`: the path part a file suggestion replaces (file-like kinds);
    - `fragment`: the `#fragment` (links, anchors);
    - `page`: ANCHOR: the docs-root-relative path of the page that lacks the anchor;
      `local`: the fragment was written as `#x` within the page;
    - `candidates`: LABEL/ANCHOR/TERM/EQUATION: the names that do exist; DOCUMENT: the one
      document file and file-like kinds the one file in the tree with the missing name (empty:
      none, or several);
    - `labels`: LINK: the project's labels (a link that is no file may have meant one);
    - `source`: LINK: the target written as MyST reads a document (`x.html`, `x#y` -> `x.md`...).
    """

    outcome: Outcome
    kind: TargetKind | None = None
    target: str = ""
    path: str = ""
    fragment: str = ""
    page: str = ""
    local: bool = False
    candidates: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    source: str = ""


OK = Resolution(Outcome.OK)
IMAGE_KINDS = frozenset(
    {RefKind.IMAGE, RefKind.HTML_IMAGE, RefKind.IMAGE_DIRECTIVE, RefKind.FIGURE_DIRECTIVE}
)
_DOC_SUFFIXES = (".md", ".rst")
_HTML_DOC_SUFFIXES = (".md", ".html", ".rst")  # raw HTML links name the built pages


class Resolver:
    """Resolves references against one index; file-system look-ups are cached per run."""

    def __init__(self, index: DocsIndex, repo_root: Path | None) -> None:
        self.index = index
        self.targets = Targets(index)
        self.docs_root = index.docs_root.resolve()
        self._candidates: dict[str | tuple[str, bool], tuple[str, ...]] = {}
        self.repo_root = repo_root.resolve() if repo_root else None
        self._exists_cache: dict[str, bool] = {}

    def resolve(self, page: Page, ref: Reference) -> Resolution:
        target = ref.target.strip()
        if not target:
            return OK
        kind = ref.kind
        if kind is RefKind.REF_ROLE:
            if ref.link_type != "title" and not self._titled(target):
                return Resolution(Outcome.MISSING, TargetKind.UNTITLED, target)
            return self._label(target)
        if kind is RefKind.NUMREF_ROLE:
            return self._label(target)
        if kind is RefKind.TERM_ROLE:
            return self._named(self.targets.term(target), TargetKind.TERM, target)
        if kind is RefKind.EQ_ROLE:
            return self._named(self.targets.equation(target), TargetKind.EQUATION, target)
        if kind is RefKind.ANY_ROLE:
            return self._named(self.targets.any_role(page, target), TargetKind.ANY, target)
        if kind is RefKind.DOC_ROLE:
            return self._doc(page, target)
        if kind is RefKind.DOWNLOAD_ROLE:
            return self._file(page, ref, target)
        if kind is RefKind.CARD_LINK:
            return self._card(page, ref, target)
        if kind in IMAGE_KINDS:
            return self._image(page, ref, target)
        return self._link(page, ref, target)

    # -- kinds -------------------------------------------------------------------------------

    def _label(self, target: str) -> Resolution:
        if self.targets.label(target) is not False:  # None: a remote inventory would know
            return OK
        return Resolution(
            Outcome.MISSING, TargetKind.LABEL, target, candidates=self._names("labels")
        )

    def _titled(self, target: str) -> bool:
        """False for a label that exists but names nothing with a title (a paragraph)."""
        return not self.index.has_label(target) or self.index.label_has_title(target)

    def _named(self, found: bool | None, kind: TargetKind, target: str) -> Resolution:
        if found is not False:
            return OK
        key = {TargetKind.TERM: "terms", TargetKind.EQUATION: "equations"}.get(kind)
        candidates = self._names(key) if key else ()
        return Resolution(Outcome.MISSING, kind, target, candidates=candidates)

    def _doc(self, page: Page, target: str) -> Resolution:
        docname = join_docname(page.docname, target)
        if docname in self.index.pages or self._generated(docname):
            return OK
        name = posixpath.basename(target.rstrip("/"))
        suggestion = self.index.unique_file_named(name) if name else None
        if suggestion is None or posixpath.splitext(suggestion)[0] not in self.index.pages:
            return Resolution(Outcome.MISSING, TargetKind.DOCUMENT, target)
        return Resolution(Outcome.MISSING, TargetKind.DOCUMENT, target, candidates=(suggestion,))

    def _card(self, page: Page, ref: Reference, target: str) -> Resolution:
        link_type = (ref.link_type or "url").lower()
        if link_type == "doc":
            return self._doc(page, target)
        if link_type == "ref":
            return self._label(target)
        if link_type == "any":
            if self.index.has_label(target):
                return OK
            return self._doc(page, target)
        return self._link(page, ref, target)

    def _image(self, page: Page, ref: Reference, target: str) -> Resolution:
        if URL_SCHEME.match(target) or target.startswith("//") or target.startswith("data:"):
            return Resolution(Outcome.EXTERNAL)
        path, _ = _split_fragment(target) if ref.kind is RefKind.HTML_IMAGE else (target, "")
        relpath = self._relpath(page, unquote(path))
        outside = self._outside(relpath, path)
        if outside:
            return outside
        if self._generated(relpath):
            return OK
        if any(c in relpath for c in "*?"):
            if self._glob_exists(relpath):
                return OK
        elif self._exists(relpath):
            return OK
        return self._missing(TargetKind.IMAGE, target, path)

    def _file(self, page: Page, ref: Reference, target: str) -> Resolution:
        relpath = self._relpath(page, unquote(target))
        outside = self._outside(relpath, target)
        if outside:
            return outside
        if self._exists(relpath) or self._generated(relpath):
            return OK
        return self._missing(TargetKind.FILE, target, target)

    def _link(self, page: Page, ref: Reference, target: str) -> Resolution:
        conf = self.index.conf
        markdown = ref.kind is RefKind.LINK or ref.kind is RefKind.AUTOLINK
        if markdown and (conf.all_links_external or self.targets.is_external_class(ref)):
            return Resolution(Outcome.EXTERNAL)  # MyST writes these out as plain URLs
        scheme = URL_SCHEME.match(target)
        if scheme:
            name = scheme.group(0)[:-1].lower()
            if name == "project":
                target = target[len("project:") :]
            elif name == "path":
                return self._file(page, ref, _split_fragment(target[len("path:") :])[0])
            elif name == "inv" and markdown:
                found = self.targets.inventory_link(target)
                return (
                    OK
                    if found is not False
                    else Resolution(Outcome.MISSING, TargetKind.INVENTORY, target)
                )
            elif name in conf.url_schemes or not markdown:
                return Resolution(Outcome.EXTERNAL)
            else:  # no URL to MyST (`ns:label`): a reference name like any other
                return self._any(page, target)
        if target.startswith("//"):
            return Resolution(Outcome.EXTERNAL)
        path, fragment = _split_fragment(target)
        if not path:
            return self._local_anchor(page, fragment) if fragment else OK
        path = unquote(path)
        relpath = self._relpath(page, path)
        if markdown and fragment and not posixpath.splitext(path)[1]:
            return self._any(page, target)  # `page#x` is no file: MyST looks it up whole
        docname = self._docname_of(self._link_docname(page, path, relpath), html=not markdown)
        if docname is not None:  # before the repository check: a docname's `..` is clamped
            return self._anchor_in(docname, fragment, target) if fragment else OK
        outside = self._outside(relpath, path)
        if outside:
            return outside
        if self._exists(relpath) or self._generated(relpath):
            return OK
        if markdown and not fragment:
            return self._any(page, path)
        return self._missing(TargetKind.LINK, path, path, fragment)

    def _any(self, page: Page, target: str) -> Resolution:
        """MyST's fallback for a link target that is no file: a project-wide reference name."""
        if self.targets.any_reference(page, target) is not False:
            return OK
        path = _split_fragment(target)[0]
        missing = self._missing(TargetKind.LINK, target, path)
        return replace(missing, labels=self._names("labels"), source=self._source(page, target))

    def _source(self, page: Page, target: str) -> str:
        """`x.html` or `x#frag` naming an existing document: written with its source suffix."""
        path, sep, fragment = target.partition("#")
        stem = path.removesuffix(".html")
        if (stem == path and not sep) or posixpath.splitext(stem)[1]:
            return ""
        docname = self._docname_of(join_docname(page.docname, stem))
        if docname is None:
            return ""
        suffix = posixpath.splitext(self.index.pages[docname].path)[1]
        return stem + suffix + sep + fragment

    # -- helpers -----------------------------------------------------------------------------

    def _local_anchor(self, page: Page, fragment: str) -> Resolution:
        """MyST: the page's labels and slugs, then any target of the project, then its ids."""
        local = self.index.anchors(page.docname, local=True)
        if (
            fragment in local
            or normalise_label(fragment) in local
            or self.targets.any_reference(page, fragment) is not False
        ):
            return OK
        return self._missing_anchor(page.docname, fragment, f"#{fragment}")

    def _anchor_in(self, docname: str, fragment: str, target: str) -> Resolution:
        if fragment in self.index.anchors(docname):
            return OK
        return self._missing_anchor(docname, fragment, target)

    def _names(self, key: str | tuple[str, bool]) -> tuple[str, ...]:
        """The labels (`"labels"`), terms, equations or one page's anchors (`(docname, local)`),
        as one tuple per run: thousands of misses share it (and the did-you-mean prepared for
        it)."""
        found = self._candidates.get(key)
        if found is None:
            if isinstance(key, tuple):
                found = tuple(sorted(self.index.anchors(*key)))
            elif key == "labels":
                found = tuple(self.index.labels)
            elif key == "terms":
                found = tuple(self.index.terms)
            else:
                found = tuple(self.index.equations)
            self._candidates[key] = found
        return found

    def _missing_anchor(self, docname: str, fragment: str, target: str) -> Resolution:
        local = target.startswith("#")
        return Resolution(
            Outcome.MISSING,
            TargetKind.ANCHOR,
            target,
            fragment=fragment,
            page=self.index.pages[docname].path,
            local=local,
            candidates=self._names((docname, local)),
        )

    def _relpath(self, page: Page, path: str) -> str:
        """A docs-root-relative posix path (may start with `../` when it leaves the root)."""
        if path.startswith("/"):
            return posixpath.normpath(path.lstrip("/")) if path.strip("/") else "."
        return posixpath.normpath(posixpath.join(posixpath.dirname(page.path), path))

    @staticmethod
    def _link_docname(page: Page, path: str, relpath: str) -> str:
        """Where a Markdown link looks for a document.

        A path with a suffix (`../x.md`) is a file path, as MyST resolves it: one that climbs
        above the docs root names no document. An extensionless target is a docname, joined
        as Sphinx's `docname_join` does, which clamps `..` at the docs root.
        """
        if posixpath.splitext(path)[1]:
            return relpath
        return join_docname(page.docname, path)

    def _docname_of(self, relpath: str, html: bool = False) -> str | None:
        pages = self.index.pages
        if relpath in pages:
            return relpath
        for suffix in _HTML_DOC_SUFFIXES if html else _DOC_SUFFIXES:
            if relpath.endswith(suffix) and relpath[: -len(suffix)] in pages:
                return relpath[: -len(suffix)]
        return None

    def _outside(self, relpath: str, written: str) -> Resolution | None:
        """LNK005 when `relpath` (docs-root-relative) climbs out of the repository."""
        if self.repo_root is None or not relpath.startswith(".."):
            return None
        absolute = Path(os.path.normpath(self.docs_root / relpath))
        if absolute == self.repo_root or self.repo_root in absolute.parents:
            return None
        return Resolution(Outcome.OUTSIDE_REPOSITORY, target=written)

    def _generated(self, relpath: str) -> bool:
        folder = self.index.generated_folder(relpath)
        return folder is not None and not self._exists(folder)

    def _exists(self, relpath: str) -> bool:
        known = self._exists_cache.get(relpath)
        if known is None:
            known = self._exists_cache[relpath] = self.index.path_exists(relpath)
        return known

    def _glob_exists(self, relpath: str) -> bool:
        return self.index.glob_exists(relpath)

    def _missing(self, kind: TargetKind, target: str, path: str, fragment: str = "") -> Resolution:
        """A missing file-like target, with the one file in the tree that has its name."""
        name = posixpath.basename(path.rstrip("/"))
        suggestion = self.index.unique_file_named(name) if name else None
        candidates = (suggestion,) if suggestion is not None else ()
        return Resolution(Outcome.MISSING, kind, target, path, fragment, candidates=candidates)


def _split_fragment(target: str) -> tuple[str, str]:
    path, _, fragment = target.partition("#")
    return path, fragment
