"""Index stage: one DocsIndex over every page of the tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from .page import Page
from .source import Unreadable


@dataclass
class DocsIndex:
    """All pages by docname, plus the files that could not become pages."""

    pages: dict[str, Page]  # docname -> page
    unreadable: list[tuple[str, Unreadable]] = field(default_factory=list)
    duplicate_sources: tuple[tuple[str, str], ...] = ()

    def page_by_path(self, path: str) -> Page | None:
        for page in self.pages.values():
            if page.path == path:
                return page
        return None
