"""`--fix`: rewrites exactly the target text of single-candidate LNK001 problems, nothing else.

Every test compares the whole file's bytes before and after: only the target changed, with the
file's BOM and CRLF line endings kept; the write is atomic and never touches a changed file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.fix import apply_fixes

PAGE = (
    "\ufeff---\r\norphan: true\r\n---\r\n\r\n# Page\r\n\r\n"
    "See [cluster.md](cluster.md) and [again](cluster.md#setup).\r\n"
    "{doc}`cluster` [abs](/cluster)\r\n"
    "Unchanged: `[code](cluster.md)` and [gone](missing.md).\r\n"
)
FIXED = (
    "\ufeff---\r\norphan: true\r\n---\r\n\r\n# Page\r\n\r\n"
    "See [cluster.md](../../get-started/cluster.md) and"
    " [again](../../get-started/cluster.md#setup).\r\n"
    "{doc}`../../get-started/cluster` [abs](/get-started/cluster)\r\n"
    "Unchanged: `[code](cluster.md)` and [gone](missing.md).\r\n"
)
PAGE_PATH = "guide/deep/page.md"


def _write(docs: Path, page: str = PAGE) -> Path:
    files = {
        "conf.py": "myst_heading_anchors = 2\n",
        "index.md": "# Home\n",
        "get-started/cluster.md": "# Cluster\n\n## Setup\n",
    }
    for name, text in files.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    path = docs / PAGE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page.encode("utf-8"))
    return path


def _listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_fix_rewrites_only_the_targets_and_keeps_bom_and_crlf(tmp_path: Path, cli) -> None:
    docs = tmp_path / "docs"
    page = _write(docs)
    result = cli("docs", "--select", "LNK", "--fix", "--no-cache", "--format", "json")

    assert page.read_bytes() == FIXED.encode("utf-8")
    assert result.stderr.splitlines() == [
        "nemo-docs-lint: fixed docs/guide/deep/page.md:7:18 LNK001: "
        "`cluster.md` -> `../../get-started/cluster.md`",
        "nemo-docs-lint: fixed docs/guide/deep/page.md:7:42 LNK001: "
        "`cluster.md#setup` -> `../../get-started/cluster.md#setup`",
        "nemo-docs-lint: fixed docs/guide/deep/page.md:8:7 LNK001: "
        "`cluster` -> `../../get-started/cluster`",
        "nemo-docs-lint: fixed docs/guide/deep/page.md:8:22 LNK001: "
        "`/cluster` -> `/get-started/cluster`",
        "nemo-docs-lint: fixed 4 problems in 1 file",
    ]
    # what remains is reported, and makes the run fail
    assert result.positions() == {(f"docs/{PAGE_PATH}", "LNK001", 9, 44)}
    assert result.exit_code == 1
    # the fixed tree lints clean of what was fixed; nothing but the page changed
    again = cli("docs", "--select", "LNK", "--no-cache", "--format", "json")
    assert again.positions() == {(f"docs/{PAGE_PATH}", "LNK001", 9, 44)}


def test_fix_exits_0_when_nothing_remains(tmp_path: Path, cli) -> None:
    docs = tmp_path / "docs"
    page = _write(docs, PAGE.replace(" and [gone](missing.md)", ""))
    before = _listing(tmp_path)
    result = cli("docs", "--select", "LNK", "--fix", "--no-cache", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert result.json["diagnostics"] == []
    assert page.read_bytes() == FIXED.replace(" and [gone](missing.md)", "").encode("utf-8")
    assert _listing(tmp_path) == before  # the atomic write left no temporary file behind


def test_fix_without_candidates_changes_nothing(tmp_path: Path, cli) -> None:
    docs = tmp_path / "docs"
    page = _write(docs, "# Page\n\n[gone](missing.md)\n")
    result = cli("docs", "--select", "LNK", "--fix", "--no-cache")
    assert page.read_bytes() == b"# Page\n\n[gone](missing.md)\n"
    assert "fixed" not in result.stderr
    assert result.exit_code == 1


def _lint(docs: Path):
    return lint(LintRequest(paths=(docs,), select=("LNK",), use_cache=False), cwd=docs.parent)


def test_a_file_changed_since_reading_is_not_touched(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    page = _write(docs)
    result = _lint(docs)
    read = {p.path: p.text for p in result.index.pages.values()}
    # an edit elsewhere in the file: every target still reads the same at its position
    edited = PAGE.replace("# Page", "# Paged").encode("utf-8")
    page.write_bytes(edited)
    report = apply_fixes(docs, result.diagnostics, read)
    assert report.fixed == () and report.files == ()
    assert page.read_bytes() == edited


def test_an_edit_whose_target_moved_is_skipped(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    page = _write(docs)
    result = _lint(docs)
    edited = PAGE.replace("See [", "See: [").encode("utf-8")
    page.write_bytes(edited)
    report = apply_fixes(docs, result.diagnostics)  # without the texts as read
    assert sorted((d.line, d.column) for d in report.fixed) == [(8, 7), (8, 22)]
    assert page.read_bytes() == edited.replace(
        b"`cluster`", b"`../../get-started/cluster`"
    ).replace(b"(/cluster)", b"(/get-started/cluster)")


def test_a_failed_write_leaves_the_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    page = _write(docs)
    result = _lint(docs)
    before = _listing(tmp_path)

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    report = apply_fixes(docs, result.diagnostics)
    assert (report.fixed, report.failed) == ((), ((PAGE_PATH, "disk full"),))
    assert page.read_bytes() == PAGE.encode("utf-8")
    assert _listing(tmp_path) == before


def test_fix_keeps_the_file_mode(tmp_path: Path, cli) -> None:
    docs = tmp_path / "docs"
    page = _write(docs)
    page.chmod(0o640)
    cli("docs", "--select", "LNK", "--fix", "--no-cache")
    assert page.stat().st_mode & 0o777 == 0o640


def test_fix_report_names_files_as_the_diagnostics_do(tmp_path: Path, cli) -> None:
    """Relative to the current folder, like every diagnostic (not to the docs root)."""
    docs = tmp_path / "docs"
    _write(docs)
    inside = cli(".", "--select", "LNK", "--fix", "--no-cache", cwd=docs / "guide")
    fixed = [line for line in inside.stderr.splitlines() if ":7:18 " in line]
    assert fixed == [
        "nemo-docs-lint: fixed deep/page.md:7:18 LNK001: "
        "`cluster.md` -> `../../get-started/cluster.md`"
    ]
    assert "deep/page.md:9:44: error LNK001" in inside.stdout


def test_fix_never_retargets_a_label_like_link_to_a_page(tmp_path: Path, cli) -> None:
    """`[x](guide/setpu)`, a typo of the label `guide/setup`, stays although a file `setpu.md`
    exists; `[x](guide/setup)` resolves although `setup.md` exists; `page.html` gets `.md`."""
    docs = tmp_path / "docs"
    page = _write(
        docs,
        "(guide/setup)=\n# Page\n\n[label](guide/setup) [typo](guide/setpu) "
        "[built](../../get-started/cluster.html)\n",
    )
    for name in ("setup.md", "other/setpu.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("# A page named like the last part of a label\n")
    result = cli("docs", "--select", "LNK", "--fix", "--no-cache", "--format", "json")
    assert page.read_text() == (
        "(guide/setup)=\n# Page\n\n[label](guide/setup) [typo](guide/setpu) "
        "[built](../../get-started/cluster.md)\n"
    )
    assert result.positions() == {(f"docs/{PAGE_PATH}", "LNK001", 4, 29)}
