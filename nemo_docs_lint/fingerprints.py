"""Content fingerprints of diagnostics: stable when lines above a problem move.

A fingerprint hashes the rule code, the repository-relative path, the offending line's
whitespace-normalised text and the diagnostic's anchor (the frontmatter key path) — never the line
number. SARIF's `partialFingerprints` add an occurrence index; the baseline counts occurrences.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Config
    from .index import DocsIndex
    from .model import Diagnostic

FINGERPRINT_VERSION = "nemoDocsLint/v1"


def normalise(text: str) -> str:
    """Collapse runs of whitespace and trim, so re-indenting a line keeps its fingerprint."""
    return " ".join(text.split())


def content_hash(code: str, repo_path: str, line_text: str, anchor: str = "") -> str:
    """A 16-hex-digit hash of what identifies a problem apart from where its line stands."""
    key = "\0".join((code, repo_path, normalise(line_text), anchor))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]


class Fingerprinter:
    """Computes fingerprints of one run's diagnostics from the parsed pages' line text."""

    def __init__(self, config: Config, index: DocsIndex) -> None:
        self._docs_root = config.docs_root
        self._project_root = config.project_root
        self._pages = {page.path: page for page in index.pages.values()}

    def repo_path(self, diagnostic: Diagnostic) -> str:
        """The diagnostic's file relative to the repository root, `/`-separated."""
        absolute = self._docs_root / diagnostic.path
        return Path(os.path.relpath(absolute, self._project_root)).as_posix()

    def line_text(self, diagnostic: Diagnostic) -> str:
        page = self._pages.get(diagnostic.path)
        return page.line_text(diagnostic.line) if page is not None else ""

    def content_hash(self, diagnostic: Diagnostic) -> str:
        return content_hash(
            diagnostic.code,
            self.repo_path(diagnostic),
            self.line_text(diagnostic),
            diagnostic.anchor,
        )

    def partial_fingerprints(self, diagnostics: Iterable[Diagnostic]) -> list[str]:
        """`hash:occurrence` per diagnostic (occurrences counted in the given, sorted order)."""
        seen: Counter[str] = Counter()
        prints = []
        for diagnostic in diagnostics:
            digest = self.content_hash(diagnostic)
            seen[digest] += 1
            prints.append(f"{digest}:{seen[digest]}")
        return prints
