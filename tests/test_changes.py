"""The change set: what git shows renamed, deleted or changed (one bounded call), or an empty
set that says why."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from nemo_docs_lint.changes import (
    ChangeSet,
    changed_docs_roots,
    folder_moves,
    map_folder,
    parse_name_status,
    read_changes,
)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for name in ("docs/conf.py", "docs/a.md", "docs/sec/x.md", "docs/sec/y.md", "README.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"# {name}\n\nSome text that git can match.\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "-m", "one")
    return root


def test_parse_name_status() -> None:
    output = "R100\0docs/a.md\0docs/b.md\0D\0docs/c.md\0M\0docs/d.md\0C75\0x\0y\0A\0new.md\0"
    assert parse_name_status(output) == (
        [("docs/a.md", "docs/b.md")],
        ["docs/c.md"],
        ["docs/d.md", "y", "new.md"],
    )
    assert parse_name_status("") == ([], [], [])
    assert parse_name_status("R100\0only-one\0") == ([], [], [])  # truncated: nothing invented


def test_folder_moves() -> None:
    renamed = [("sec/x.md", "area/sec/x.md"), ("sec/sub/y.md", "area/sec/sub/y.md")]
    assert folder_moves(renamed) == {"sec": "area/sec", "sec/sub": "area/sec/sub"}
    # files of one folder going to different places: no folder move
    assert folder_moves([("a/x.md", "b/x.md"), ("a/y.md", "c/y.md")]) == {}
    assert map_folder("sec/sub/img", {"sec": "area/sec"}) == "area/sec/sub/img"
    assert map_folder("other", {"sec": "area/sec"}) is None


@needs_git
def test_staged_and_work_tree_renames_and_deletions(repo: Path) -> None:
    _git(repo, "mv", "docs/sec", "docs/area")
    _git(repo, "rm", "-q", "docs/a.md")
    (repo / "README.md").unlink()  # outside the docs root: not part of its change set
    changes = read_changes(repo / "docs", repo)
    assert changes.renamed == (("sec/x.md", "area/x.md"), ("sec/y.md", "area/y.md"))
    assert changes.deleted == ("a.md",)
    assert changes.gone == {"a.md", "sec/x.md", "sec/y.md"}
    assert changes.notes == ("change set: 2 renamed, 1 deleted, 0 other changes",)
    [(root, below)] = changed_docs_roots(repo)[0]
    assert root == repo / "docs" and below == changes


@needs_git
def test_a_rename_out_of_the_docs_tree_is_a_deletion(repo: Path) -> None:
    _git(repo, "mv", "docs/a.md", "a.md")
    assert read_changes(repo / "docs", repo).deleted == ("a.md",)


def test_no_repository(tmp_path: Path) -> None:
    changes = read_changes(tmp_path, None, named=("a.md",))
    assert changes == ChangeSet(("a.md",)) and not changes
    assert changes.notes == ("change set: not in a git repository; renames unknown",)


@needs_git
def test_no_commit_yet_and_a_timeout_are_said(tmp_path: Path, repo: Path) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    _git(fresh, "init", "-q")
    changes = read_changes(fresh, fresh)
    assert not changes and changes.notes[0].startswith("change set: git diff failed (")
    slow = read_changes(repo / "docs", repo, timeout=1e-9)
    assert not slow and slow.notes == ("change set: git took over 1e-09 s; skipped",)


@needs_git
def test_verbose_says_what_the_change_set_holds(cli, repo: Path) -> None:
    _git(repo, "rm", "-q", "docs/a.md")
    result = cli("docs/sec/x.md", "--verbose", cwd=repo)
    assert "nemo-docs-lint: change set: 0 renamed, 1 deleted, 0 other changes" in result.stderr


@needs_git
def test_changed_names_what_git_shows_changed(cli, repo: Path) -> None:
    (repo / "docs/sec/y.md").write_text("# Y\n\n[broken](nowhere.md)\n", encoding="utf-8")
    (repo / "docs/sec/x.md").write_text("# X\n\n[also broken](nowhere.md)\n", encoding="utf-8")
    _git(repo, "add", "docs/sec/x.md")
    _git(repo, "commit", "-q", "-m", "x", "--no-verify")
    for args in (("--changed",), ("--changed", "docs")):
        result = cli(*args, "--select", "LNK001", "--no-cache", cwd=repo)
        assert result.exit_code == 1
        assert [line.split(": ")[0] for line in result.stdout.splitlines()[:-3]] == [
            "docs/sec/y.md:3:10"
        ]  # x.md's problem is committed: not part of the change
