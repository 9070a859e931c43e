"""What rules see besides the page: the settings, the whole index and memoised shared work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Reference
from .resolve import Resolution, Resolver
from .schema import SchemaProblem, load_validator, schema_problems

if TYPE_CHECKING:
    from .config import Config
    from .index import DocsIndex
    from .page import Page


@dataclass
class CheckContext:
    """Read-only inputs of the check stage plus per-run memo tables."""

    config: Config
    index: DocsIndex
    _problems: dict[str, list[SchemaProblem]] = field(default_factory=dict)
    _resolutions: dict[str, list[tuple[Reference, Resolution]]] = field(default_factory=dict)
    _resolver: Resolver | None = None

    def resolutions(self, page: Page) -> list[tuple[Reference, Resolution]]:
        """Every reference of a page with what it resolves to, computed once per page."""
        cached = self._resolutions.get(page.path)
        if cached is None:
            if self._resolver is None:
                self._resolver = Resolver(self.index, self.config.repo_root)
            cached = [(ref, self._resolver.resolve(page, ref)) for ref in page.body.references]
            self._resolutions[page.path] = cached
        return cached

    def schema_problems(self, page: Page) -> list[SchemaProblem]:
        """Schema violations of a page's frontmatter, validated once however many rules ask."""
        cached = self._problems.get(page.path)
        if cached is None:
            schema_path = self.config.schema_for(page.path)
            if schema_path is None or page.frontmatter.data is None:
                cached = []
            else:
                cached = schema_problems(load_validator(schema_path), page.frontmatter.data)
            self._problems[page.path] = cached
        return cached
