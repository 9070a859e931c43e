"""`--format console`: diagnostics grouped by file, then counts per code.

Each line is `path:line:col: severity CODE message`: the severity is a word, not only a colour,
so logs and pipes keep it.

On a terminal the text is styled with rich; anywhere else (a pipe, a file, CI logs, pre-commit)
the same text is written directly, which spares importing rich (~50 ms) and its rendering.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TextIO

from ..model import Diagnostic, Severity
from ..words import plural, problems
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
    write_lines(_lines(report, statistics=statistics, quiet=quiet), stream, color=color)


def write_lines(lines: list[Line], stream: TextIO, *, color: bool | None = None) -> None:
    """Write styled lines: with rich on a terminal (or when `color`), as plain text otherwise."""
    if color is None:
        color = _is_terminal(stream)
    if not color:
        stream.write(printable("".join("".join(text for text, _ in line) + "\n" for line in lines)))
        stream.flush()
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, highlight=False, soft_wrap=True, emoji=False, markup=False)
    for line in lines:
        console.print(Text.assemble(*((printable(text), style or "") for text, style in line)))


def diagnostic_line(report: ReportContext, d: Diagnostic, prefix: str = "") -> Line:
    """`path:line:col: severity CODE message`, styled, after an optional prefix (`+ `, `- `)."""
    return [
        (prefix, None),
        (report.display_path(d), "bold"),
        (f":{d.line}:{d.column}: ", None),
        (f"{d.severity.value} ", _STYLE[d.severity]),
        (d.code, "bold"),
        (" [*]" if d.fix is not None and d.fix.safe else "", "bold"),
        (f" {d.message}", None),
    ]


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
            yield diagnostic_line(report, d)
    if quiet and not statistics:
        return
    counts = Counter(d.code for d in diagnostics)
    if diagnostics and not statistics:
        yield []
    for code, count in sorted(counts.items()):
        name = rules[code].name if code in rules else ""
        yield [(f"{count:>6}  ", None), (code, "bold"), (f"  {name}", None)]
    known = report.result.baseline_known
    hidden = f"; {plural(known, 'known problem')} hidden by the baseline" if known else ""
    if not diagnostics:
        yield [("All checks passed", "green"), (f": {report.checked_text()}{hidden}.", None)]
        return
    tail = _fixable(diagnostics)
    files = plural(len({d.path for d in diagnostics}), "file")
    checked = report.checked_text()
    yield [(f"Found {problems(diagnostics)} in {files}; {checked}{hidden}{tail}.", None)]


def _fixable(diagnostics: Sequence[Diagnostic]) -> str:
    """`; [*] 2 fixable with --fix, 1 more with --unsafe-fixes` (as Ruff counts them)."""
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.safe)
    unsafe = sum(1 for d in diagnostics if d.fix is not None and not d.fix.safe)
    parts = [f"[*] {safe} fixable with --fix"] if safe else []
    if unsafe:
        parts.append(f"{unsafe} {'more ' if safe else ''}with --unsafe-fixes")
    return f"; {', '.join(parts)}" if parts else ""


def _text(report: ReportContext, options: ReportOptions) -> str:
    import io

    buffer = io.StringIO()
    render(report, buffer, statistics=options.statistics, quiet=options.quiet, color=False)
    return buffer.getvalue()


def _to_terminal(report: ReportContext, stream: TextIO, options: ReportOptions) -> None:
    render(report, stream, statistics=options.statistics, quiet=options.quiet)


register(Reporter("console", _text, to_terminal=_to_terminal))
