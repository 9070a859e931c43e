"""`--format json`: a stable object with a `diagnostics` list and a `summary`."""

from __future__ import annotations

import json

from . import ReportContext, summary


def render(report: ReportContext) -> str:
    diagnostics = report.result.diagnostics
    rules = {rule.code: rule for rule in report.result.rules}
    items = [
        {
            "code": d.code,
            "name": rules[d.code].name if d.code in rules else None,
            "severity": d.severity.value,
            "path": report.display_path(d),
            "line": d.line,
            "column": d.column,
            "end_line": d.end_line,
            "end_column": d.end_column,
            "message": d.message,
            "fixable": d.fix is not None,
        }
        for d in diagnostics
    ]
    document = {
        "version": 1,
        "files_checked": len(report.result.index.pages) + len(report.result.index.unreadable),
        "diagnostics": items,
        "summary": summary(diagnostics),
    }
    # One diagnostic per line: readable, diffable, and written by json's C encoder (indent=2
    # falls back to the pure-Python encoder, a second on 10,000 pages).
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    body = ",\n    ".join(lines)
    document["diagnostics"] = "__DIAGNOSTICS__"
    head = json.dumps(document, indent=2, ensure_ascii=False)
    return head.replace('"__DIAGNOSTICS__"', f"[\n    {body}\n  ]" if lines else "[]") + "\n"
