"""Rename-aware edits: every reference to a moved file, rewritten exactly, in the author's style.

Given the pages of a tree and a set of moves (old path -> new path, files and whole folders),
`rename_edits` returns the exact text edits that keep every reference pointing at the same
target: links (relative, `/`-absolute, extensionless, `.md`, `.html`, `#fragment`s kept),
reference-style definitions, `<project:...>`/`<path:...>`, `{doc}`, `{download}`, toctree
entries (`Title <entry>` and globs), sphinx-design `:link:`s, images and figures, `<img src>`,
`{include}`/`{literalinclude}`, and the moved pages' own relative references.

Targets are resolved as they stood before the move (in the old tree), so a link is rewritten
only when it resolved before; a reference that was broken stays as written. The pages may be
the tree before the move (`mv`) or after it (`--fix` after `git mv`): `Tree` says which.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from .changes import map_folder
from .globs import compile_pattern
from .index import URL_SCHEME, DocsIndex, join_docname
from .model import Page, RefKind, Span, TocEntry, Toctree


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text at `span` of the file at `path` (which must read `old`) with `new`.

    `path` is docs-root-relative and names the file where it will be when the edit applies;
    a zero-width span with `old == ""` inserts. A `\\n` in `new` becomes the file's line ending.
    """

    path: str
    span: Span
    old: str
    new: str


@dataclass(frozen=True)
class Moves:
    """Old docs-root-relative paths -> new ones: files one by one, and whole folders."""

    files: Mapping[str, str]
    folders: Mapping[str, str] = field(default_factory=dict)

    def file(self, path: str) -> str:
        return self.files.get(path, path)

    def folder(self, path: str) -> str:
        return map_folder(path, self.folders) or path

    def any(self, path: str) -> str:
        moved = self.files.get(path)
        return moved if moved is not None else self.folder(path)


@dataclass
class Tree:
    """The tree before the move, as far as references need it.

    `files`: every file of the old tree (docs-root-relative); `docs`: old docname -> old path;
    `outside`: a predicate for paths outside the docs root (`../x`), which never move.
    """

    files: frozenset[str]
    docs: Mapping[str, str]
    exists_outside: Callable[[str], bool] | None = None
    folders: frozenset[str] = field(init=False)  # every folder holding a file, derived

    def __post_init__(self) -> None:
        folders = set()
        for path in self.files:
            folder = posixpath.dirname(path)
            while folder and folder not in folders:
                folders.add(folder)
                folder = posixpath.dirname(folder)
        self.folders = frozenset(folders)

    def is_file(self, path: str) -> bool:
        if path.startswith("../"):
            return self.exists_outside is not None and self.exists_outside(path)
        return path in self.files

    def is_folder(self, path: str) -> bool:
        if path.startswith("../") or path == "..":
            return self.exists_outside is not None and self.exists_outside(path)
        return path in self.folders or path == "."


_DOC_SUFFIXES = (".md", ".rst", ".txt")
_LITERAL_INCLUDE = re.compile(
    r"^([ \t]*)(`{3,}|~{3,}|:{3,})\{literalinclude\}[ \t]+(\S[^\n]*?)[ \t]*$"
)


def rename_edits(pages: Iterable[tuple[Page, str, str]], tree: Tree, moves: Moves) -> list[Edit]:
    """Edits for every reference of `pages` whose target or whose page moved.

    Each item is (page, its path before the move, its path after); the edits name the path
    after. Sorted by path and position.
    """
    edits: list[Edit] = []
    for page, old_path, new_path in pages:
        rewriter = _PageRewriter(page, old_path, new_path, tree, moves)
        edits.extend(rewriter.edits())
    edits.sort(key=lambda e: (e.path, e.span.line, e.span.column))
    return edits


class _PageRewriter:
    def __init__(self, page: Page, old_path: str, new_path: str, tree: Tree, moves: Moves) -> None:
        self.page = page
        self.old_path, self.new_path = old_path, new_path
        self.old_doc = _strip_suffix(old_path)
        self.new_doc = _strip_suffix(new_path)
        self.old_dir = posixpath.dirname(old_path)
        self.new_dir = posixpath.dirname(new_path)
        self.tree, self.moves = tree, moves
        self.page_moved = old_path != new_path

    def edits(self) -> Iterator[Edit]:
        body = self.page.body
        for ref in body.references:
            if ref.span.line != ref.span.end_line:
                continue
            new = self._reference(ref.kind, ref.target, ref.link_type)
            if new is not None and new != ref.target:
                yield Edit(self.new_path, ref.span, ref.target, new)
        for toctree in body.toctrees:
            yield from self._toctree(toctree)
        for include in body.includes:
            yield from self._file_argument(include.target, include.span)
        if "{literalinclude}" in self.page.text:
            yield from self._literal_includes()

    # -- references ---------------------------------------------------------------------------

    def _reference(self, kind: RefKind, target: str, link_type: str | None) -> str | None:
        if kind is RefKind.REF_ROLE or kind is RefKind.AUTOLINK:
            return None
        if kind is RefKind.DOC_ROLE:
            return self._docname_target(target)
        if kind is RefKind.CARD_LINK:
            lt = (link_type or "url").lower()
            if lt == "ref":
                return None
            if lt in ("doc", "any"):
                return self._docname_target(target)
        if kind in (RefKind.DOWNLOAD_ROLE,):
            return self._path_target(target, files_only=True)
        if kind in (RefKind.IMAGE, RefKind.IMAGE_DIRECTIVE, RefKind.FIGURE_DIRECTIVE):
            return self._path_target(target, files_only=True, fragments=False)
        if kind is RefKind.HTML_IMAGE:
            return self._path_target(target, files_only=True)
        return self._link(target, markdown=kind is RefKind.LINK)

    def _link(self, target: str, markdown: bool) -> str | None:
        """A link's target, as the resolver reads it: a Markdown link names a document by its
        source file (`x.md`, `x`); raw HTML and card URLs name built pages (`x.html`)."""
        scheme = URL_SCHEME.match(target)
        if scheme:
            name = scheme.group(0).lower()
            if name not in ("project:", "path:"):
                return None
            rest = target[len(name) :]
            new = self._path_target(rest, files_only=name == "path:", html=not markdown)
            return None if new is None else target[: len(name)] + new
        if target.startswith("//"):
            return None
        path = _split_tail(target)[0]
        if markdown and path != target and not posixpath.splitext(path)[1]:
            return None  # `page#x`: MyST looks it up whole, as a reference name, not a path
        return self._path_target(target, html=not markdown)

    def _path_target(
        self, target: str, files_only: bool = False, fragments: bool = True, html: bool = True
    ) -> str | None:
        """A path-like target: `x.md`, `x`, `x.html` (`html`), `/x`, `dir/`, with `#frag`/`?q`."""
        raw = target.strip()
        if raw != target:
            return None
        path, tail = _split_tail(raw) if fragments else (raw, "")
        if not path:
            return None
        decoded = unquote(path)
        encoded = decoded != path
        slash = path.endswith("/") and len(path) > 1
        absolute = path.startswith("/")
        rel = self._old_relpath(decoded)
        suffix = posixpath.splitext(decoded.rstrip("/"))[1]
        new_rel: str | None = None
        style = "file"
        if not files_only and not suffix and not slash:
            docname = join_docname(self.old_doc, decoded)
            if docname in self.tree.docs:
                new_rel, style = self._new_docname(docname), "doc"
        if new_rel is None and self.tree.is_file(rel):
            new_rel = self.moves.file(rel)
        if new_rel is None and not files_only and html and suffix == ".html":
            docname = rel[: -len(".html")]
            if docname in self.tree.docs:
                new_rel, style = self._new_docname(docname), "html"
        if new_rel is None and not files_only and self.tree.is_folder(rel):
            new_rel, style = self.moves.folder(rel), "folder"
        if new_rel is None:
            return None
        if new_rel == rel and not self.page_moved:
            return None
        if style == "html":
            new_rel += ".html"
        text = self._render(new_rel, absolute, path)
        if slash and not text.endswith("/"):
            text += "/"
        if encoded:
            text = quote(text, safe="/#?&=+:@!$,;~*'()")
        return text + tail

    def _docname_target(self, target: str) -> str | None:
        """A docname (`{doc}`, card `:link-type: doc`): relative to the page, or `/`-absolute."""
        raw = target.strip()
        if raw != target or not raw or URL_SCHEME.match(raw):
            return None
        path, tail = _split_tail(raw)
        docname = join_docname(self.old_doc, path)
        if docname not in self.tree.docs:
            return None
        new_doc = self._new_docname(docname)
        if new_doc == docname and not self.page_moved:
            return None
        return self._render(new_doc, path.startswith("/"), path) + tail

    def _new_docname(self, docname: str) -> str:
        return _strip_suffix(self.moves.file(self.tree.docs[docname]))

    def _old_relpath(self, path: str) -> str:
        if path.startswith("/"):
            return posixpath.normpath(path.lstrip("/")) if path.strip("/") else "."
        return posixpath.normpath(posixpath.join(self.old_dir, path))

    def _render(self, new_rel: str, absolute: bool, written: str) -> str:
        """`new_rel` (docs-root-relative) as the page writes it: `/`-absolute or relative."""
        if absolute:
            return "/" + new_rel if new_rel != "." else "/"
        text = posixpath.relpath(new_rel, self.new_dir or ".")
        if written.startswith("./") and not text.startswith("../"):
            text = "./" + text
        return text

    # -- toctrees ----------------------------------------------------------------------------

    def _toctree(self, toctree: Toctree) -> Iterator[Edit]:
        for entry in toctree.entries:
            target = entry.target
            if target == "self" or URL_SCHEME.match(target):
                continue
            if toctree.glob and any(c in target for c in "*?["):
                yield from self._glob(toctree, entry)
                continue
            new = self._toc_entry(target)
            if new is not None and new != target:
                yield Edit(self.new_path, entry.span, target, new)

    def _toc_entry(self, target: str) -> str | None:
        suffix = next((s for s in _DOC_SUFFIXES if target.endswith(s)), "")
        docname = join_docname(self.old_doc, target[: len(target) - len(suffix)])
        if docname not in self.tree.docs:
            return None
        new_doc = self._new_docname(docname)
        if new_doc == docname and not self.page_moved:
            return None
        return self._render(new_doc, target.startswith("/"), target) + suffix

    def _glob(self, toctree: Toctree, entry: TocEntry) -> Iterator[Edit]:
        """A glob keeps matching what it matched: its folder prefix follows a folder move;
        documents that leave it are listed after it, explicitly."""
        pattern = entry.target
        cut = min(i for i, c in enumerate(pattern) if c in "*?[")
        prefix = pattern[: pattern.rfind("/", 0, cut) + 1]
        try:
            before = _glob_matches(self.old_doc, pattern, self.tree.docs)
        except (ValueError, re.error):
            return  # not a valid glob: left as written (TOC001 reports it)
        new_pattern = pattern
        if prefix:
            folder = join_docname(self.old_doc, prefix.rstrip("/"))
            new_folder = self.moves.folder(folder)
            if new_folder != folder or self.page_moved:
                rendered = self._render(new_folder, prefix.startswith("/"), prefix)
                new_pattern = (rendered.rstrip("/") + "/" if rendered != "." else "") + pattern[
                    len(prefix) :
                ]
        if new_pattern != pattern:
            yield Edit(self.new_path, entry.span, pattern, new_pattern)
        new_docs = {_strip_suffix(self.moves.file(path)) for path in self.tree.docs.values()}
        try:
            regex = compile_pattern(join_docname(self.new_doc, new_pattern), sphinx=True)
        except (ValueError, re.error):
            return
        lost = [
            self._new_docname(doc)
            for doc in before
            if not regex.match(self._new_docname(doc)) and self._new_docname(doc) in new_docs
        ]
        if not lost:
            return
        line = self.page.line_text(entry.span.line)
        indent = line[: len(line) - len(line.lstrip())]
        end = Span(entry.span.line, len(line) + 1, entry.span.line, len(line) + 1)
        text = "".join(f"\n{indent}{self._render(doc, False, '')}" for doc in sorted(lost))
        yield Edit(self.new_path, end, "", text)

    # -- includes ----------------------------------------------------------------------------

    def _file_argument(self, target: str, span: Span) -> Iterator[Edit]:
        if span.line != span.end_line:
            return
        new = self._path_target(target, files_only=True, fragments=False)
        if new is not None and new != target:
            yield Edit(self.new_path, span, target, new)

    def _literal_includes(self) -> Iterator[Edit]:
        """`{literalinclude}` paths: not in the index (code, not a document), so a cheap scan of
        the page's fences (a directive inside a code block is no directive)."""
        fence: str | None = None
        for number, line in enumerate(self.page.lines, 1):
            stripped = line.lstrip()
            if fence is not None:
                if stripped.startswith(fence) and not stripped[len(fence) :].strip():
                    fence = None
                continue
            match = _LITERAL_INCLUDE.match(line)
            if match is None:
                marker = re.match(r"(`{3,}|~{3,})", stripped)
                if marker:
                    fence = marker.group(1)
                continue
            fence = match.group(2)  # the directive's own fence closes below
            column = match.start(3) + 1
            target = match.group(3)
            yield from self._file_argument(
                target, Span(number, column, number, column + len(target))
            )


def _glob_matches(parent: str, pattern: str, docs: Mapping[str, str]) -> list[str]:
    regex = compile_pattern(join_docname(parent, pattern), sphinx=True)
    return sorted(doc for doc in docs if regex.match(doc) and doc != parent)


def _split_tail(target: str) -> tuple[str, str]:
    """`path#frag` / `path?q` -> (`path`, `#frag`)."""
    cut = len(target)
    for mark in "#?":
        at = target.find(mark)
        if at != -1:
            cut = min(cut, at)
    return target[:cut], target[cut:]


def _strip_suffix(path: str) -> str:
    root, ext = posixpath.splitext(path)
    return root if ext in _DOC_SUFFIXES else path


# -- the two situations: before a move (`mv`) and after one (`--fix` with git's renames) -----


def edits_before_move(index: DocsIndex, moves: Moves) -> list[Edit]:
    """Edits for moves about to happen in the tree `index` holds; paths are the new ones."""
    tree = Tree(
        frozenset(index.files), {d: p.path for d, p in index.pages.items()}, _outside(index)
    )
    pages = ((page, page.path, moves.file(page.path)) for page in index.pages.values())
    return rename_edits(pages, tree, moves)


def edits_after_move(index: DocsIndex, moves: Moves) -> list[Edit]:
    """Edits for moves that already happened (git's renames) in the tree `index` holds."""
    back = {new: old for old, new in moves.files.items()}
    files = (set(index.files) - set(back)) | set(moves.files)
    docs = {}
    for page in index.pages.values():
        old = back.get(page.path, page.path)
        docs[_strip_suffix(old)] = old
    tree = Tree(frozenset(files), docs, _outside(index))
    pages = ((page, back.get(page.path, page.path), page.path) for page in index.pages.values())
    return rename_edits(pages, tree, moves)


def moves_after(index: DocsIndex, renamed: Iterable[tuple[str, str]]) -> Moves:
    """git's file renames, plus the folders that moved as a whole (none of it is left)."""
    from .changes import folder_moves

    files = dict(renamed)
    present = Tree(frozenset(index.files), {}).folders
    folders = {old: new for old, new in folder_moves(files.items()).items() if old not in present}
    return Moves(files, folders)


def _outside(index: DocsIndex) -> Callable[[str], bool]:
    root = index.docs_root

    def exists(relpath: str) -> bool:
        return os.path.exists(os.path.normpath(os.path.join(root, relpath)))

    return exists
