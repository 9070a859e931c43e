"""The outcome of checking one external URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal[
    "ok",
    "broken",
    "unreachable",
    "redirected",
    "rate-limited",
    "anchor-missing",
    "unverified",
    "excluded",
]

#: Statuses that mean "the link works" (and that the cache may remember).
SUCCESS_STATUSES: frozenset[str] = frozenset({"ok", "redirected"})


@dataclass(frozen=True)
class UrlResult:
    """What checking one URL found.

    `url` is the URL without its fragment; `final_url` is set when the request was redirected;
    `detail` is a short human-readable reason such as "404 Not Found" or "timed out after 20 s".
    """

    url: str
    status: Status
    http_status: int | None
    final_url: str | None
    detail: str
    missing_anchors: tuple[str, ...] = ()

    @property
    def is_success(self) -> bool:
        """True for "ok" and "redirected" (a permanent redirect still reaches a working page)."""
        return self.status in SUCCESS_STATUSES


@dataclass(frozen=True)
class PageOutcome:
    """The verdict on one page URL (fragment stripped), before fragments are applied.

    `html` is True when the body was read as HTML, False when the response was not HTML, and
    None when the body was not looked at. `anchors` holds the requested fragments found in it.
    """

    status: Status
    http_status: int | None
    final_url: str | None
    detail: str
    html: bool | None = None
    anchors: frozenset[str] = frozenset()
