"""`--format console`: diagnostics grouped by file, then counts per code.

On a terminal the text is styled with rich; anywhere else (a pipe, a file, CI logs, pre-commit)
the same text is written directly, which spares importing rich (~50 ms) and its rendering.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import TextIO

from ..model import Severity
from .base import ReportContext, Reporter, ReportOptions, printable, register

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}

Line = list[tuple[str, str | None]]  # text segments with an optional rich style


def render(
    report: ReportContext,
    stream: TextIO,
    *,
    statistics: bool = False,
    quiet: bool = False,
    color: bool | None = None,
) -> None:
    """Write the console report to `stream` (color None: only when it is a terminal)."""
    lines = _lines(report, statistics=statistics, quiet=quiet)
    if color is None:
        color = _is_terminal(stream)
    if not color:
        stream.write(printable("".join("".join(text for text, _ in line) + "\n" for line in lines)))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, highlight=False, soft_wrap=True, emoji=False, markup=False)
    for line in lines:
        console.print(Text.assemble(*((printable(text), style or "") for text, style in line)))


def _is_terminal(stream: TextIO) -> bool:
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _lines(report: ReportContext, *, statistics: bool, quiet: bool) -> list[Line]:
    return list(_generate(report, statistics=statistics, quiet=quiet))


def _generate(report: ReportContext, *, statistics: bool, quiet: bool) -> Iterator[Line]:
    diagnostics = report.result.diagnostics
    rules = {rule.code: rule for rule in report.result.rules}
    if not statistics:
        for d in diagnostics:
            yield [
                (report.display_path(d), "bold"),
                (f":{d.line}:{d.column}: ", None),
                (d.code, _STYLE[d.severity]),
                (f" {d.message}", None),
            ]
    if quiet and not statistics:
        return
    counts = Counter(d.code for d in diagnostics)
    if diagnostics and not statistics:
        yield []
    for code, count in sorted(counts.items()):
        name = rules[code].name if code in rules else ""
        yield [(f"{count:>6}  ", None), (code, "bold"), (f"  {name}", None)]
    if not diagnostics:
        files = len(report.result.index.pages)
        yield [("All checks passed", "green"), (f" ({files} files).", None)]
        return
    by_severity = Counter(d.severity for d in diagnostics)
    parts = [
        f"{by_severity[s]} {s.value}{'s' if by_severity[s] != 1 else ''}"
        for s in reversed(Severity)
        if by_severity[s]
    ]
    fixable = sum(1 for d in diagnostics if d.fix is not None)
    tail = f"; {fixable} fixable with --fix" if fixable else ""
    noun = "problem" if len(diagnostics) == 1 else "problems"
    yield [(f"Found {len(diagnostics)} {noun} ({', '.join(parts)}){tail}.", None)]


def _text(report: ReportContext, options: ReportOptions) -> str:
    import io

    buffer = io.StringIO()
    render(report, buffer, statistics=options.statistics, quiet=options.quiet, color=False)
    return buffer.getvalue()


def _to_terminal(report: ReportContext, stream: TextIO, options: ReportOptions) -> None:
    render(report, stream, statistics=options.statistics, quiet=options.quiet)


register(Reporter("console", _text, to_terminal=_to_terminal))
