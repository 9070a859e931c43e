"""What the summaries say: what was checked, what was reported, and plurals that agree."""

from __future__ import annotations

from pathlib import Path

from helpers import GOOD_PAGE, write_tree

BAD = GOOD_PAGE.replace('"tutorial"', "guide")  # FM004 at 7:15
WARN = GOOD_PAGE.replace("---\n\n#", "owner: me\n---\n\n#")  # FM007 at 9:1, a warning


def _tree(tmp_path: Path) -> Path:
    files = {"conf.py": "", "index.md": GOOD_PAGE, "a.md": GOOD_PAGE, "b.md": BAD, "c.md": WARN}
    return write_tree(tmp_path / "docs", files)


def test_clean_run_names_the_files_checked_not_the_tree(tmp_path: Path, cli) -> None:
    _tree(tmp_path)
    one = cli("docs/a.md", "--select", "FM")
    assert one.exit_code == 0
    assert one.stdout == "All checks passed: 1 file checked (4 in the docs tree).\n"
    two = cli("docs/a.md", "docs/index.md", "--select", "FM")
    assert two.stdout == "All checks passed: 2 files checked (4 in the docs tree).\n"
    tree = cli("docs", "--select", "FM009")
    assert tree.stdout.endswith("All checks passed: 4 files checked.\n")


def test_found_line_says_where_the_problems_are_and_what_was_checked(tmp_path: Path, cli) -> None:
    _tree(tmp_path)
    run = cli("docs", "--select", "FM")
    assert run.stdout.splitlines()[-1] == (
        "Found 2 problems (1 error, 1 warning) in 2 files; 4 files checked."
    )
    one = cli("docs/b.md", "--select", "FM")
    assert one.stdout.splitlines()[-1] == (
        "Found 1 problem (1 error) in 1 file; 1 file checked (4 in the docs tree)."
    )


def test_one_baseline_entry_is_singular(tmp_path: Path, cli) -> None:
    _tree(tmp_path)
    run = cli("docs", "--select", "FM004", "--write-baseline", "base.json")
    assert run.exit_code == 0
    assert run.stderr == "nemo-docs-lint: wrote 1 baseline entry to base.json\n"


def test_one_group_is_singular(tmp_path: Path, cli) -> None:
    _tree(tmp_path)
    (tmp_path / "groups.toml").write_text('[[group]]\nname = "All"\nfiles = ["b.md"]\n')
    run = cli("dashboard", "docs", "--groups", "groups.toml", "-o", "site", "--no-cache")
    assert run.exit_code == 0, run.stderr
    first = run.stderr.splitlines()[0]
    assert first.endswith(": 1 group, 4 files, 5 problems"), first
    html = (tmp_path / "site" / "index.html").read_text()
    assert "5 problems (1 error, 4 warnings, 0 notes)" in html
    assert " · 1 review group</p>" in html


def test_github_log_group_is_singular_for_one_problem(tmp_path: Path, cli) -> None:
    _tree(tmp_path)
    run = cli("docs/b.md", "--select", "FM", "--format", "github")
    assert "::group::nemo-docs-lint: 1 problem\n" in run.stdout
