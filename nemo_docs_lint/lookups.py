"""What page rules look up in the rest of the tree, recorded per page for the incremental index.

While a page's rules run, `Recorder.keys` collects every question they ask the index: whether a
document exists, a page's anchors, the label table, a file by name, a path on disk. A change
answers some of these differently (`file_keys` for a file coming or going); the pages that asked
are the ones to check again.
"""

from __future__ import annotations

import posixpath
from typing import Any

from .index import DocsIndex, LabelSite
from .model import Page

Key = tuple[str, str]  # ("page" | "anchors" | "labels" | "name" | "file", value)
LABELS: Key = ("labels", "")


class Recorder:
    """Collects the look-ups of the page being checked (None: not recording)."""

    __slots__ = ("keys",)

    def __init__(self) -> None:
        self.keys: set[Key] | None = None


class TrackedPages(dict[str, Page]):
    """`DocsIndex.pages` that records which docnames a page rule asked about."""

    recorder: Recorder

    def __contains__(self, key: object) -> bool:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(("page", str(key)))
        return dict.__contains__(self, key)

    def __getitem__(self, key: str) -> Page:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(("page", key))
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(("page", key))
        return dict.get(self, key, default)


class TrackedIndex(DocsIndex):
    """A DocsIndex whose anchor, label and file-name look-ups are recorded."""

    recorder: Recorder

    def anchors(self, docname: str, local: bool = False) -> frozenset[str]:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(("anchors", docname))
        return super().anchors(docname, local)

    @property
    def terms(self) -> dict[str, list[LabelSite]]:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(LABELS)  # glossary terms come from the pages' named targets, as labels do
        return super().terms

    @property
    def equations(self) -> dict[str, list[LabelSite]]:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(LABELS)
        return super().equations

    def has_label(self, name: str) -> bool:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(LABELS)
        return super().has_label(name)

    def unique_file_named(self, name: str) -> str | None:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(("name", name))
        return super().unique_file_named(name)

    def path_exists(self, relpath: str) -> bool:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(("file", relpath))
        return super().path_exists(relpath)

    def glob_exists(self, pattern: str) -> bool:
        keys = self.recorder.keys
        if keys is not None:
            keys.add(("file", "*"))  # any file coming or going may change a glob's matches
        return super().glob_exists(pattern)


def text_signature(page: Page) -> tuple[list[str], str, bool, bool]:
    """What tree rules read of a page's text itself: the frontmatter's lines (the CQ rules
    comparing pages' metadata), the first line, the reST `:orphan:` mark."""
    start = page.frontmatter.body_start_line
    return (
        page.text.split("\n", start)[:start],
        page.text.partition("\n")[0],
        page.is_markdown,
        page.text.lstrip().startswith(":orphan:"),
    )


def body_signature(page: Page) -> tuple[object, ...]:
    """What tree rules read of a page's parse result: headings (titles), labels, toctrees, the
    orphan option, includes."""
    body = page.body
    return body.headings, body.labels, body.toctrees, "orphan" in page.metadata, body.includes


def tree_signature(page: Page) -> tuple[object, ...]:
    """Everything tree rules (labels, toctrees, orphans, reachability, CQ's comparisons of
    pages) read of a page: when it is the same, they find the same."""
    return text_signature(page), body_signature(page)


def file_keys(path: str) -> set[Key]:
    """The look-ups a file's arrival or departure can answer differently: its path and its
    folders existing, any glob, and `unique_file_named` for its name."""
    name = posixpath.basename(path)
    stem, suffix = posixpath.splitext(name)
    keys: set[Key] = {("file", path), ("file", "*"), ("name", name)}
    if suffix in (".md", ".rst"):
        keys.add(("name", stem))
    folder = posixpath.dirname(path)
    while folder:
        keys.add(("file", folder))
        folder = posixpath.dirname(folder)
    return keys


def tracked(index: DocsIndex, recorder: Recorder) -> TrackedIndex:
    """`index` with its look-ups recorded into `recorder` (its lazily built tables not kept)."""
    pages = index.pages
    if not isinstance(pages, TrackedPages):
        pages = TrackedPages(pages)
        pages.recorder = recorder
    found = TrackedIndex(**vars(replace_pages(index, pages, index.files)))
    found.recorder = recorder
    return found


def replace_pages(index: DocsIndex, pages: dict[str, Page], files: tuple[str, ...]) -> DocsIndex:
    """A new index over `pages` and `files`, with the other facts of `index`."""
    return DocsIndex(
        pages=pages,
        unreadable=index.unreadable,
        duplicate_sources=index.duplicate_sources,
        docs_root=index.docs_root,
        root_doc=index.root_doc,
        generated=index.generated,
        files=files,
        folders=index.folders,
        conf=index.conf,
        disk=index.disk,
    )
