"""`--format json`: each diagnostic line is exactly what json.dumps writes for it."""

from __future__ import annotations

import json
from pathlib import Path

from nemo_docs_lint.config import Config
from nemo_docs_lint.index import DocsIndex
from nemo_docs_lint.model import Diagnostic, Fix, LintResult, Severity, Span
from nemo_docs_lint.registry import all_rules
from nemo_docs_lint.reporters import json as json_report
from nemo_docs_lint.reporters.base import ReportContext, ReportOptions, emit, printable

MESSAGES = [
    'quote " and backslash \\ and slash /',
    "control \x00\x01\x1f\t\n\r\x7f and unicode é ü 中文 😀 \u2028\u2029",
    "lone surrogate \ud800 is escaped: the output stays UTF-8",
    "",
]


def _diagnostics() -> list[Diagnostic]:
    fixes = [Fix(Span(1, 1, 1, 2), "a", "b"), Fix(Span(1, 1, 1, 2), "a", "b", safe=False)]
    found = []
    for n, message in enumerate(MESSAGES):
        fix = fixes[n % 2]
        found.append(
            Diagnostic("LNK001", Severity.ERROR, f"dir é/{n}.md", n + 1, 2, message, 3, 4, fix)
        )
        found.append(Diagnostic("XYZ999", Severity.NOTE, 'we"ird\\.md', 10**20, 1, message))
    return found


def test_lines_equal_json_dumps(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    config = Config(docs_root=root / "docs", project_root=root)
    diagnostics = _diagnostics()
    rules = [all_rules()["LNK001"]]
    report = ReportContext(LintResult(config, DocsIndex(pages={}), rules, diagnostics), cwd=root)
    expected = [  # as json.dumps writes them, lone surrogates escaped to keep the output UTF-8
        printable(
            json.dumps(
                {
                    "code": d.code,
                    "name": "broken-link" if d.code == "LNK001" else None,
                    "severity": d.severity.value,
                    "path": report.display_path(d),
                    "line": d.line,
                    "column": d.column,
                    "end_line": d.end_line,
                    "end_column": d.end_column,
                    "message": d.message,
                    "fixable": d.fix is not None and d.fix.safe,
                    "fix": None if d.fix is None else ("safe" if d.fix.safe else "unsafe"),
                },
                ensure_ascii=False,
            ),
            json_text=True,
        )
        for d in diagnostics
    ]
    output = json_report.render(report)
    assert output.split("\n")[5 : 5 + len(expected)] == [
        f"    {line}," for line in expected[:-1]
    ] + [f"    {expected[-1]}"]
    assert json.loads(output)["diagnostics"][0]["path"] == "docs/dir é/0.md"


def test_the_report_in_pieces_is_the_report_whole(tmp_path: Path, monkeypatch) -> None:
    """Written in pieces (a large report is never held whole), the text is the same at every
    batch boundary: none, fewer than a batch, exactly one, one and a bit; to a file too."""
    root = tmp_path / "repo"
    config = Config(docs_root=root / "docs", project_root=root)
    rules = [all_rules()["LNK001"]]
    diagnostics = _diagnostics()  # 8
    for count in (0, 3, 4, 8):
        result = LintResult(config, DocsIndex(pages={}), rules, diagnostics[:count])
        report = ReportContext(result, cwd=root)
        monkeypatch.setattr(json_report, "_BATCH", 10**6)
        whole = json_report.render(report)
        monkeypatch.setattr(json_report, "_BATCH", 4)
        assert json_report.render(report) == whole
        assert len(json.loads(whole)["diagnostics"]) == count
        out = tmp_path / f"report-{count}.json"
        emit(report, "json", out, ReportOptions())
        assert out.read_text(encoding="utf-8") == whole
    assert sum(line.startswith('    {"code": ') for line in whole.split("\n")) == 8
