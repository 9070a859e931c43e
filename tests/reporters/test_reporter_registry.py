"""Reporters come from a registry: every format names a registered reporter; a new one plugs in."""

from __future__ import annotations

from pathlib import Path

import pytest

from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.reporters import FORMATS
from nemo_docs_lint.reporters.base import (
    _REPORTERS,
    ReportContext,
    Reporter,
    ReportOptions,
    emit,
    get_reporter,
    register,
)


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_has_its_reporter(name: str) -> None:
    assert get_reporter(name).name == name


def test_unknown_format() -> None:
    with pytest.raises(KeyError, match="no reporter for format 'yaml'"):
        get_reporter("yaml")


def test_a_registered_reporter_is_emitted(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("")
    (tmp_path / "index.md").write_text("# Home\n")
    result = lint(LintRequest(paths=(tmp_path,), use_cache=False))
    seen: list[int] = []

    def codes(report: ReportContext, options: ReportOptions) -> str:
        return " ".join(d.code for d in report.result.diagnostics) + f" q={options.quiet}\n"

    register(Reporter("codes", codes, after=lambda report: seen.append(1)))
    try:
        out = tmp_path / "out" / "report.txt"
        reporter = emit(ReportContext(result, tmp_path), "codes", out, ReportOptions(quiet=True))
    finally:
        del _REPORTERS["codes"]
    assert reporter.name == "codes" and seen == [1]
    assert out.read_text() == "FM001 q=True\n"
