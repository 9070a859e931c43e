"""Pre-commit mode: named files are linted against the whole tree's index.

`nemo-docs-lint docs/a.md` (what pre-commit passes) indexes every page of the docs tree, so that
problems only the tree can show (a broken link into a.md, a.md no longer in any toctree) are
found; it reports the diagnostics located in the named files and those elsewhere *about* them
(a reference whose target is a named file). Renames and deletions: tests/test_follow_change.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

INDEX = """# Home

```{toctree}
guide/a
guide/b
guide/c
```
"""
A = """# A

## Section

[gone](gone.md)
"""
B = """# B

[section of a](a.md#sectoin) and [c](c.md) and {doc}`c`
"""
C = "# C\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    files = {
        "conf.py": "myst_heading_anchors = 2\n",
        "index.md": INDEX,
        "guide/a.md": A,
        "guide/b.md": B,
        "guide/c.md": C,
    }
    for name, text in files.items():
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    return tmp_path / "docs"


def _found(cli: Callable, *paths: str) -> list[tuple[str, str, int, int, str]]:
    result = cli(*paths, "--select", "LNK,TOC", "--no-cache", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return [
        (d["path"], d["code"], d["line"], d["column"], d["message"])
        for d in result.json["diagnostics"]
    ]


A_GONE = ("docs/guide/a.md", "LNK001", 5, 8, "link target `gone.md` does not exist")
B_ANCHOR = (
    "docs/guide/b.md",
    "LNK002",
    3,
    16,
    "`a.md#sectoin`: `guide/a.md` has no heading anchor `#sectoin`; did you mean `section`?",
)


def test_the_named_file_and_what_is_about_it_are_reported(docs: Path, cli: Callable) -> None:
    # b.md's broken anchor into a.md is about a.md; nothing else of b.md is
    assert _found(cli, "docs/guide/a.md") == [A_GONE, B_ANCHOR]
    assert _found(cli, "docs/guide/c.md") == []


def test_a_broken_link_into_a_file_is_reported_with_the_linking_file(
    docs: Path, cli: Callable
) -> None:
    assert _found(cli, "docs/guide/b.md") == [B_ANCHOR]
    assert _found(cli, "docs/guide/a.md", "docs/guide/b.md") == [A_GONE, B_ANCHOR]
    assert _found(cli, "docs") == [A_GONE, B_ANCHOR]


def test_a_named_file_that_became_an_orphan(docs: Path, cli: Callable) -> None:
    (docs / "index.md").write_text(INDEX.replace("guide/a\n", ""), encoding="utf-8")
    orphan = ("docs/guide/a.md", "TOC002", 1, 1, "`guide/a.md` is not included in any toctree")
    assert _found(cli, "docs/guide/a.md") == [orphan, A_GONE, B_ANCHOR]
    assert _found(cli, "docs/guide/b.md") == [B_ANCHOR]  # a.md's problems stay with a.md


def test_deleting_a_linked_page_is_found_through_the_linking_pages(
    docs: Path, cli: Callable
) -> None:
    (docs / "guide" / "c.md").unlink()
    assert _found(cli, "docs/guide/b.md") == [
        B_ANCHOR,
        ("docs/guide/b.md", "LNK001", 3, 38, "link target `c.md` does not exist"),
        ("docs/guide/b.md", "LNK001", 3, 54, "document `c` does not exist"),
    ]
    assert _found(cli, "docs/index.md") == [
        (
            "docs/index.md",
            "TOC001",
            6,
            1,
            "toctree entry `guide/c` names no document (looked for `guide/c`)",
        )
    ]
    assert _found(cli, "docs/guide/a.md") == [A_GONE, B_ANCHOR]


def test_a_named_file_in_a_subfolder_still_indexes_from_the_conf_py_root(
    docs: Path, cli: Callable
) -> None:
    # run from inside the docs folder, naming a relative path as pre-commit would from there
    result = cli("guide/b.md", "--select", "LNK,TOC", "--no-cache", "--format", "json", cwd=docs)
    assert result.positions() == {("guide/b.md", "LNK002", 3, 16)}


def test_files_outside_the_docs_tree_do_not_move_the_root(docs: Path, cli: Callable) -> None:
    """pre-commit passes a repository's top-level README.md beside the docs pages."""
    readme = docs.parent / "README.md"
    readme.write_text("# Project\n\n[broken](nowhere.md)\n", encoding="utf-8")
    assert _found(cli, "README.md", "docs/guide/a.md") == [A_GONE, B_ANCHOR]


def test_files_of_two_docs_trees_are_a_usage_error(docs: Path, cli: Callable) -> None:
    other = docs.parent / "other-docs"
    other.mkdir()
    (other / "conf.py").write_text("", encoding="utf-8")
    (other / "x.md").write_text("# X\n", encoding="utf-8")
    result = cli("docs/guide/a.md", "other-docs/x.md")
    assert result.exit_code == 2
    assert "belong to different docs trees" in result.stderr
