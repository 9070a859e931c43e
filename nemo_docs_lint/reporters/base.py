"""What every reporter shares: the `ReportContext` it reads, the `Reporter` it registers, and
`emit`, which picks one from the registry and writes its report."""

from __future__ import annotations

import functools
import importlib
import os
import posixpath
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any, TextIO

from ..model import Diagnostic, LintResult, Severity
from . import FORMATS


@dataclass(frozen=True)
class ReportContext:
    """Everything a reporter needs besides the diagnostics."""

    result: LintResult
    cwd: Path

    def files_checked(self) -> tuple[int, int]:
        """(files in the report's scope, files of the whole tree), readable or not."""
        if self.result.counted is not None:  # a whole-tree report its tree stamp served
            files = sum(self.result.counted)
            return files, files
        index = self.result.index
        paths = [page.path for page in index.pages.values()] + [p for p, _ in index.unreadable]
        scope = self.result.scope
        if scope is None:
            return len(paths), len(paths)
        named, below = frozenset(scope), tuple(s + "/" for s in scope)
        inside = sum(1 for p in paths if p in named or p.startswith(below))
        return inside, len(paths)

    def checked_text(self) -> str:
        """`4 files checked`, or `1 file checked (4 in the docs tree)` for a part of the tree."""
        from ..words import plural

        checked, tree = self.files_checked()
        text = f"{plural(checked, 'file')} checked"
        return text if checked == tree else f"{text} ({tree} in the docs tree)"

    def display_path(self, diagnostic: Diagnostic) -> str:
        """The diagnostic's file relative to the current directory, `/`-separated."""
        return self._display_paths(diagnostic.path)

    @functools.cached_property
    def _display_paths(self) -> Callable[[str], str]:
        """`display_path` by docs-root-relative path, worked out once per path (a 10k-page
        report names each file three times on average: 0.37 s of `relpath` saved)."""
        docs_root, cwd = str(self.result.config.docs_root), str(self.cwd)
        root = _relative_root(docs_root, cwd)
        inside = os.path.commonpath([docs_root, os.path.abspath(cwd)]) == docs_root

        @functools.cache
        def shown(path: str) -> str:
            if root == ".":
                return path
            if root.startswith("..") and inside:  # the current folder is inside the tree
                return Path(os.path.relpath(os.path.join(docs_root, path), cwd)).as_posix()
            # Beside or above the tree: every path starts with the tree's own (100k different
            # paths: 1.5 s of `relpath` saved).
            return posixpath.normpath(f"{root}/{path}")

        return shown

    def repo_path(self, diagnostic: Diagnostic) -> str:
        """The diagnostic's file relative to the repository (project) root."""
        absolute = self.result.config.docs_root / diagnostic.path
        return Path(os.path.relpath(absolute, self.result.config.project_root)).as_posix()


def summary(diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """Counts by severity and by code, in a stable order."""
    by_severity = Counter(map(_SEVERITY, diagnostics))
    by_code = Counter(map(_CODE, diagnostics))
    return {
        "total": len(diagnostics),
        "by_severity": {s.value: by_severity.get(s, 0) for s in reversed(Severity)},
        "by_code": dict(sorted(by_code.items())),
    }


_SEVERITY, _CODE = attrgetter("severity"), attrgetter("code")


@functools.lru_cache(maxsize=64)
def _relative_root(root: str, start: str) -> str:
    """The docs root relative to `start`, `/`-separated (once per run, not per diagnostic)."""
    return Path(os.path.relpath(root, start)).as_posix()


@dataclass(frozen=True)
class ReportOptions:
    """How the user asked for the report."""

    statistics: bool = False  # counts per code only (console)
    quiet: bool = False  # diagnostics only, no summary (console)


@dataclass(frozen=True)
class Reporter:
    """One output format.

    - `render(report, options)`: the report as text (written to `--output` or stdout);
    - `chunks(report, options)`: the same text in pieces, for a report too large to hold
      twice (written piece by piece, still atomically);
    - `to_terminal(report, stream, options)`: writes to stdout itself (colour on a terminal);
    - `after(report)`: side outputs once the report is written (GitHub's step summary);
    - `says_baseline_fixed`: the report itself mentions fixed baseline entries (else the CLI
      says so on stderr).
    """

    name: str
    render: Callable[[ReportContext, ReportOptions], str]
    to_terminal: Callable[[ReportContext, TextIO, ReportOptions], None] | None = None
    after: Callable[[ReportContext], Any] | None = None
    says_baseline_fixed: bool = False
    chunks: Callable[[ReportContext, ReportOptions], Iterable[str]] | None = None


_REPORTERS: dict[str, Reporter] = {}


def register(reporter: Reporter) -> Reporter:
    """Register a reporter under its name (called by each reporter module)."""
    _REPORTERS[reporter.name] = reporter
    return reporter


def get_reporter(name: str) -> Reporter:
    """The reporter of a format, importing its module on first use."""
    found = _REPORTERS.get(name)
    if found is None:
        if name in FORMATS:
            importlib.import_module(f"{__package__}.{name}")
        found = _REPORTERS.get(name)
        if found is None:
            raise KeyError(f"no reporter for format {name!r}")
    return found


def emit(report: ReportContext, name: str, output: Path | None, options: ReportOptions) -> Reporter:
    """Write the report in format `name` to `output` (atomically) or stdout; return its reporter."""
    reporter = get_reporter(name)
    if output is None and reporter.to_terminal is not None:
        reporter.to_terminal(report, sys.stdout, options)
    else:
        text: str | Iterable[str] = (
            reporter.chunks(report, options)
            if reporter.chunks is not None
            else reporter.render(report, options)
        )
        if output is None:
            sys.stdout.writelines([text] if isinstance(text, str) else text)
        else:
            from ..fileio import write_atomic

            # atomic, not fsync'ed: a report lost to a power cut is only rendered again
            write_atomic(output, text, durable=False)
    if reporter.after is not None:
        reporter.after(report)
    return reporter


def rendered(report: ReportContext, name: str, options: ReportOptions) -> list[bytes]:
    """The report in format `name`, in pieces, as `emit` writes them to a file (for a reporter
    without `after`)."""
    reporter = get_reporter(name)
    text: str | Iterable[str] = (
        reporter.chunks(report, options)
        if reporter.chunks is not None
        else reporter.render(report, options)
    )
    return [piece.encode("utf-8") for piece in ([text] if isinstance(text, str) else text)]


def quote_path(path: str, safe: str = "/") -> str:
    """Percent-encode a path's bytes for a URI (a file name that is not UTF-8 keeps its bytes)."""
    from urllib.parse import quote

    return quote(path.encode("utf-8", "surrogateescape"), safe=safe)


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
