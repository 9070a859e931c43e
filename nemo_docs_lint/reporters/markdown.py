"""`--format markdown`: a Markdown summary for PR comments and GitHub's job summary.

Counts per rule, then a table of the first problems with links to their lines (when the GitHub
environment says where the files live), and a note when the table is truncated. The text stays
well under GitHub's 1 MiB step-summary limit whatever the number of problems.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping

from ..model import Diagnostic, Severity
from ..words import plural, problems
from .base import ReportContext, Reporter, printable, quote_path, register

MAX_ROWS = 200
MAX_MESSAGE = 300  # characters of a message shown in a table cell
MAX_BYTES = 512 * 1024  # half of GitHub's 1 MiB per-step summary limit
_ICON = {
    Severity.ERROR: ":x:",
    Severity.WARNING: ":warning:",
    Severity.NOTE: ":information_source:",
}


def blob_base(env: Mapping[str, str] | None = None) -> str | None:
    """`https://github.com/OWNER/REPO/blob/SHA/` from GitHub's environment, or None outside it."""
    env = os.environ if env is None else env
    server, repo, sha = (
        env.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    )
    if not (server and repo and sha):
        return None
    return f"{server.rstrip('/')}/{repo}/blob/{sha}/"


def render(report: ReportContext, *, link_base: str | None = None, max_rows: int = MAX_ROWS) -> str:
    """The Markdown report (valid UTF-8 whatever the file names)."""
    return printable(_render(report, link_base, max_rows))


def _render(report: ReportContext, link_base: str | None, max_rows: int) -> str:
    """The summary as Markdown text."""
    result = report.result
    diagnostics = result.diagnostics
    lines = ["## nemo-docs-lint", ""]
    if diagnostics:
        lines.append(f"**{problems(diagnostics)}** in {report.checked_text()}.")
    else:
        lines.append(f":white_check_mark: No problems in {report.checked_text()}.")
    baseline = _baseline_line(result.baseline_known, result.baseline_fixed)
    if baseline:
        lines += ["", baseline]
    if not diagnostics:
        return "\n".join(lines) + "\n"
    lines += [
        "",
        "### Problems by rule",
        "",
        "| Rule | Name | Severity | Count |",
        "|---|---|---|--:|",
    ]
    names = {rule.code: rule.name for rule in result.rules}
    counts = Counter(d.code for d in diagnostics)
    severities = {d.code: d.severity for d in diagnostics}
    for code, count in sorted(counts.items()):
        severity = severities[code]
        lines.append(
            f"| `{code}` | {_cell(names.get(code, ''))} | {_ICON[severity]} {severity.value} "
            f"| {count} |"
        )
    lines += ["", "### Problems", "", "| | Location | Rule | Message |", "|---|---|---|---|"]
    header = "\n".join(lines) + "\n"
    rows, size = [], len(header.encode("utf-8"))
    ranked = sorted(diagnostics, key=lambda d: (-d.severity.rank, d.sort_key))
    for d in ranked[:max_rows]:
        row = _row(report, d, link_base)
        size += len(row.encode("utf-8", "surrogateescape")) + 1
        if size > MAX_BYTES:
            break
        rows.append(row)
    text = header + "\n".join(rows) + "\n"
    if len(rows) < len(diagnostics):
        text += (
            f"\n_Showing the first {len(rows)} of {len(diagnostics)} problems, most severe first. "
            "Run `nemo-docs-lint` locally, or read the job log or the SARIF report, "
            "for the full list._\n"
        )
    return text


def _row(report: ReportContext, d: Diagnostic, link_base: str | None) -> str:
    path = report.repo_path(d)
    label = f"{path}:{d.line}:{d.column}"
    if link_base:
        end = d.end_line if d.end_line and d.end_line > d.line else None
        # `?plain=1`: GitHub shows Markdown rendered, where `#L7` points at no line.
        anchor = f"?plain=1#L{d.line}" + (f"-L{end}" if end else "")
        location = f"[`{_code_text(label)}`]({link_base}{quote_path(path)}{anchor})"
    else:
        location = f"`{_code_text(label)}`"
    return f"| {_ICON[d.severity]} | {location} | `{d.code}` | {_cell(d.message)} |"


def _cell(text: str) -> str:
    """Make text safe in a table cell: one line, no pipes; outside code: no HTML, no @mentions."""
    text = " ".join(text.split())
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unbalanced backtick: treat all of it as prose
        parts = [text.replace("`", "'")]
    for i in range(0, len(parts), 2):
        for old, new in (
            ("<", "&lt;"),
            (">", "&gt;"),
            ("@", "@\u200b"),
            ("*", "\\*"),
            ("_", "\\_"),
        ):
            parts[i] = parts[i].replace(old, new)
    return "`".join(parts).replace("|", "\\|")


def _code_text(text: str) -> str:
    return text.replace("`", "'").replace("|", "\\|")


def _baseline_line(known: int, fixed: int) -> str:
    parts = []
    if known:
        parts.append(f"{plural(known, 'known problem')} hidden by the baseline")
    if fixed:
        word = "entry is" if fixed == 1 else "entries are"
        parts.append(f"{fixed} baseline {word} fixed; run `--write-baseline` to prune")
    return ("_" + "; ".join(parts) + "._") if parts else ""


register(
    Reporter(
        "markdown",
        lambda report, options: render(report, link_base=blob_base()),
        says_baseline_fixed=True,
    )
)
