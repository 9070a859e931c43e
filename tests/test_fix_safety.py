"""`--fix` never loses what the user made of a file: symlinks, hard links, owner, mode, other
bytes; a page reached through a folder symlink is fixed once, and a second `--fix` changes
nothing. Real files, real symlinks, real hard links, real permissions."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_fix import FIXED, PAGE, PAGE_PATH, _write

from nemo_docs_lint.fileio import Edit, apply_edits, write_atomic

FIX = ("docs", "--select", "LNK", "--fix", "--no-cache")


def _repo(tmp_path: Path) -> Path:
    """tmp_path/repo, a repository (a `.git` folder) with the docs tree of test_fix in docs/."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    _write(repo / "docs")
    return repo


def test_a_symlinked_page_stays_a_symlink_and_its_target_is_fixed(tmp_path: Path, cli) -> None:
    repo = _repo(tmp_path)
    page = repo / "docs" / PAGE_PATH
    real = repo / "shared" / "page.md"
    real.parent.mkdir()
    shutil.move(page, real)
    page.symlink_to(os.path.relpath(real, page.parent))
    result = cli(*FIX, cwd=repo)
    assert result.exit_code == 1  # [gone](missing.md) remains
    assert page.is_symlink() and page.resolve() == real
    assert real.read_bytes() == FIXED.encode("utf-8")


def test_a_symlinked_page_whose_file_is_outside_the_repository_is_not_written(
    tmp_path: Path, cli
) -> None:
    repo = _repo(tmp_path)
    page = repo / "docs" / PAGE_PATH
    outside = tmp_path / "elsewhere.md"
    shutil.move(page, outside)
    page.symlink_to(outside)
    result = cli(*FIX, cwd=repo)
    assert result.exit_code == 2
    assert f"nemo-docs-lint: error: cannot fix {PAGE_PATH}: the real file {outside} is outside" in (
        result.stderr
    )
    assert outside.read_bytes() == PAGE.encode("utf-8") and page.is_symlink()


def test_hard_links_stay_linked(tmp_path: Path, cli) -> None:
    repo = _repo(tmp_path)
    page = repo / "docs" / PAGE_PATH
    twin = repo / "twin.md"
    os.link(page, twin)
    inode = page.stat().st_ino
    cli(*FIX, cwd=repo)
    assert page.stat().st_ino == inode and page.stat().st_nlink == 2
    assert twin.read_bytes() == FIXED.encode("utf-8")
    assert sorted(p.name for p in page.parent.iterdir()) == ["page.md"]  # no backup left


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_the_owner_and_mode_are_kept(tmp_path: Path, cli) -> None:
    repo = _repo(tmp_path)
    page = repo / "docs" / PAGE_PATH
    os.chown(page, 1234, 5678)
    page.chmod(0o604)
    cli(*FIX, cwd=repo)
    info = page.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (1234, 5678, 0o604)
    assert page.read_bytes() == FIXED.encode("utf-8")


def test_a_page_behind_a_folder_symlink_is_fixed_once_and_stays_fixed(tmp_path: Path, cli) -> None:
    repo = _repo(tmp_path)
    docs = repo / "docs"
    (docs / "alias").symlink_to("guide/deep", target_is_directory=True)  # one folder up
    cli(*FIX, cwd=repo)
    page = docs / PAGE_PATH
    assert page.read_bytes() == FIXED.encode("utf-8")  # relative to guide/deep, its own folder
    cli(*FIX, cwd=repo)
    assert page.read_bytes() == FIXED.encode("utf-8")  # a second --fix changes nothing


def test_a_page_reached_only_through_a_folder_symlink_is_fixed_relative_to_it(
    tmp_path: Path, cli
) -> None:
    repo = _repo(tmp_path)
    docs = repo / "docs"
    (repo / "external").mkdir()
    real = repo / "external" / "page.md"
    shutil.move(docs / PAGE_PATH, real)
    (docs / "ext").symlink_to("../external", target_is_directory=True)
    cli(*FIX, cwd=repo)
    expected = FIXED.replace("../../get-started", "../get-started").encode("utf-8")
    assert real.read_bytes() == expected  # `ext/page.md` is the document: links resolve from ext
    cli(*FIX, cwd=repo)
    assert real.read_bytes() == expected


def _freeze(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)


def _thaw(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o755)


@pytest.mark.skipif(
    os.geteuid() == 0 and shutil.which("chattr") is None, reason="root needs chattr for this"
)
def test_fix_on_a_read_only_tree_is_an_error_naming_the_file(tmp_path: Path, cli) -> None:
    repo = _repo(tmp_path)
    page = repo / "docs" / PAGE_PATH
    _freeze(page.parent)
    try:
        frozen = subprocess.run(["touch", str(page.parent / "x")], capture_output=True)
        if frozen.returncode == 0:
            pytest.skip("this file system ignores chattr +i")
        result = cli(*FIX, "--format", "json", cwd=repo)
    finally:
        _thaw(page.parent)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"nemo-docs-lint: error: cannot fix {PAGE_PATH}: ")
    assert len(result.json["diagnostics"]) == 5  # every problem is still reported
    assert page.read_bytes() == PAGE.encode("utf-8")


def test_apply_edits_changes_only_the_edited_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    raw = "\ufeffa\r\nb [x](y.md) c\rd é\n".encode()
    path.write_bytes(raw)
    text = "a\nb [x](y.md) c\nd é\n"
    edits = [
        Edit(2, 7, 2, 11, "y.md", "z/y.md"),
        Edit(3, 3, 3, 4, "é", "e"),
        Edit(1, 1, 1, 2, "q", ""),
    ]
    assert apply_edits(path, text, edits) == [0, 1]
    assert path.read_bytes() == "\ufeffa\r\nb [x](z/y.md) c\rd e\n".encode()
    # the file changed since `text` was read: nothing is applied
    assert apply_edits(path, text, edits) == []


def test_write_atomic_replaces_a_regular_file_and_refuses_a_fifo(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    write_atomic(path, "one")
    write_atomic(path, b"two")
    assert path.read_bytes() == b"two"
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(tmp_path / "pipe", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "pipe"]


def test_text_written_in_pieces_is_written_whole_and_atomically(tmp_path: Path) -> None:
    """`write_atomic` with an iterable of pieces (a large report): the same bytes as the whole
    text, hard links kept; a piece that fails leaves the old file as it was."""
    target, link = tmp_path / "report.json", tmp_path / "linked.json"
    write_atomic(target, iter(["é", "\n", "b"]))
    assert target.read_bytes() == "é\nb".encode()
    os.link(target, link)
    write_atomic(target, iter(["new ", "text"]))
    assert link.read_bytes() == b"new text" and os.path.samefile(target, link)

    def failing() -> Iterator[str]:
        yield "half"
        raise OSError("disk full")

    os.unlink(link)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, failing())
    assert target.read_bytes() == b"new text"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
