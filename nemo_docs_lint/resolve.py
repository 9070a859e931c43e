"""Resolve a page's references the way Sphinx and MyST do, and say what is wrong with each.

Relative targets resolve from the current document's folder, `/`-targets from the docs root.
A Markdown link names a document when its path (extensionless, `.md` or `.html`) is a docname;
otherwise an existing file on disk; otherwise, as MyST does, a `(label)=` target. `#fragment`s
are checked against the target page's heading slugs, section ids and labels.
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
from .suggest import Suggester


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
_DOC_SUFFIXES = (".md", ".html", ".rst")


class Resolver:
    """Resolves references against one index; file-system look-ups are cached per run."""

    def __init__(self, index: DocsIndex, repo_root: Path | None) -> None:
        self.index = index
        self.docs_root = index.docs_root.resolve()
        self.repo_root = repo_root.resolve() if repo_root else None
        self._exists_cache: dict[str, bool] = {}
        self._suggesters: dict[object, Suggester] = {}  # built once per set of choices

    def resolve(self, page: Page, ref: Reference) -> Resolution:
        target = ref.target.strip()
        if not target:
            return OK
        kind = ref.kind
        if kind is RefKind.REF_ROLE:
            return self._label(target)
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
        if self.index.has_label(target):
            return OK
        hint = self._suggester("labels").did_you_mean(normalise_label(target), "`")
        return Resolution(Outcome.UNDEFINED_LABEL, f"label `{target}` is not defined{hint}")

    def _suggester(self, choices: str | tuple[str, bool]) -> Suggester:
        """Did-you-mean over the labels (`"labels"`) or one page's anchors (`(docname, local)`)."""
        found = self._suggesters.get(choices)
        if found is None:
            if isinstance(choices, tuple):
                found = Suggester(sorted(self.index.anchors(*choices)))
            else:
                found = Suggester(self.index.labels)
            self._suggesters[choices] = found
        return found

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
        scheme = URL_SCHEME.match(target)
        if scheme:
            name = scheme.group(0)[:-1].lower()
            if name == "project":
                target = target[len("project:") :]
            elif name == "path":
                return self._file(page, ref, _split_fragment(target[len("path:") :])[0])
            else:
                return Resolution(Outcome.EXTERNAL)
        if target.startswith("//"):
            return Resolution(Outcome.EXTERNAL)
        path, fragment = _split_fragment(target)
        if not path:
            return self._local_anchor(page, fragment) if fragment else OK
        path = unquote(path)
        relpath = self._relpath(page, path)
        docname = self._docname_of(self._link_docname(page, path, relpath))
        if docname is not None:  # before the repository check: a docname's `..` is clamped
            return self._anchor_in(docname, fragment, target) if fragment else OK
        outside = self._outside(relpath, path)
        if outside:
            return outside
        if self._exists(relpath) or self._generated(relpath):
            return OK
        if "/" not in path and not fragment and self.index.has_label(path):
            return OK  # MyST: `[text](label)` is a reference to a `(label)=` target
        message = f"link target `{path}` does not exist"
        return self._broken(Outcome.BROKEN_LINK, message, ref, page, path, fragment)

    # -- helpers -----------------------------------------------------------------------------

    def _local_anchor(self, page: Page, fragment: str) -> Resolution:
        """MyST: the page's labels and slugs, then any label or document of the project."""
        if (
            fragment in self.index.anchors(page.docname, local=True)
            or normalise_label(fragment) in self.index.anchors(page.docname, local=True)
            or self.index.has_label(fragment)
            or join_docname(page.docname, fragment) in self.index.pages
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
        hint = self._suggester((docname, local)).did_you_mean(fragment, "`")
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

    def _docname_of(self, relpath: str) -> str | None:
        pages = self.index.pages
        if relpath in pages:
            return relpath
        for suffix in _DOC_SUFFIXES:
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
