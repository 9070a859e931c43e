"""`--format markdown`: the summary for PR comments (the same text as the job summary)."""

from __future__ import annotations

from pathlib import Path

import pytest
from integration_support import copy_fixture, make_problem_repo

from nemo_docs_lint.config import Config
from nemo_docs_lint.index import DocsIndex
from nemo_docs_lint.model import Diagnostic, LintResult, Severity
from nemo_docs_lint.reporters import ReportContext
from nemo_docs_lint.reporters import markdown as md


@pytest.fixture(autouse=True)
def _outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


def _report(tmp_path: Path, diagnostics: list[Diagnostic], **counts: int) -> ReportContext:
    root = tmp_path / "repo"
    config = Config(docs_root=root / "docs", project_root=root)
    result = LintResult(config, DocsIndex(pages={}), [], diagnostics, **counts)
    return ReportContext(result=result, cwd=root)


def test_cli_markdown_summary(cli, tmp_path: Path) -> None:
    repo = make_problem_repo(tmp_path)
    result = cli("docs", "--format", "markdown", cwd=repo)
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith("## nemo-docs-lint\n")
    assert "### Problems by rule" in text
    assert "| `LNK001` | broken-link | :x: error | 1 |" in text
    assert "| :x: | `docs/guide.md:" in text  # no links outside GitHub
    assert "_Showing the first" not in text
    assert "in 3 files checked" in text


def test_cli_markdown_links_on_github(cli, tmp_path: Path, monkeypatch) -> None:
    repo = make_problem_repo(tmp_path)
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example.com/")
    monkeypatch.setenv("GITHUB_REPOSITORY", "team/docs")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    result = cli("docs", "--format", "markdown", "--output", "comment.md", cwd=repo)
    assert result.exit_code == 1 and result.stdout == ""
    text = (repo / "comment.md").read_text(encoding="utf-8")
    assert "](https://github.example.com/team/docs/blob/0123abc/docs/guide.md?plain=1#L" in text


def test_clean_tree(cli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    copy_fixture(repo)
    result = cli("docs", "--format", "markdown", cwd=repo)
    assert result.exit_code == 0
    assert ":white_check_mark: No problems in 3 files checked." in result.stdout
    assert "|" not in result.stdout


def test_table_cells_are_escaped(tmp_path: Path) -> None:
    message = "bad | cell <script>x</script> @octocat *not bold* with `a|b <kept>` code\nnext"
    d = Diagnostic("FM004", Severity.WARNING, "a.md", 2, 3, message)
    text = md.render(_report(tmp_path, [d]))
    [row] = [line for line in text.splitlines() if line.startswith("| :warning: |")]
    assert row == (
        "| :warning: | `docs/a.md:2:3` | `FM004` | bad \\| cell &lt;script&gt;x&lt;/script&gt; "
        "@\u200boctocat \\*not bold\\* with `a\\|b <kept>` code next |"
    )


def test_long_messages_are_cut(tmp_path: Path) -> None:
    d = Diagnostic("FM008", Severity.WARNING, "a.md", 1, 1, "word " * 200)
    row = md.render(_report(tmp_path, [d])).splitlines()[-1]
    assert len(row) < md.MAX_MESSAGE + 100 and row.endswith("… |")


def test_rows_most_severe_first_and_limit(tmp_path: Path) -> None:
    diagnostics = [Diagnostic("TOC005", Severity.NOTE, "a.md", 1, 1, "note")] + [
        Diagnostic("FM003", Severity.ERROR, "b.md", n, 1, f"error {n}") for n in range(1, 4)
    ]
    text = md.render(_report(tmp_path, diagnostics), max_rows=2)
    rows = [line for line in text.splitlines() if line.startswith("| :")]
    assert [r.split("|")[4].strip() for r in rows] == ["error 1", "error 2"]
    assert "_Showing the first 2 of 4 problems, most severe first." in text


def test_baseline_counts(tmp_path: Path) -> None:
    text = md.render(_report(tmp_path, [], baseline_known=12, baseline_fixed=3))
    assert (
        "_12 known problems hidden by the baseline; 3 baseline entries are fixed; "
        "run `--write-baseline` to prune._" in text
    )


def test_blob_base() -> None:
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "s"}
    assert md.blob_base(env) == "https://github.com/o/r/blob/s/"
    assert md.blob_base({}) is None
