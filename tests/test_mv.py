"""`nemo-docs-lint mv`: every reference form rewritten in the author's style; --dry-run, --diff,
--map formats, --redirects files, and the moves it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nemo_docs_lint.redirects import load

FILES = {
    "conf.py": "",
    "index.md": """# Home

```{toctree}
:glob:
Guides <guides/index>
guides/algos/*
```

[page](guides/My%20Page.md) [ext](guides/sft) [dot](./guides/sft.md#top) \
<a href="guides/sft.html">html</a>
""",
    "guides/index.md": """# Guides

```{toctree}
:glob:
*
```

```{include} snippet.txt
```

```{literalinclude} ../../examples/run.py
```

~~~
```{include} not-a-directive.txt
```
~~~
""",
    "guides/snippet.txt": "Included.\n",
    "guides/sft.md": "# SFT\n\n## Top\n",
    "guides/My Page.md": "# Mine\n",
    "guides/algos/dpo.md": "# DPO\n\nBack to [SFT](../sft.md).\n",
    "guides/algos/grpo.md": "# GRPO\n",
}


@pytest.fixture
def docs(tree, tmp_path: Path) -> Path:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "run.py").write_text("print()\n", encoding="utf-8")
    return tree(FILES)


def _files(docs: Path) -> dict[Path, bytes]:
    """Every file's bytes, the parse cache aside."""
    return {
        p: p.read_bytes()
        for p in docs.rglob("*")
        if p.is_file() and ".nemo-docs-lint-cache" not in p.parts
    }


def _read(docs: Path, name: str) -> str:
    return (docs / name).read_text(encoding="utf-8")


def test_a_section_index_moves_deeper(cli, docs: Path) -> None:
    result = cli("mv", "docs/guides/index.md", "docs/learn/guides/index.md")
    assert result.exit_code == 0, result.stderr
    assert "1 file moved, 4 references rewritten in 2 files" in result.stderr
    assert "Guides <learn/guides/index>\n" in _read(docs, "index.md")
    moved = _read(docs, "learn/guides/index.md")
    # the glob no longer matches the pages it listed: they are listed after it, explicitly
    assert "```{toctree}\n:glob:\n*\n../../guides/My Page\n../../guides/sft\n```" in moved
    assert "```{include} ../../guides/snippet.txt\n" in moved
    assert "```{literalinclude} ../../../examples/run.py\n" in moved
    assert "```{include} not-a-directive.txt\n" in moved  # inside a code block: left alone


def test_a_page_keeps_each_links_style(cli, docs: Path) -> None:
    assert cli("mv", "docs/guides/sft.md", "docs/train/sft.md").exit_code == 0
    assert '[ext](train/sft) [dot](./train/sft.md#top) <a href="train/sft.html">html</a>' in _read(
        docs, "index.md"
    )
    assert "Back to [SFT](../../train/sft.md)." in _read(docs, "guides/algos/dpo.md")


def test_an_encoded_path_stays_encoded(cli, docs: Path) -> None:
    assert cli("mv", "docs/guides/My Page.md", "docs/guides/Our Page.md").exit_code == 0
    assert "[page](guides/Our%20Page.md)" in _read(docs, "index.md")


def test_a_folder_under_a_glob_moves_with_its_pattern(cli, docs: Path) -> None:
    assert cli("mv", "docs/guides/algos", "docs/guides/algorithms").exit_code == 0
    assert "guides/algorithms/*\n" in _read(docs, "index.md")
    assert not (docs / "guides" / "algos").exists()


def test_dry_run_and_diff_change_nothing(cli, docs: Path) -> None:
    before = _files(docs)
    dry = cli("mv", "docs/guides/sft.md", "docs/train/sft.md", "--dry-run")
    assert dry.exit_code == 0
    assert dry.stdout.splitlines()[0] == "guides/sft.md -> train/sft.md"
    assert "  index.md:9:35: `guides/sft` -> `train/sft`" in dry.stdout
    diff = cli("mv", "docs/guides/sft.md", "docs/train/sft.md", "--diff")
    assert "diff --git a/guides/sft.md b/train/sft.md\nrename from guides/sft.md\n" in diff.stdout
    assert "-[page](guides/My%20Page.md) [ext](guides/sft)" in diff.stdout
    assert _files(docs) == before


@pytest.mark.parametrize("suffix", [".csv", ".toml"])
def test_map_files(cli, docs: Path, tmp_path: Path, suffix: str) -> None:
    table = tmp_path / f"moves{suffix}"
    if suffix == ".csv":
        table.write_text("old,new\ndocs/guides/sft.md,docs/train/sft.md\n", encoding="utf-8")
    else:
        table.write_text('"docs/guides/sft.md" = "docs/train/sft.md"\n', encoding="utf-8")
    assert cli("mv", "--map", str(table)).exit_code == 0
    assert (docs / "train" / "sft.md").is_file()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("redirects.json", {"guides/sft": "../train/sft.html", "old": "train/sft.html"}),
        ("redirects.py", {"guides/sft": "../train/sft.html", "old": "train/sft.html"}),
        ("redirects.txt", {"guides/sft": "train/sft", "old": "train/sft"}),
    ],
)
def test_redirects_are_recorded_and_chains_followed(cli, docs: Path, name: str, expected) -> None:
    path = docs / name
    if name.endswith(".txt"):
        path.write_text("# old pages\nold guides/sft\n", encoding="utf-8")
    elif name.endswith(".json"):
        path.write_text(json.dumps({"old": "guides/sft.html"}), encoding="utf-8")
    else:
        path.write_text("{'old': 'guides/sft.html'}\n", encoding="utf-8")
    result = cli("mv", "docs/guides/sft.md", "docs/train/sft.md", "--redirects", str(path))
    assert result.exit_code == 0, result.stderr
    assert f"1 redirects added to {path}" in result.stderr
    assert load(path) == expected
    (docs / "conf.py").write_text(
        f"rediraffe_redirects = {name!r}\n"
        if name.endswith(".txt")
        else f"redirects = {load(path)!r}\n",
        encoding="utf-8",
    )
    lint = cli("docs", "--select", "LNK001,LNK007,LNK008", "--no-cache")
    assert lint.exit_code == 0, lint.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("docs/nope.md", "docs/x.md"), "docs/nope.md: no such file or folder"),
        (("docs/guides/sft.md", "docs/guides/algos/dpo.md"), "guides/algos/dpo.md exists already"),
        (("docs/guides", "docs/guides/inner"), "cannot move a folder into itself"),
        (("docs/guides/sft.md", "elsewhere/sft.md"), "the target is outside the docs tree"),
        (("docs/guides/sft.md",), "give exactly two paths"),
        ((), "nothing to move"),
    ],
)
def test_refused_moves_change_nothing(cli, docs: Path, args, message) -> None:
    before = _files(docs)
    result = cli("mv", *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert _files(docs) == before


def test_a_bad_map_is_a_usage_error(cli, docs: Path, tmp_path: Path) -> None:
    table = tmp_path / "moves.csv"
    table.write_text("docs/guides/sft.md\n", encoding="utf-8")
    result = cli("mv", "--map", str(table))
    assert result.exit_code == 2
    assert "moves.csv:1: expected two columns, old path and new path" in result.stderr


def test_a_move_that_fails_half_way_is_undone(cli, docs: Path, tmp_path: Path) -> None:
    (docs / "blocked").write_text("a file where the second move needs a folder\n", encoding="utf-8")
    before = _files(docs)
    table = tmp_path / "moves.toml"
    table.write_text(
        '"docs/guides/My Page.md" = "docs/new/My Page.md"\n'
        '"docs/guides/sft.md" = "docs/blocked/sft.md"\n',
        encoding="utf-8",
    )
    result = cli("mv", "--map", str(table))
    assert result.exit_code == 1 and "nemo-docs-lint: error:" in result.stderr
    # the first move was done, then undone; no reference was rewritten
    assert _files(docs) == before
    assert not (docs / "new").exists()


def test_into_an_existing_folder(cli, docs: Path) -> None:
    assert cli("mv", "docs/guides/sft.md", "docs/guides/algos").exit_code == 0
    assert (docs / "guides" / "algos" / "sft.md").is_file()
    assert "Back to [SFT](sft.md)." in _read(docs, "guides/algos/dpo.md")


def test_a_symlinked_page_whose_real_file_is_outside_is_named_not_written(
    cli, docs: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"# Outside\n\n[SFT](guides/sft.md)\n")
    (docs / "linked.md").symlink_to(outside)
    result = cli("mv", "docs/guides/sft.md", "docs/train/sft.md")
    assert result.exit_code == 1
    assert f"cannot rewrite linked.md: the real file {outside} is outside" in result.stderr
    assert outside.read_bytes() == b"# Outside\n\n[SFT](guides/sft.md)\n"
    assert (docs / "linked.md").is_symlink()
    assert "[dot](./train/sft.md#top)" in _read(docs, "index.md")  # the rest is rewritten
