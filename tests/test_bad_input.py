"""Hostile input: every bad file yields its diagnostic (or none), the run goes on, no traceback.

Committed files live in tests/fixtures/hostile/; what cannot or should not be committed (a 5 MB
page, symlinks, a named pipe, an unreadable file) is created in tmp_path at test time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import GOOD_PAGE, subprocess_env

from nemo_docs_lint.frontmatter import MAX_EXPANDED_NODES, parse_frontmatter
from nemo_docs_lint.frontmatter_block import head_digest, split_frontmatter

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"

# (path, code, line, column) -> a substring of the message
EXPECTED = {
    ("docs/unclosed-quote.md", "FM002", 2, 14): "a quoted scalar opened here is never closed",
    ("docs/tab-indent.md", "FM002", 4, 1): "a tab character indents this line",
    (
        "docs/duplicate-key.md",
        "FM002",
        4,
        1,
    ): "duplicate key 'description' (first defined on line 2)",
    ("docs/frontmatter-list.md", "FM002", 2, 1): "must be a mapping of keys, not a list",
    ("docs/frontmatter-scalar.md", "FM002", 2, 1): "must be a mapping of keys, not a string",
    ("docs/unclosed-block.md", "FM002", 1, 1): "never closed by a `---` line",
    ("docs/empty.md", "FM001", 1, 1): "page has no frontmatter block",
    ("docs/latin-1.md", "NDL001", 13, 4): "not valid UTF-8: byte 0xe9 at line 13, column 4",
    ("docs/nul-filled.md", "NDL001", 1, 1): "binary file (contains NUL bytes)",
    ("docs/alias-bomb.md", "FM002", 2, 1): "expands to more than 10,000 YAML nodes",
    ("docs/self-loop.md", "NDL001", 1, 1): "symlink loop",
    ("docs/ping.md", "NDL001", 1, 1): "symlink loop",
    ("docs/pong.md", "NDL001", 1, 1): "symlink loop",
    ("docs/broken-link.md", "NDL001", 1, 1): "broken symlink: target 'missing.md' does not exist",
    ("docs/named-pipe.md", "NDL001", 1, 1): "not a regular file (a named pipe)",
    ("docs/folder.md/inside.md", "FM001", 1, 1): "page has no frontmatter block",
    (
        "docs/sub/up",
        "NDL001",
        1,
        1,
    ): "symlink loop: folder `sub/up` points back to its ancestor `..`",
}
# Files that are fine: bom-crlf.md, good.md, big.md (5 MB).


def _hostile_tree(root: Path) -> Path:
    docs = root / "docs"
    shutil.copytree(HOSTILE, docs)
    paragraph = "Text with [a link](good.md), `code` and **bold**.\n\n"
    (docs / "big.md").write_text(GOOD_PAGE + paragraph * (5_000_000 // len(paragraph)))
    (docs / "self-loop.md").symlink_to("self-loop.md")
    (docs / "ping.md").symlink_to("pong.md")
    (docs / "pong.md").symlink_to("ping.md")
    (docs / "broken-link.md").symlink_to("missing.md")
    (docs / "sub").mkdir()
    (docs / "sub" / "up").symlink_to("..", target_is_directory=True)
    (docs / "folder.md").mkdir()  # a folder named like a page is a folder: walked, not read
    (docs / "folder.md" / "inside.md").write_text("# No frontmatter\n")
    os.mkfifo(docs / "named-pipe.md")  # reading it would block forever
    return docs


def _check(diagnostics: list[dict]) -> None:
    got = {(d["path"], d["code"], d["line"], d["column"]): d["message"] for d in diagnostics}
    assert set(got) == set(EXPECTED)
    for key, fragment in EXPECTED.items():
        assert fragment in got[key], (key, got[key])
    assert len(diagnostics) == len(got)


def test_hostile_tree_with_cli_runner(tmp_path: Path, cli) -> None:
    _hostile_tree(tmp_path)
    # every default rule, so that the body parser sees the hostile pages too (the 5 MB one)
    result = cli("docs", "--format", "json")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 1
    _check([d for d in result.json["diagnostics"] if d["code"].startswith(("FM", "NDL"))])


def test_hostile_tree_in_a_real_process(tmp_path: Path) -> None:
    _hostile_tree(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "nemo_docs_lint", "docs", "--select", "FM,NDL", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(),
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 1
    expected = {f"{path}:{line}:{column}: {code}" for path, code, line, column in EXPECTED}
    assert {
        line.split(" ", 3)[0] + " " + line.split(" ", 3)[2] for line in proc.stdout.splitlines()
    } == expected


def test_alias_bomb_is_refused_quickly() -> None:
    text = (HOSTILE / "alias-bomb.md").read_text()
    # Ten more levels: 9**19 nodes if expanded; refused in time linear in the text.
    lines = [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 20)]
    bigger = "---\nl0: &l0 [lol, lol]\n" + "\n".join(lines) + "\n---\n"
    for page in (text, bigger):
        start = time.perf_counter()
        frontmatter = parse_frontmatter(page)
        elapsed = time.perf_counter() - start
        assert frontmatter.error is not None
        assert f"more than {MAX_EXPANDED_NODES:,} YAML nodes" in frontmatter.error.message
        assert frontmatter.data is None
        assert elapsed < 2.0  # in practice ~1 ms; timing proper belongs in benchmarks/


def test_bom_and_crlf_page_is_fine(tmp_path: Path, cli) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(HOSTILE / "bom-crlf.md", docs)
    (docs / "cr-only.md").write_bytes(GOOD_PAGE.replace("\n", "\r").encode())
    result = cli("docs", "--select", "FM,NDL", "--format", "json")
    assert result.json["diagnostics"] == []
    assert result.exit_code == 0
    # positions still refer to the original lines
    (docs / "bom-crlf.md").write_bytes(
        b"\xef\xbb\xbf" + GOOD_PAGE.replace("training", "dancing", 1).replace("\n", "\r\n").encode()
    )
    (docs / "cr-only.md").write_bytes(
        GOOD_PAGE.replace('"tutorial"', "guide").replace("\n", "\r").encode()
    )
    result = cli("docs", "--select", "FM,NDL", "--format", "json")
    assert result.positions() == {("docs/cr-only.md", "FM004", 7, 15)}


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_file_that_fails_to_read(tmp_path: Path, cli) -> None:
    """Works as root too: /proc/self/mem stats as a regular file but reading offset 0 fails."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text(GOOD_PAGE)
    (docs / "device.md").symlink_to("/proc/self/mem")
    result = cli("docs", "--select", "FM,NDL", "--format", "json")
    assert result.positions() == {("docs/device.md", "NDL001", 1, 1)}
    assert "cannot read file: Input/output error" in result.json["diagnostics"][0]["message"]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads chmod-000 files; test_file_that_fails_to_read covers the read error as root",
)
def test_unreadable_file(tmp_path: Path, cli) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text(GOOD_PAGE)
    secret = docs / "secret.md"
    secret.write_text(GOOD_PAGE)
    secret.chmod(0)
    try:
        result = cli("docs", "--select", "FM,NDL", "--format", "json")
    finally:
        secret.chmod(0o644)
    assert result.positions() == {("docs/secret.md", "NDL001", 1, 1)}
    assert "permission denied" in result.json["diagnostics"][0]["message"]


def test_every_range_lies_within_its_line(tmp_path: Path, cli) -> None:
    """Over every diagnostic of every rule on the hostile tree (plus an empty first line and a
    whitespace-only one): 1 <= line <= end_line <= lines of the file, and each column within
    its line (end columns exclusive, so at most the line's length + 1)."""
    docs = _hostile_tree(tmp_path)
    (docs / "blank-first.md").write_text("\n# Title\n\n[x](nowhere.md)\n")
    (docs / "spaces-first.md").write_text("   \n# Spaces\n")
    (docs / "index.rst").write_text("")
    (docs / "index.md").write_text("")
    result = cli("docs", "--select", "ALL", "--ignore", "EXT", "--format", "json")
    assert "Traceback" not in result.stdout + result.stderr
    checked = 0
    for d in result.json["diagnostics"]:
        path = tmp_path / d["path"]
        assert 1 <= d["line"] <= d["end_line"], d
        if not path.is_file() or d["code"] == "NDL001":
            continue
        lines = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
        lines = lines.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert d["end_line"] <= len(lines), d
        assert 1 <= d["column"] <= len(lines[d["line"] - 1]) + 1, d
        assert 1 <= d["end_column"] <= len(lines[d["end_line"] - 1]) + 1, d
        if d["line"] == d["end_line"]:
            assert d["column"] <= d["end_column"], d
        checked += 1
    assert checked >= 25


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\n---\n# T\n", ("", 2)),  # an empty block
        ("---\na: 1\nb: 2\n--- \t\n# T\n", ("a: 1\nb: 2", 4)),  # blanks after the closing run
        ("--- \na: 1\n---", ("a: 1", 3)),  # the closing line is the last, without a newline
        ("---\na: 1\n ---\n----\n---\n", ("a: 1\n ---\n----", 5)),  # only `---` closes
        ("# T\n---\n", (None, 0)),  # no block: the first line is not `---`
        ("--- x\na: 1\n---\n", (None, 0)),
        ("", (None, 0)),
    ],
)
def test_split_frontmatter(text: str, expected: tuple[str | None, int]) -> None:
    assert split_frontmatter(text) == expected


@pytest.mark.parametrize("text", ["---", "--- \n", "---\na: 1\n", "---\na: 1\n--\n ---"])
def test_split_frontmatter_unclosed(text: str) -> None:
    with pytest.raises(ValueError, match="never closed by a `---` line"):
        split_frontmatter(text)


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("---\na: 1\n---\n# T\n", "---\na: 1\n---\n# Other\n\nmore\n", True),  # the body
        ("---\na: 1\n---", "---\na: 1\n---\n# T\n", True),  # a body after the last line
        ("---\na: 1\n---\n", "---\na: 2\n---\n", False),  # the block
        ("---\na: 1\n---\n", "---\na: 1\n--- \n", False),  # its closing line
        ("--- \na: 1\n---\n", "---\na: 1\n---\n", False),  # its opening line
        ("---\na: 1\n", "---\na: 1\nb\n", False),  # never closed: the whole text counts
    ],
)
def test_head_digest_covers_what_the_frontmatter_is_made_of(
    before: str, after: str, same: bool
) -> None:
    assert (head_digest(before) == head_digest(after)) is same
    assert len(head_digest(before)) == 16


def test_a_page_without_a_block_has_no_head() -> None:
    assert head_digest("# T\n---\na: 1\n---\n") == head_digest("") == b""
