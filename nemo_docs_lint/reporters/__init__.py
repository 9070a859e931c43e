"""Report stage: turn the final diagnostics into output; reporters never decide what is wrong."""

from __future__ import annotations

import functools
import os
import posixpath
import re
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

    def display_path(self, diagnostic: Diagnostic) -> str:
        """The diagnostic's file relative to the current directory, `/`-separated."""
        root = _relative_root(str(self.result.config.docs_root), str(self.cwd))
        return diagnostic.path if root == "." else posixpath.normpath(f"{root}/{diagnostic.path}")

    def repo_path(self, diagnostic: Diagnostic) -> str:
        """The diagnostic's file relative to the repository (project) root."""
        absolute = self.result.config.docs_root / diagnostic.path
        return Path(os.path.relpath(absolute, self.result.config.project_root)).as_posix()


def quote_path(path: str, safe: str = "/") -> str:
    """Percent-encode a path's bytes for a URI (a file name that is not UTF-8 keeps its bytes)."""
    from urllib.parse import quote

    return quote(path.encode("utf-8", "surrogateescape"), safe=safe)


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


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str, json_text: bool = False) -> str:
    """`text` made writable as UTF-8: a file name byte that is not UTF-8 (which Python holds as a
    lone surrogate) becomes `\\xNN`, as Python and Git show it; any other lone surrogate
    `\\uNNNN`. In JSON text (`json_text`), the backslash is escaped to stay a backslash."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    slash = "\\\\" if json_text else "\\"

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"{slash}x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"{slash}u{code:04x}"

    return _SURROGATE.sub(escape, text)
