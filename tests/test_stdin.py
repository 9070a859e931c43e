"""`--stdin-filename PATH`: lint standard input as if it were that file of the tree (editors and
formatters pipe unsaved buffers this way), end to end in a real process."""

from __future__ import annotations

import subprocess
from pathlib import Path

from helpers import GOOD_PAGE, run_process, write_tree


def _run(cwd: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_process(cwd, *args, stdin=stdin)


def _tree(tmp_path: Path) -> Path:
    files = {
        "conf.py": "myst_heading_anchors = 2\n",
        "index.md": GOOD_PAGE + "\n```{toctree}\nguide\nother\n```\n",
        "guide.md": GOOD_PAGE,
        "other.md": GOOD_PAGE + "\n(details)=\n## Details\n",
    }
    return write_tree(tmp_path / "docs", files)


def test_stdin_text_is_linted_in_place_of_the_file(tmp_path: Path) -> None:
    docs = _tree(tmp_path)
    buffer = GOOD_PAGE + "\n[ok](other.md#details) [label](details)\n\n[gone](missing.md)\n"
    run = _run(tmp_path, buffer, "--stdin-filename", "docs/guide.md", "--no-cache")
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[0] == (
        "docs/guide.md:17:8: error LNK001 link target `missing.md` does not exist"
    )
    assert "Found 1 problem (1 error) in 1 file; 1 file checked (3 in the docs tree)." in run.stdout
    assert (docs / "guide.md").read_text() == GOOD_PAGE  # the file on disk is not touched


def test_stdin_buffer_that_breaks_nothing_passes_and_the_disk_version_is_ignored(
    tmp_path: Path,
) -> None:
    docs = _tree(tmp_path)
    (docs / "guide.md").write_text("# no frontmatter on disk\n")
    run = _run(tmp_path, GOOD_PAGE, "--stdin-filename", "docs/guide.md", "--no-cache")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == "All checks passed: 1 file checked (3 in the docs tree).\n"


def test_other_pages_see_the_stdin_text(tmp_path: Path) -> None:
    """Anchors and labels of the buffer are what the rest of the tree resolves against."""
    docs = _tree(tmp_path)
    (docs / "index.md").write_text(
        GOOD_PAGE + "\n[new](guide.md#fresh-section)\n\n```{toctree}\nguide\nother\n```\n"
    )
    buffer = GOOD_PAGE + "\n## Fresh section\n"
    run = _run(tmp_path, buffer, "--stdin-filename", "docs/guide.md", "docs/index.md")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 files checked" in run.stdout


def test_stdin_filename_usage_errors(tmp_path: Path) -> None:
    _tree(tmp_path)
    outside = _run(tmp_path, GOOD_PAGE, "--stdin-filename", "elsewhere/page.md")
    assert outside.returncode == 2
    assert "--stdin-filename elsewhere/page.md: not a file in a folder" in outside.stderr
    fix = _run(tmp_path, GOOD_PAGE, "--stdin-filename", "docs/guide.md", "--fix")
    assert fix.returncode == 2 and "--fix cannot rewrite standard input" in fix.stderr


def test_a_new_page_not_yet_saved(tmp_path: Path) -> None:
    """An editor's buffer for a page that does not exist on disk yet is a page of the tree."""
    docs = _tree(tmp_path)
    buffer = GOOD_PAGE + "\n[back](guide.md) [gone](missing.md)\n"
    run = _run(tmp_path, buffer, "--stdin-filename", "docs/new.md", "--no-cache")
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert "docs/new.md:15:25: error LNK001 link target `missing.md` does not exist" in lines
    assert any(line.startswith("docs/new.md:1:1: warning TOC002") for line in lines), lines
    assert not (docs / "new.md").exists()


def test_a_buffer_never_enters_the_snapshot(tmp_path: Path) -> None:
    """With a warm snapshot, the piped text wins over the disk; the next run without it sees
    the disk again (the buffer was not recorded as the file's text)."""
    import os

    docs = _tree(tmp_path)
    for path in docs.glob("*.md"):  # old files: the snapshot trusts their stat
        os.utime(path, ns=(1_500_000_000 * 10**9,) * 2)
    assert _run(tmp_path, "", "docs").returncode == 0
    buffer = GOOD_PAGE + "\n[gone](missing.md)\n"
    run = _run(tmp_path, buffer, "--stdin-filename", "docs/guide.md")
    assert run.returncode == 1 and "missing.md" in run.stdout, run.stdout + run.stderr
    run = _run(tmp_path, "", "docs/guide.md")
    assert run.returncode == 0, run.stdout + run.stderr
