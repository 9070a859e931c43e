"""`--format github`: escaping, the 10/10 annotation limit, the step summary, auto-selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from integration_support import make_problem_repo

from nemo_docs_lint.config import Config
from nemo_docs_lint.index import DocsIndex
from nemo_docs_lint.model import Diagnostic, LintResult, Severity
from nemo_docs_lint.registry import all_rules
from nemo_docs_lint.reporters import ReportContext
from nemo_docs_lint.reporters import github as gh

MIB = 1024 * 1024


def _report(tmp_path: Path, diagnostics: list[Diagnostic]) -> ReportContext:
    root = tmp_path / "repo"
    config = Config(docs_root=root / "docs", project_root=root)
    rules = list(all_rules().values())
    result = LintResult(config, DocsIndex(pages={}), rules, sorted(diagnostics, key=_key))
    return ReportContext(result=result, cwd=root)


def _key(d: Diagnostic):
    return d.sort_key


def _diag(code: str, severity: Severity, line: int, path: str = "a.md", message: str = "m"):
    return Diagnostic(code, severity, path, line, 1, message, end_line=line, end_column=5)


def test_escape_data_and_properties() -> None:
    assert gh.escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert gh.escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"


def test_message_and_path_with_every_special_character(tmp_path: Path) -> None:
    d = Diagnostic(
        "LNK001",
        Severity.ERROR,
        "dir:1/a,b%c\r\nd.md",
        3,
        2,
        "50% of `x: y, z`\r\nsecond line",
        end_line=3,
        end_column=9,
    )
    line = gh.annotation(_report(tmp_path, [d]), d, "broken-link")
    assert line == (
        "::error file=docs/dir%3A1/a%2Cb%25c%0D%0Ad.md,line=3,col=2,endLine=3,endColumn=9,"
        "title=LNK001 broken-link::50%25 of `x: y, z`%0D%0Asecond line"
    )


def test_severity_commands(tmp_path: Path) -> None:
    diagnostics = [
        _diag("FM003", Severity.ERROR, 1),
        _diag("FM007", Severity.WARNING, 2),
        _diag("TOC005", Severity.NOTE, 3),
    ]
    text = gh.render(_report(tmp_path, diagnostics), env={})
    commands = [line.split(" ", 1)[0] for line in text.splitlines() if line.startswith("::")]
    assert commands == [
        "::group::nemo-docs-lint:",
        "::endgroup::",
        "::error",
        "::warning",
        "::notice",
    ]
    assert "title=FM003 missing-key::m" in text


def test_ten_errors_ten_warnings_then_one_notice(tmp_path: Path) -> None:
    diagnostics = (
        [_diag("FM003", Severity.ERROR, n, "e.md") for n in range(1, 16)]
        + [_diag("FM007", Severity.WARNING, n, "w.md") for n in range(1, 13)]
        + [_diag("TOC005", Severity.NOTE, n, "n.md") for n in range(1, 4)]
    )
    text = gh.render(_report(tmp_path, diagnostics), env={"GITHUB_STEP_SUMMARY": "/x"})
    annotations = [
        line for line in text.splitlines() if line.startswith(("::error", "::warn", "::not"))
    ]
    assert sum(a.startswith("::error ") for a in annotations) == 10
    assert sum(a.startswith("::warning ") for a in annotations) == 10
    notices = [a for a in annotations if a.startswith("::notice ")]
    assert len(notices) == 4  # three notes, then the trailing notice
    # the most severe first, the trailing notice last
    kinds = [a.split(" ", 1)[0] for a in annotations]
    assert kinds == ["::error"] * 10 + ["::warning"] * 10 + ["::notice"] * 4
    assert annotations[0].startswith("::error file=docs/e.md,line=1,")
    assert annotations[9].startswith("::error file=docs/e.md,line=10,")
    trailing = annotations[-1]
    assert trailing.startswith("::notice title=nemo-docs-lint::7 more problems are not annotated")
    assert "the job summary" in trailing
    # every problem is in the log, in a collapsed group
    assert "::group::nemo-docs-lint: 30 problems" in text
    assert "e.md:15:1: error FM003 m" in text


def test_no_trailing_notice_within_limits(tmp_path: Path) -> None:
    diagnostics = [_diag("FM003", Severity.ERROR, n) for n in range(1, 11)]
    text = gh.render(_report(tmp_path, diagnostics), env={})
    assert text.count("::error ") == 10
    assert "::notice" not in text


def test_clean_run_prints_nothing(tmp_path: Path) -> None:
    assert gh.render(_report(tmp_path, []), env={}) == ""


def test_step_summary_is_small_with_200_rows_and_a_truncation_note(tmp_path: Path) -> None:
    message = "A long message with | pipes and <b>html</b> and @someone " + "x" * 2000
    diagnostics = [
        _diag(f"FM00{n % 9 + 1}", Severity.ERROR, n, f"dir/page-{n:05}.md", message)
        for n in range(1, 5001)
    ]
    summary = tmp_path / "summary.md"
    summary.write_text("previous step's summary\n", encoding="utf-8")
    env = {
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "octo/docs",
        "GITHUB_SHA": "abc123",
    }
    assert gh.write_step_summary(_report(tmp_path, diagnostics), env)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("previous step's summary\n## nemo-docs-lint")
    assert len(text.encode("utf-8")) < MIB / 2
    rows = [line for line in text.splitlines() if line.startswith("| :x: |")]
    assert len(rows) == 200
    assert "_Showing the first 200 of 5000 problems" in text
    assert "| `FM001` | missing-frontmatter | :x: error | 555 |" in text
    assert (
        "[`docs/dir/page-00001.md:1:1`](https://github.com/octo/docs/blob/abc123/docs/dir/page-00001.md?plain=1#L1)"
        in text
    )
    assert "<b>" not in text and "\\|" in text and "@someone" not in text


def test_no_summary_without_the_variable(tmp_path: Path) -> None:
    assert not gh.write_step_summary(_report(tmp_path, []), env={})


def test_chosen_automatically_on_actions(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_problem_repo(tmp_path)
    summary = tmp_path / "step-summary.md"
    summary.touch()
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str):
        monkeypatch.setenv("GITHUB_ACTIONS", "true")  # set after the cli fixture removed it
        return cli("docs", *args, cwd=repo)

    result = run()
    assert result.exit_code == 1
    assert "::error file=docs/guide.md,line=" in result.stdout
    assert "title=LNK001 broken-link::" in result.stdout
    assert "| :x: | `docs/guide.md:" in summary.read_text(encoding="utf-8")
    # an explicit --format wins over the environment
    assert run("--format", "json").stdout.startswith("{")


def test_github_format_with_output_file(cli, tmp_path: Path, monkeypatch) -> None:
    repo = make_problem_repo(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = cli("docs", "--format", "github", "--output", "annotations.txt", cwd=repo)
    assert result.exit_code == 1 and result.stdout == ""
    assert "::error file=docs/guide.md" in (repo / "annotations.txt").read_text(encoding="utf-8")
