"""Report stage: turn the final diagnostics into output; reporters never decide what is wrong."""

from __future__ import annotations

import functools
import os
import posixpath
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..model import Diagnostic, LintResult, Severity


@dataclass(frozen=True)
class ReportContext:
    """Everything a reporter needs besides the diagnostics."""

    result: LintResult
    cwd: Path

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
