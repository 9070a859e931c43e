"""The filter stage as a unit: scope, severity overrides, order; a new result, inputs untouched."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.filter import ReportScope, filter_findings, severity_of
from nemo_docs_lint.model import Finding, Severity, Span
from nemo_docs_lint.registry import all_rules


def test_report_scope_from_paths(tmp_path: Path) -> None:
    (tmp_path / "guides").mkdir()
    assert ReportScope.from_paths([], tmp_path).everything
    assert ReportScope.from_paths([tmp_path], tmp_path).everything
    scope = ReportScope.from_paths([tmp_path / "guides", tmp_path / "a.md"], tmp_path)
    assert scope.paths == ("guides", "a.md")
    assert scope.covers("guides/x.md") and scope.covers("a.md")
    assert not scope.covers("guidesx/y.md") and not scope.covers("b.md")
    finding = Finding("guides/x.md", Span(1, 1, 1, 2), "m")
    assert scope.includes(finding)
    assert not scope.includes(replace(finding, path="index.md"))


def test_severity_overrides_use_selection_specificity(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("")
    (tmp_path / "index.md").write_text("# x\n")
    config = lint(LintRequest(paths=(tmp_path,), use_cache=False)).config
    fm007 = all_rules()["FM007"]
    assert severity_of(config, fm007) is Severity.WARNING
    overridden = replace(config, severity={"ALL": Severity.NOTE, "FM": Severity.ERROR})
    assert severity_of(overridden, fm007) is Severity.ERROR
    assert severity_of(overridden, all_rules()["LNK001"]) is Severity.NOTE


def test_filter_sorts_and_returns_a_new_result(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("")
    (tmp_path / "index.md").write_text("# x\n")
    result = lint(LintRequest(paths=(tmp_path,), use_cache=False))
    rule = all_rules()["LNK001"]
    findings = [
        (rule, Finding("index.md", Span(2, 1, 2, 3), "b")),
        (rule, Finding("index.md", Span(1, 5, 1, 6), "a")),
        (rule, Finding("about.md", Span(9, 1, 9, 2), "c")),
    ]
    before = list(findings)
    filtered = filter_findings(findings, result.config, result.index, ReportScope(("index.md",)))
    assert findings == before
    assert [(d.path, d.line, d.column, d.severity) for d in filtered.diagnostics] == [
        ("index.md", 1, 5, Severity.ERROR),
        ("index.md", 2, 1, Severity.ERROR),
    ]
    assert (filtered.baseline_known, filtered.baseline_fixed) == (0, 0)


def test_covered_finds_in_bulk_what_covers_finds_path_by_path() -> None:
    paths = {"a.md", "a.md.bak", "ab/c.md", "a/b.md", "guide/x.md", "guide", "guides/y.md", "z.md"}
    for named in ((), ("a.md",), ("guide",), ("a.md", "guide", "ab")):
        scope = ReportScope(named) if named else ReportScope()
        assert scope.covered(paths) == {p for p in paths if scope.covers(p)}
    assert ReportScope(("guide",)).covered(paths) == {"guide", "guide/x.md"}
