"""`--format github`: workflow-command annotations plus the job summary.

GitHub shows at most 10 error and 10 warning annotations per step, so the most severe problems
are annotated first, up to those limits, and one trailing `::notice` says how many more there are
and where to read them. Every problem is also printed as a plain line inside a collapsed log group,
and, when `GITHUB_STEP_SUMMARY` is set, the Markdown summary is appended to that file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..model import Diagnostic, Severity
from ..words import plural
from . import markdown as markdown_report
from .base import ReportContext, Reporter, printable, register

# GitHub's per-step limits; two notices are kept for the trailing "more" and baseline notes.
LIMITS = {Severity.ERROR: 10, Severity.WARNING: 10, Severity.NOTE: 8}
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message: `%`, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value: as data, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(report: ReportContext, d: Diagnostic, name: str = "") -> str:
    """One `::error file=…,line=…::message` command."""
    properties = [
        ("file", report.repo_path(d)),
        ("line", str(d.line)),
        ("col", str(d.column)),
    ]
    if d.end_line is not None:
        properties.append(("endLine", str(d.end_line)))
    if d.end_column is not None:
        properties.append(("endColumn", str(d.end_column)))
    properties.append(("title", f"{d.code} {name}".strip()))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{_COMMAND[d.severity]} {props}::{escape_data(d.message)}"


def render(report: ReportContext, env: Mapping[str, str] | None = None) -> str:
    """Workflow commands, one per diagnostic (valid UTF-8 whatever the file names)."""
    return printable(_render(report, env))


def _render(report: ReportContext, env: Mapping[str, str] | None) -> str:
    """The log text: a collapsed group listing every problem, then the annotations."""
    env = os.environ if env is None else env
    diagnostics = report.result.diagnostics
    names = {rule.code: rule.name for rule in report.result.rules}
    lines = []
    if diagnostics:
        lines.append(f"::group::nemo-docs-lint: {plural(len(diagnostics), 'problem')}")
        for d in diagnostics:
            lines.append(
                f"{report.repo_path(d)}:{d.line}:{d.column}: {d.severity.value} "
                f"{d.code} {escape_data(d.message)}"
            )
        lines.append("::endgroup::")
    ranked = sorted(diagnostics, key=lambda d: (-d.severity.rank, d.sort_key))
    shown = {severity: 0 for severity in Severity}
    hidden = 0
    for d in ranked:
        if shown[d.severity] < LIMITS[d.severity]:
            shown[d.severity] += 1
            lines.append(annotation(report, d, names.get(d.code, "")))
        else:
            hidden += 1
    if hidden:
        where = "the job summary and " if env.get("GITHUB_STEP_SUMMARY") else ""
        lines.append(
            "::notice title=nemo-docs-lint::"
            + escape_data(
                f"{plural(hidden, 'more problem')} {'is' if hidden == 1 else 'are'} not annotated "
                "(GitHub shows at most 10 error and 10 warning annotations per step); "
                f"see {where}the 'nemo-docs-lint: "
                f"{plural(len(diagnostics), 'problem')}' group in this step's log for all of them."
            )
        )
    result = report.result
    if result.baseline_fixed:
        from ..baseline import fixed_note

        lines.append(
            "::notice title=nemo-docs-lint baseline::"
            + escape_data(fixed_note(result.baseline_fixed) + ".")
        )
    return "\n".join(lines) + ("\n" if lines else "")


def write_step_summary(report: ReportContext, env: Mapping[str, str] | None = None) -> bool:
    """Append the Markdown summary to `$GITHUB_STEP_SUMMARY`; False when it is not set."""
    env = os.environ if env is None else env
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    text = markdown_report.render(report, link_base=markdown_report.blob_base(env))
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(text)
    return True


register(
    Reporter(
        "github",
        lambda report, options: render(report),
        after=write_step_summary,
        says_baseline_fixed=True,
    )
)
