"""What rules see besides the page: the settings, the whole index and one memo for shared work.

The context knows no rule family: a family keeps its per-run state under its own key
(`ctx.memo(PREFIX, State)`), created in its `prepare` hook or on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .config import Config
    from .index import DocsIndex

T = TypeVar("T")


class CheckContext:
    """Read-only inputs of the check stage plus a per-run memo table."""

    def __init__(
        self, config: Config, index: DocsIndex | None = None, use_cache: bool = True
    ) -> None:
        self.config = config
        self.use_cache = use_cache and config.cache_dir is not None
        self._index = index
        self._memo: dict[Hashable, Any] = {}
        # The page rules ran on some pages only (a warm re-check): caches that prune what a run
        # did not use keep it all.
        self.partial = False

    @property
    def index(self) -> DocsIndex:
        """The parsed tree (not yet there while families prepare)."""
        if self._index is None:
            raise RuntimeError("the index is built after the families' prepare hooks")
        return self._index

    def set_index(self, index: DocsIndex) -> None:
        self._index = index

    def memo(self, key: Hashable, factory: Callable[..., T], *args: Any) -> T:
        """The value stored under `key`, made by `factory(*args)` the first time it is asked for
        (pass arguments rather than a lambda: rules ask once per page)."""
        try:
            value: T = self._memo[key]
        except KeyError:
            value = self._memo[key] = factory(*args)
        return value

    def options(self, code: str) -> dict[str, Any]:
        """The `[tool.nemo-docs-lint.rules.CODE]` table (a rule's, or a family's by prefix);
        empty when the config has none. Validated against the declared schema at load time."""
        return self.config.rule_options.get(code, {})
