"""What rules see besides the page: the settings, the whole index and memoised shared work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
