"""Which URLs are never requested: `exclude` regexes and the false-positives file.

The false-positives file holds one URL per line, either as JSON lines the way NeMo's
`broken_links_false_positives.json` does (`{"uri": "https://...", ...}`, the format of Sphinx
linkcheck's `output.json`) or as plain URLs. Blank lines and lines starting with `#` are ignored.
An entry without a fragment covers the page with any fragment; an entry with a fragment covers
only that exact URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urldefrag

from ..fileio import read_regular_text


class FalsePositivesError(ValueError):
    """The false-positives file cannot be read or has a malformed line."""


def load_false_positives(path: str | Path) -> frozenset[str]:
    """Read the URLs listed in a false-positives file (JSON lines or plain, mixed is fine)."""
    path = Path(path)
    try:
        text = read_regular_text(path, encoding="utf-8-sig")  # a named pipe: refused, not read
    except (OSError, UnicodeDecodeError) as exc:
        raise FalsePositivesError(f"cannot read false-positives file {path}: {exc}") from None
    urls: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise FalsePositivesError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
            uri = entry.get("uri") if isinstance(entry, dict) else None
            if not isinstance(uri, str) or not uri.strip():
                raise FalsePositivesError(f'{path}:{number}: JSON line has no "uri" string')
            urls.add(uri.strip())
        else:
            urls.add(line)
    return frozenset(urls)


class Exclusions:
    """Decides whether a URL is excluded, and says why."""

    def __init__(
        self,
        patterns: Iterable[str] = (),
        false_positives: Iterable[str] = (),
        false_positives_source: str = "the false-positives file",
    ) -> None:
        self._patterns = [(p, re.compile(p)) for p in patterns]
        self._exact = frozenset(false_positives)
        self._source = false_positives_source

    def reason(self, url: str) -> str | None:
        """Why `url` (as written, fragment included) is excluded, or None if it is not."""
        if self._exact:
            page = urldefrag(url).url
            if url in self._exact or page in self._exact:
                return f"listed in {self._source}"
        for pattern, regex in self._patterns:
            if regex.search(url):
                return f"matches exclude pattern {pattern!r}"
        return None
