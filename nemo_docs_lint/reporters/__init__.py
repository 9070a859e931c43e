"""Report stage: turn the final diagnostics into output; reporters never decide what is wrong."""

from __future__ import annotations

import functools
import os
import posixpath
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..engine import LintResult
from ..model import Diagnostic, Severity


@dataclass(frozen=True)
class ReportContext:
    """Everything a reporter needs besides the diagnostics."""

    result: LintResult
    cwd: Path
    scope: tuple[str, ...] | None = None  # docs-root-relative files/folders reported; None: all

    def files_checked(self) -> tuple[int, int]:
        """(files in the report's scope, files of the whole tree), readable or not."""
        index = self.result.index
        paths = [page.path for page in index.pages.values()] + [p for p, _ in index.unreadable]
        scope = self.scope
        if scope is None:
            return len(paths), len(paths)
        inside = sum(1 for p in paths if any(p == s or p.startswith(s + "/") for s in scope))
        return inside, len(paths)

    def checked_text(self) -> str:
        """`4 files checked`, or `1 file checked (4 in the docs tree)` for a part of the tree."""
        from ..words import plural

        checked, tree = self.files_checked()
        text = f"{plural(checked, 'file')} checked"
        return text if checked == tree else f"{text} ({tree} in the docs tree)"

    def display_path(self, diagnostic: Diagnostic) -> str:
        """The diagnostic's file relative to the current directory, `/`-separated."""
        root = _relative_root(str(self.result.config.docs_root), str(self.cwd))
        return diagnostic.path if root == "." else posixpath.normpath(f"{root}/{diagnostic.path}")

    def repo_path(self, diagnostic: Diagnostic) -> str:
        """The diagnostic's file relative to the repository (project) root."""
        absolute = self.result.config.docs_root / diagnostic.path
        return Path(os.path.relpath(absolute, self.result.config.project_root)).as_posix()


def summary(diagnostics: list[Diagnostic]) -> dict:
    """Counts by severity and by code, in a stable order."""
    by_severity = Counter(d.severity.value for d in diagnostics)
    by_code = Counter(d.code for d in diagnostics)
    return {
        "total": len(diagnostics),
        "by_severity": {s.value: by_severity.get(s.value, 0) for s in reversed(Severity)},
        "by_code": dict(sorted(by_code.items())),
    }


@functools.lru_cache(maxsize=64)
def _relative_root(root: str, start: str) -> str:
    """The docs root relative to `start`, `/`-separated (once per run, not per diagnostic)."""
    return Path(os.path.relpath(root, start)).as_posix()
