"""What rules see besides the page: the settings, the whole index and memoised shared work."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Reference, Span
from .resolve import Resolution, Resolver
from .schema import SchemaProblem
from .schema_cache import ProblemStore

_HTTP = re.compile(r"^https?://", re.I)

if TYPE_CHECKING:
    from pathlib import Path

    from .config import Config
    from .index import DocsIndex
    from .model import Page


@dataclass
class CheckContext:
    """Read-only inputs of the check stage plus per-run memo tables."""

    config: Config
    index: DocsIndex
    problem_store: ProblemStore = field(default_factory=ProblemStore)
    _problems: dict[str, list[SchemaProblem]] = field(default_factory=dict)
    _schema_paths: dict[str, Path | None] = field(default_factory=dict)
    _resolutions: dict[str, list[tuple[Reference, Resolution]]] = field(default_factory=dict)
    _resolver: Resolver | None = None
    _external_links: list[tuple[Page, Span, str]] | None = None
    _external_results: dict | None = None

    def external_links(self) -> list[tuple[Page, Span, str]]:
        """Every http(s) URL of the tree with where it stands (links, images, cards, toctrees)."""
        if self._external_links is None:
            found = []
            for docname in sorted(self.index.pages):
                page = self.index.pages[docname]
                for ref in page.body.references:
                    if _HTTP.match(ref.target):
                        found.append((page, ref.span, ref.target.strip()))
                for toctree in page.body.toctrees:
                    for entry in toctree.entries:
                        if _HTTP.match(entry.target):
                            found.append((page, entry.span, entry.target.strip()))
            self._external_links = found
        return self._external_links

    def external_results(self) -> dict:
        """Check every external URL once per run (the only network I/O of the linter)."""
        if self._external_results is None:
            from .external import check_urls

            urls = sorted({target for _, _, target in self.external_links()})
            settings = self.config.external_settings()
            self._external_results = check_urls(urls, settings, progress=True)
        return self._external_results

    def resolutions(self, page: Page) -> list[tuple[Reference, Resolution]]:
        """Every reference of a page with what it resolves to, computed once per page."""
        cached = self._resolutions.get(page.path)
        if cached is None:
            if self._resolver is None:
                self._resolver = Resolver(self.index, self.config.repo_root)
            cached = [(ref, self._resolver.resolve(page, ref)) for ref in page.body.references]
            self._resolutions[page.path] = cached
        return cached

    def schema_path(self, page: Page) -> Path | None:
        """The schema that applies to a page (None: frontmatter rules off), once per page."""
        try:
            return self._schema_paths[page.path]
        except KeyError:
            found = self._schema_paths[page.path] = self.config.schema_for(page.path)
            return found

    def schema_problems(self, page: Page) -> list[SchemaProblem]:
        """Schema violations of a page's frontmatter, validated once however many rules ask
        (and, through the problem store, once per distinct frontmatter and across runs)."""
        cached = self._problems.get(page.path)
        if cached is None:
            schema_path = self.schema_path(page)
            if schema_path is None or page.frontmatter.data is None:
                cached = []
            else:
                cached = self.problem_store.problems(schema_path, page.frontmatter.data)
            self._problems[page.path] = cached
        return cached
