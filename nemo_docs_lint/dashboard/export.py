"""`dashboard.json` (the numbers for other tools) and `dashboard.md` (a table for a PR or issue)."""

from __future__ import annotations

import json
from typing import Any

from .numbers import STATUS_LABELS, Dashboard, Distribution, GroupStats

JSON_VERSION = 1


def to_json(dashboard: Dashboard) -> str:
    """The dashboard's numbers as stable, sorted-key JSON."""
    document = {
        "version": JSON_VERSION,
        "title": dashboard.title,
        "baseline": dashboard.baseline,
        "baseline_fixed": dashboard.baseline_fixed,
        "total": _group(dashboard.total, files=False),
        "groups": [_group(g) for g in dashboard.groups],
        "overlaps": [{"path": p, "groups": list(g)} for p, g in dashboard.overlaps],
        "unmatched": [{"group": g, "entry": entry} for g, entry in dashboard.unmatched],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _group(g: GroupStats, files: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": g.name,
        "priority": g.priority,
        "reviewers": list(g.reviewers),
        "url": g.url,
        "status": g.status,
        "files_total": len(g.files),
        "files_clean": g.files_clean,
        "problems": {"error": g.errors, "warning": g.warnings, "note": g.notes},
        "frontmatter": {
            "pages": g.metadata_pages,
            "valid": g.metadata_valid,
            "completeness": None if g.completeness is None else round(g.completeness, 4),
        },
        "broken_links": g.broken_links,
        "orphans": g.orphans,
        "new": g.new,
        "known": g.known,
        "codes": dict(g.codes),
        "metadata": {d.key: _distribution(d) for d in g.metadata},
        "unmatched": list(g.unmatched),
    }
    if files:
        data["files"] = [
            {
                "path": row.path,
                "href": row.href,
                "repo_href": row.repo_href,
                "title": row.title,
                "description": row.description,
                "groups": list(row.groups),
                "status": row.status,
                "problems": [
                    {
                        "code": p.code,
                        "severity": p.severity,
                        "line": p.line,
                        "column": p.column,
                        "message": p.message,
                        "known": p.known,
                    }
                    for p in row.problems
                ],
            }
            for row in g.files
        ]
    return data


def _distribution(d: Distribution) -> dict[str, Any]:
    return {"counts": dict(d.counts), "missing": list(d.missing)}


def _cell(text: str) -> str:
    """Make text safe inside a Markdown table cell (no pipes, no HTML, no line breaks)."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", " ")
    )


def to_markdown(dashboard: Dashboard) -> str:
    """A compact table per group, for pasting into a PR description or tracking issue."""
    head = ["Group", "Priority", "Files", "Clean", "Errors", "Warnings", "Notes"]
    head += ["Frontmatter", "Broken links", "Orphans"]
    head += ["New", "Known"] if dashboard.baseline else []
    head += ["Status"]
    lines = [
        f"### {_cell(dashboard.title)}",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join(":--" if i < 2 else "--:" for i in range(len(head) - 1)) + "|:--|",
    ]
    for g in (*dashboard.groups, dashboard.total):
        share = g.completeness
        fm = "n/a" if share is None or not dashboard.frontmatter_checked else f"{share:.0%}"
        name = _cell(g.name) if g is not dashboard.total else f"**{_cell(g.name)}**"
        cells = [name, g.priority or "", str(len(g.files)), str(g.files_clean)]
        cells += [str(g.errors), str(g.warnings), str(g.notes), fm]
        cells += [str(g.broken_links), str(g.orphans)]
        cells += [str(g.new), str(g.known)] if dashboard.baseline else []
        cells.append(STATUS_LABELS[g.status])
        lines.append("| " + " | ".join(cells) + " |")
    if dashboard.overlaps or dashboard.unmatched:
        lines += ["", "**Groups file problems**", ""]
        for path, groups in dashboard.overlaps:
            names = ", ".join(_cell(g) for g in groups)
            lines.append(f"- `{_cell(path)}` is in {len(groups)} groups: {names}")
        for group, entry in dashboard.unmatched:
            lines.append(f"- {_cell(group)}: the entry `{_cell(entry)}` matches no file")
    return "\n".join(lines) + "\n"
