"""On-disk cache of successful URL checks, one small JSON file per URL.

Only successes ("ok", "redirected") are stored, so failures are always rechecked. Every write goes
to a temporary file in the same directory followed by `os.replace` (`fileio.write_atomic`), so
two runs sharing a cache never see a half-written file; the last writer wins. Unreadable or
malformed files count as misses and are overwritten by the next success. The key hashes the page
URL (no fragment) together with the settings that can change a verdict (accepted status codes,
extra headers, user agent).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Collection
from pathlib import Path
from typing import cast

from nemo_docs_lint.external.result import SUCCESS_STATUSES, PageOutcome, Status
from nemo_docs_lint.fileio import read_regular

_FORMAT = 1


class ResultCache:
    """A directory of cached successes with a time-to-live in seconds."""

    def __init__(self, directory: Path, ttl: float, fingerprint: str = "") -> None:
        self.directory = Path(directory)
        self.ttl = ttl
        self._fingerprint = fingerprint

    def _file(self, url: str) -> Path:
        digest = hashlib.sha256(f"{self._fingerprint}\0{url}".encode()).hexdigest()
        return self.directory / digest[:2] / f"{digest[2:]}.json"

    def get(self, url: str, fragments: Collection[str] = ()) -> PageOutcome | None:
        """The cached outcome for `url` if fresh and it answers for every fragment asked about."""
        try:
            data = json.loads(read_regular(self._file(url)))
            if data["v"] != _FORMAT or data["url"] != url:
                return None
            if not 0 <= time.time() - float(data["checked_at"]) <= self.ttl:
                return None
            outcome = PageOutcome(
                status=_status(data["status"]),
                http_status=_int_or_none(data["http_status"]),
                final_url=_str_or_none(data["final_url"]),
                detail=str(data["detail"]),
                html=data["html"] if data["html"] in (True, False) else None,
                anchors=frozenset(str(a) for a in data["anchors"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if outcome.status not in SUCCESS_STATUSES:
            return None
        # Body never examined, or a fragment not verified yet: check the page again.
        needs_body = bool(fragments) and outcome.html is not False
        if needs_body and (outcome.html is None or not outcome.anchors.issuperset(fragments)):
            return None
        return outcome

    def put(self, url: str, outcome: PageOutcome) -> None:
        """Store a success atomically; failures are ignored (never cached)."""
        if outcome.status not in SUCCESS_STATUSES:
            return
        target = self._file(url)
        payload = {
            "v": _FORMAT,
            "url": url,
            "checked_at": time.time(),
            "status": outcome.status,
            "http_status": outcome.http_status,
            "final_url": outcome.final_url,
            "detail": outcome.detail,
            "html": outcome.html,
            "anchors": sorted(outcome.anchors),
        }
        try:
            from ..fileio import write_atomic

            write_atomic(target, json.dumps(payload, separators=(",", ":")), durable=False)
        except OSError:
            pass  # A cache that cannot be written only costs time on the next run.


def _int_or_none(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not an int")
    return value


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("not a str")
    return value


def _status(value: object) -> Status:
    if value not in SUCCESS_STATUSES:
        raise TypeError("not a cached status")
    return cast(Status, value)
