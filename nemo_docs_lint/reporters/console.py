"""`--format console`: diagnostics grouped by file, then counts per code (rich on a terminal)."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import TextIO

from ..model import Severity
from . import ReportContext

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def render(
    report: ReportContext,
    stream: TextIO,
    *,
    statistics: bool = False,
    quiet: bool = False,
    color: bool | None = None,
) -> None:
    """Write the console report to `stream`."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(
        file=stream, highlight=False, soft_wrap=True, force_terminal=color, no_color=color is False
    )
    diagnostics = report.result.diagnostics
    rules = {rule.code: rule for rule in report.result.rules}
    if not statistics:
        for path, group in groupby(diagnostics, key=report.display_path):
            for d in group:
                style = _STYLE[d.severity]
                console.print(
                    f"[bold]{escape(path)}[/]:{d.line}:{d.column}: "
                    f"[{style}]{d.code}[/] {escape(d.message)}"
                )
    if quiet and not statistics:
        return
    counts = Counter(d.code for d in diagnostics)
    if diagnostics and not statistics:
        console.print()
    for code, count in sorted(counts.items()):
        name = rules[code].name if code in rules else ""
        console.print(f"{count:>6}  [bold]{code}[/]  {name}")
    if not diagnostics:
        files = len(report.result.index.pages)
        console.print(f"[green]All checks passed[/] ({files} files).")
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
    console.print(f"Found {len(diagnostics)} {noun} ({', '.join(parts)}){tail}.")
