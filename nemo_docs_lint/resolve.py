"""Resolve a page's references the way Sphinx and MyST do, and say what is wrong with each.

Relative targets resolve from the current document's folder, `/`-targets from the docs root.
A Markdown link names a document when its path (extensionless or `.md`) is a docname; otherwise
an existing file on disk; otherwise, as MyST does, it is a project-wide "any" reference: a label
(names may hold `/`, `.`, `:`), a glossary term, a Python object, an equation or, through
intersphinx, an object of another project. `#fragment`s are checked against the target page's
heading slugs, section ids and labels.
"""

from __future__ import annotations

import enum
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .index import URL_SCHEME, DocsIndex, join_docname, normalise_label
from .model import Fix, Reference, RefKind
from .page import Page
from .suggest import did_you_mean


class Outcome(str, enum.Enum):
    OK = "ok"
    EXTERNAL = "external"  # has a URL scheme: the external-link checker's business
    SKIPPED = "skipped"  # into a folder Sphinx fills at build time
    BROKEN_LINK = "broken-link"  # LNK001
    BROKEN_ANCHOR = "broken-anchor"  # LNK002
    UNDEFINED_LABEL = "undefined-label"  # LNK003
    MISSING_IMAGE = "missing-image"  # LNK004
    OUTSIDE_REPOSITORY = "outside-repository"  # LNK005


@dataclass(frozen=True)
class Resolution:
    outcome: Outcome
    message: str = ""
    fix: Fix | None = None


OK = Resolution(Outcome.OK)
IMAGE_KINDS = frozenset(
    {RefKind.IMAGE, RefKind.HTML_IMAGE, RefKind.IMAGE_DIRECTIVE, RefKind.FIGURE_DIRECTIVE}
)
_DOC_SUFFIXES = (".md", ".rst")
_HTML_DOC_SUFFIXES = (".md", ".html", ".rst")  # raw HTML links name the built pages


class Resolver:
    """Resolves references against one index; file-system look-ups are cached per run."""

    def __init__(self, index: DocsIndex, repo_root: Path | None) -> None:
        from .targets import Targets

        self.index = index
        self.targets = Targets(index)
        self.docs_root = index.docs_root.resolve()
        self.repo_root = repo_root.resolve() if repo_root else None
        self._exists_cache: dict[str, bool] = {}

    def resolve(self, page: Page, ref: Reference) -> Resolution:
        target = ref.target.strip()
        if not target:
            return OK
        kind = ref.kind
        if kind is RefKind.REF_ROLE or kind is RefKind.NUMREF_ROLE:
            return self._label(target)
        if kind is RefKind.TERM_ROLE:
            return self._named(self.targets.term(target), "term", target)
        if kind is RefKind.EQ_ROLE:
            return self._named(self.targets.equation(target), "equation", target)
        if kind is RefKind.ANY_ROLE:
            if self.targets.any_role(page, target):
                return OK
            return self._named(False, "target", target)
        if kind is RefKind.DOC_ROLE:
            return self._doc(page, target, ref)
        if kind is RefKind.DOWNLOAD_ROLE:
            return self._file(page, ref, target)
        if kind is RefKind.CARD_LINK:
            return self._card(page, ref, target)
        if kind in IMAGE_KINDS:
            return self._image(page, ref, target)
        return self._link(page, ref, target)

    # -- kinds -------------------------------------------------------------------------------

    def _label(self, target: str) -> Resolution:
        found = self.targets.label(target)
        if found is not False:
            return OK  # defined, or only an inventory we do not have could say
        hint = did_you_mean(normalise_label(target), list(self.index.labels), "`")
        return Resolution(Outcome.UNDEFINED_LABEL, f"label `{target}` is not defined{hint}")

    def _named(self, found: bool | None, what: str, target: str) -> Resolution:
        """A term, equation or any-target: found, unknowable offline (None), or undefined."""
        if found is not False:
            return OK
        names = {"term": self.index.terms, "equation": self.index.equations}.get(what, {})
        hint = did_you_mean(normalise_label(target), list(names), "`") if names else ""
        message = {
            "term": f"term `{target}` is not in any glossary{hint}",
            "equation": f"equation `{target}` is not defined{hint}",
        }.get(what, f"`{target}` names no label, document, term or object")
        return Resolution(Outcome.UNDEFINED_LABEL, message)

    def _doc(self, page: Page, target: str, ref: Reference | None = None) -> Resolution:
        docname = join_docname(page.docname, target)
        if docname in self.index.pages or self._generated(docname):
            return OK
        message = f"document `{target}` does not exist"
        name = posixpath.basename(target.rstrip("/"))
        suggestion = self.index.unique_file_named(name) if name else None
        if suggestion is None or posixpath.splitext(suggestion)[0] not in self.index.pages:
            return Resolution(Outcome.BROKEN_LINK, message)
        new_docname = posixpath.splitext(suggestion)[0]
        if target.startswith("/"):
            new_target = "/" + new_docname
        else:
            new_target = posixpath.relpath(new_docname, posixpath.dirname(page.docname) or ".")
        fix = None
        if ref is not None and ref.span.line == ref.span.end_line and ref.target == target:
            fix = Fix(ref.span, target, new_target)
        return Resolution(Outcome.BROKEN_LINK, f"{message}; did you mean `{new_target}`?", fix)

    def _card(self, page: Page, ref: Reference, target: str) -> Resolution:
        link_type = (ref.link_type or "url").lower()
        if link_type == "doc":
            return self._doc(page, target, ref)
        if link_type == "ref":
            return self._label(target)
        if link_type == "any":
            if self.index.has_label(target):
                return OK
            return self._doc(page, target, ref)
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
        return self._broken(
            Outcome.MISSING_IMAGE, f"image `{target}` does not exist", ref, page, path
        )

    def _file(self, page: Page, ref: Reference, target: str) -> Resolution:
        relpath = self._relpath(page, unquote(target))
        outside = self._outside(relpath, target)
        if outside:
            return outside
        if self._exists(relpath) or self._generated(relpath):
            return OK
        return self._broken(
            Outcome.BROKEN_LINK, f"file `{target}` does not exist", ref, page, target
        )

    def _link(self, page: Page, ref: Reference, target: str) -> Resolution:
        conf = self.index.conf
        markdown = ref.kind is RefKind.LINK or ref.kind is RefKind.AUTOLINK
        if markdown and (conf.all_links_external or self.targets.is_external_class(ref)):
            return Resolution(Outcome.EXTERNAL)  # MyST renders these as plain URLs
        scheme = URL_SCHEME.match(target)
        if scheme:
            name = scheme.group(0)[:-1].lower()
            if name == "project":
                target = target[len("project:") :]
            elif name == "path":
                return self._file(page, ref, _split_fragment(target[len("path:") :])[0])
            elif name == "inv" and markdown:
                return self._inventory_link(target)
            elif name in conf.url_schemes or not markdown:
                return Resolution(Outcome.EXTERNAL)
            else:  # not a URL to MyST: a reference like any other (`ns:label`)
                return self._any(page, ref, target)
        if target.startswith("//"):
            return Resolution(Outcome.EXTERNAL)
        path, fragment = _split_fragment(target)
        if not path:
            return self._local_anchor(page, fragment) if fragment else OK
        path = unquote(path)
        relpath = self._relpath(page, path)
        if markdown and not posixpath.splitext(path)[1] and fragment:
            # MyST: `page#x` is no file, so it is looked up whole, as a reference name
            return self._any(page, ref, target)
        docname = self._docname_of(self._link_docname(page, path, relpath), html=not markdown)
        if docname is not None:  # before the repository check: a docname's `..` is clamped
            return self._anchor_in(docname, fragment, target) if fragment else OK
        outside = self._outside(relpath, path)
        if outside:
            return outside
        if self._exists(relpath) or self._generated(relpath):
            return OK
        if markdown and not fragment:
            return self._any(page, ref, path)
        message = f"link target `{path}` does not exist"
        return self._broken(Outcome.BROKEN_LINK, message, ref, page, path, fragment)

    def _any(self, page: Page, ref: Reference, target: str) -> Resolution:
        """MyST's fallback for a target that is no file: a project-wide "any" reference.

        When it fails, the did-you-mean names a close label first: a label-like target (with
        `/`, `.` or `:`) is never retargeted to a page that merely shares its last part.
        """
        if self.targets.any_reference(page, target) is not False:
            return OK
        message = f"link target `{target}` does not exist"
        source = self._source_form(page, target)
        if source is not None:  # `page.html`, `page#x`: a document, written as MyST cannot read
            fix = None
            if ref.span.line == ref.span.end_line and ref.target == target:
                fix = Fix(ref.span, target, source)
            return Resolution(
                Outcome.BROKEN_LINK,
                f"{message}: MyST links name a document by its source file; "
                f"did you mean `{source}`?",
                fix,
            )
        hint = did_you_mean(normalise_label(target), list(self.index.labels), "`")
        if hint:  # a close label: never a page that merely shares the last part of the name
            return Resolution(Outcome.BROKEN_LINK, f"{message} (no document, file or label){hint}")
        return self._broken(Outcome.BROKEN_LINK, message, ref, page, _split_fragment(target)[0])

    def _source_form(self, page: Page, target: str) -> str | None:
        """`x.html` or `x#frag` naming an existing document: the same with its source suffix."""
        path, sep, fragment = target.partition("#")
        stem = path[: -len(".html")] if path.endswith(".html") else path
        if (stem == path and not sep) or posixpath.splitext(stem)[1]:
            return None
        docname = self._docname_of(join_docname(page.docname, stem))
        if docname is None:
            return None
        suffix = posixpath.splitext(self.index.pages[docname].path)[1]
        return stem + suffix + sep + fragment

    def _inventory_link(self, target: str) -> Resolution:
        found = self.targets.inventory_link(target)
        if found is not False:
            return OK
        return Resolution(
            Outcome.UNDEFINED_LABEL, f"`{target}` is in no intersphinx inventory of conf.py"
        )

    # -- helpers -----------------------------------------------------------------------------

    def _local_anchor(self, page: Page, fragment: str) -> Resolution:
        """MyST: the page's labels and slugs, then any target of the project, then its ids."""
        fragment = unquote(fragment)
        if (
            fragment in self.index.anchors(page.docname, local=True)
            or normalise_label(fragment) in self.index.anchors(page.docname, local=True)
            or self.targets.any_reference(page, fragment) is not False
        ):
            return OK
        return self._missing_anchor(page.docname, fragment, f"#{fragment}")

    def _anchor_in(self, docname: str, fragment: str, target: str) -> Resolution:
        if fragment in self.index.anchors(docname):
            return OK
        return self._missing_anchor(docname, fragment, target)

    def _missing_anchor(self, docname: str, fragment: str, target: str) -> Resolution:
        page = self.index.pages[docname]
        local = target.startswith("#")
        hint = did_you_mean(fragment, sorted(self.index.anchors(docname, local)), "`")
        if local:
            message = f"`#{fragment}` is no heading anchor or label of this page{hint}"
        else:
            message = f"`{target}`: `{page.path}` has no heading anchor `#{fragment}`{hint}"
        return Resolution(Outcome.BROKEN_ANCHOR, message)

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
        return Resolution(
            Outcome.OUTSIDE_REPOSITORY,
            f"`{written}` leaves the repository ({self.repo_root.name}/); it breaks in any "
            "other checkout",
        )

    def _generated(self, relpath: str) -> bool:
        folder = self.index.generated_folder(relpath)
        return folder is not None and not self._exists(folder)

    def _exists(self, relpath: str) -> bool:
        known = self._exists_cache.get(relpath)
        if known is None:
            known = self._exists_cache[relpath] = os.path.exists(self.docs_root / relpath)
        return known

    def _glob_exists(self, relpath: str) -> bool:
        import glob

        return bool(glob.glob(str(self.docs_root / relpath)))

    def _broken(
        self,
        outcome: Outcome,
        message: str,
        ref: Reference,
        page: Page,
        path: str,
        fragment: str = "",
    ) -> Resolution:
        """A broken target, with `did you mean` and a fix when exactly one file has its name."""
        name = posixpath.basename(path.rstrip("/"))
        suggestion = self.index.unique_file_named(name) if name else None
        if suggestion is None:
            return Resolution(outcome, message)
        if path.startswith("/"):
            new_path = "/" + suggestion
        else:
            new_path = posixpath.relpath(suggestion, posixpath.dirname(page.path) or ".")
        if not posixpath.splitext(path)[1]:  # written extensionless: keep it so
            new_path = posixpath.splitext(new_path)[0]
        new_target = new_path + (f"#{fragment}" if fragment else "")
        fix = None
        original = ref.target
        if ref.span.line == ref.span.end_line and original.startswith(path):
            fix = Fix(ref.span, original, new_path + original[len(path) :])
        return Resolution(outcome, f"{message}; did you mean `{new_target}`?", fix)


def _split_fragment(target: str) -> tuple[str, str]:
    path, _, fragment = target.partition("#")
    return path, fragment
