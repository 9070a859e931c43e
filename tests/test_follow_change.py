"""Following a change in a real git repository: moves of a page, an `index.md`, a folder of ten
pages and an image, and a deletion — each through `git mv` + `--fix`, through `mv` and through
`mv --map`. After the move (before the repair) the pre-commit mode fails naming every referring
line; after the repair the whole tree's LNK/TOC findings equal those before the move, and the
files differ from before only inside reference targets."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from follow_support import assert_only_targets_changed, keyed, reference_regions
from helpers import write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16

TREE: dict[str, str | bytes] = {
    "docs/conf.py": 'extensions = ["myst_parser", "sphinx_design"]\nmyst_heading_anchors = 3\n',
    "docs/index.md": """# Home

```{toctree}
get-started/index
Guides <guides/index>
/section/index
```

Start with [Docker](get-started/docker.md#run-it), [the same](get-started/docker),
{doc}`get-started/docker`, <project:get-started/docker.md> and \
<a href="get-started/docker.html">HTML</a>.
See [section three](section/p3.md), [the section](section/index.md) and [folder](section/).

[defined]: get-started/index.md

Use [the start][defined] and [the guides](/guides/index.md).
""",
    "docs/get-started/index.md": """# Get started

```{toctree}
docker
install
```

Back [home](../index.md); [install](install).

![arch](../guides/img/arch.png)
""",
    "docs/get-started/docker.md": """# Docker

## Run it

Read [install](install.md) first, then [the guides](../guides/index.md).
{download}`the diagram <../guides/img/arch.png>` and {doc}`install`.
""",
    "docs/get-started/install.md": """# Install

Go to [docker](./docker.md#run-it) or [a section page](../section/p0.md).
""",
    "docs/guides/index.md": """# Guides

```{toctree}
sft
```

::::{grid} 1
:::{grid-item-card} Docker
:link: ../get-started/docker
:link-type: doc
:::
::::

<img src="img/arch.png" alt="arch">

```{figure} img/arch.png
The architecture.
```

```{image} /guides/img/arch.png
```

```{include} snippet.txt
```
""",
    "docs/guides/snippet.txt": "Included text.\n",
    "docs/guides/sft.md": "# SFT\n\nSee [docker](../get-started/docker.md), [gone](missing.md).\n",
    "docs/guides/img/arch.png": PNG,
    "docs/section/index.md": "# Section\n\n```{toctree}\n"
    + "".join(f"p{i}\n" for i in range(9))
    + "```\n\nBack to [home](../index.md).\n",
    **{
        f"docs/section/p{i}.md": f"# Page {i}\n\nNext: [p{(i + 1) % 9}](p{(i + 1) % 9}.md). "
        f"Up: [section](index.md). [Install](../get-started/install.md).\n"
        + ("\n![arch](../guides/img/arch.png) and [nowhere](nowhere.md)\n" if i == 1 else "")
        for i in range(9)
    },
}

# (old, new) moves, repository-relative, per scenario.
MOVES = {
    "page": [("docs/get-started/docker.md", "docs/deploy/docker.md")],
    "index": [("docs/get-started/index.md", "docs/start/index.md")],
    "folder": [("docs/section", "docs/area/section")],
    "image": [("docs/guides/img/arch.png", "docs/assets/arch.png")],
}

# Every line that refers to the moved thing (what the hook must name), per scenario.
REFERRING = {
    "page": {
        ("docs/index.md", 9),
        ("docs/index.md", 10),
        ("docs/get-started/index.md", 4),
        ("docs/get-started/install.md", 3),
        ("docs/guides/index.md", 9),
        ("docs/guides/sft.md", 3),
        # the moved page's own relative links
        ("docs/deploy/docker.md", 5),
        ("docs/deploy/docker.md", 6),
    },
    "index": {
        ("docs/index.md", 4),
        ("docs/index.md", 13),
        # its own relative links and toctree entries
        ("docs/start/index.md", 4),
        ("docs/start/index.md", 5),
        ("docs/start/index.md", 8),  # `[install](install)`; `../index.md` still resolves
    },
    "folder": {
        ("docs/index.md", 6),
        ("docs/index.md", 11),
        ("docs/get-started/install.md", 3),
        *((f"docs/area/section/p{i}.md", 3) for i in range(9)),
        ("docs/area/section/p1.md", 5),
        ("docs/area/section/index.md", 15),
    },
    "image": {
        ("docs/get-started/index.md", 10),
        ("docs/get-started/docker.md", 6),
        ("docs/guides/index.md", 14),
        ("docs/guides/index.md", 16),
        ("docs/guides/index.md", 20),
        ("docs/section/p1.md", 5),
    },
}


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout

    def files(self) -> dict[str, bytes]:
        listed = self.git("ls-files", "-z", "--cached", "--others", "--exclude-standard")
        return {p: (self.root / p).read_bytes() for p in listed.split("\0") if p}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "project"
    write_tree(root, TREE)
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.email", "docs@example.com")
    repo.git("config", "user.name", "Docs Writer")
    repo.git("add", ".")
    repo.git("commit", "-q", "-m", "docs")
    return repo


def findings(cli, repo: Repo, *paths: str) -> tuple[int, list[dict]]:
    result = cli(*(paths or ("docs",)), "--select", "LNK,TOC", "--format", "json", cwd=repo.root)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def file_moves(repo: Repo, moves: list[tuple[str, str]], before: dict[str, bytes]) -> dict:
    """Every file's old -> new repository path."""
    table = {}
    for old, new in moves:
        if old in before:
            table[old] = new
        for path in before:
            if path.startswith(old + "/"):
                table[path] = new + path[len(old) :]
    return table


def do_move(cli, repo: Repo, how: str, moves: list[tuple[str, str]], tmp_path: Path) -> None:
    if how in ("git mv", "shell mv"):
        for old, new in moves:
            (repo.root / new).parent.mkdir(parents=True, exist_ok=True)
            if how == "git mv":
                repo.git("mv", old, new)
            else:
                shutil.move(repo.root / old, repo.root / new)
        if how == "shell mv":
            repo.git("add", "-A", "docs")  # git sees the rename once both sides are staged
        return
    if how == "mv":
        for old, new in moves:
            result = cli("mv", old, new, cwd=repo.root)
            assert result.exit_code == 0, result.stderr
        return
    table = tmp_path / "moves.csv"
    table.write_text("old,new\n" + "".join(f"{o},{n}\n" for o, n in moves), encoding="utf-8")
    result = cli("mv", "--map", str(table), cwd=repo.root)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("how", ["git mv", "shell mv", "mv", "map"])
@pytest.mark.parametrize("scenario", sorted(MOVES))
def test_move_is_caught_and_repaired(cli, repo: Repo, tmp_path: Path, scenario, how) -> None:
    moves = MOVES[scenario]
    code, before_findings = findings(cli, repo)
    before = repo.files()
    regions = reference_regions(repo.root / "docs")
    assert keyed(before_findings) == {
        ("docs/guides/sft.md", "LNK001", 3, "link target `missing.md` does not exist"),
        ("docs/section/p1.md", "LNK001", 5, "link target `nowhere.md` does not exist"),
    }
    moved = file_moves(repo, moves, before)

    if how in ("git mv", "shell mv"):
        do_move(cli, repo, how, moves, tmp_path)
        # what pre-commit passes: the staged Markdown files that still exist (here: the renamed
        # pages; none for an image), to the hook's entry, `nemo-docs-lint --changed`
        listed = repo.git("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR")
        staged = [p for p in listed.split("\0") if p.endswith(".md")]
        code, hook = findings(cli, repo, "--changed", *staged)
        assert code == 1
        new = keyed(hook) - keyed(before_findings, moved)
        lines = {(path, line) for path, _, line, _ in new}
        named = set(staged)
        # every referring line elsewhere, and nothing else outside the named files ...
        assert {x for x in lines if x[0] not in named} == {
            x for x in REFERRING[scenario] if x[0] not in named
        }
        # ... and in the named (moved) files, their own broken references among the rest
        assert {x for x in REFERRING[scenario] if x[0] in named} <= lines
        unfixed = repo.files()
        diff = cli("docs", "--diff", "--select", "LNK,TOC", cwd=repo.root)
        assert diff.exit_code == 1 and diff.stdout.startswith("diff --git a/")
        assert repo.files() == unfixed  # --diff writes nothing
        fixed = cli("docs", "--fix", "--select", "LNK,TOC", cwd=repo.root)
        assert fixed.exit_code == 1, fixed.stderr  # the two old problems remain
    else:
        do_move(cli, repo, how, moves, tmp_path)
    _, after_findings = findings(cli, repo)
    assert keyed(after_findings) == keyed(before_findings, moved)
    assert_only_targets_changed(before, repo.files(), moved, regions)


@pytest.mark.parametrize("how", ["git rm", "rm, staged", "rm, not staged"])
def test_deleting_a_page_fails_the_hook_naming_every_referring_line(cli, repo: Repo, how) -> None:
    if how == "git rm":
        repo.git("rm", "-q", "docs/get-started/docker.md")
    else:
        (repo.root / "docs/get-started/docker.md").unlink()
        if how == "rm, staged":
            repo.git("add", "-A", "docs")
    # pre-commit passes no file names for a delete-only commit
    code, hook = findings(cli, repo, "--changed")
    assert code == 1
    assert {(d["path"], d["line"]) for d in hook} == {
        ("docs/index.md", 9),
        ("docs/index.md", 10),
        ("docs/get-started/index.md", 4),
        ("docs/get-started/install.md", 3),
        ("docs/guides/index.md", 9),
        ("docs/guides/sft.md", 3),
    }


def test_deleting_the_folder_a_glob_lists_fails_the_hook(cli, repo: Repo) -> None:
    (repo.root / "docs/guides/index.md").write_text(
        "# Guides\n\n```{toctree}\n:glob:\nsft\nalgos/*\n```\n", encoding="utf-8"
    )
    (repo.root / "docs/guides/algos").mkdir()
    (repo.root / "docs/guides/algos/dpo.md").write_text("# DPO\n", encoding="utf-8")
    repo.git("add", ".")
    repo.git("commit", "-q", "-m", "a glob")
    repo.git("rm", "-q", "-r", "docs/guides/algos")
    code, hook = findings(cli, repo, "--changed")
    assert code == 1
    assert [(d["path"], d["line"], d["code"]) for d in hook] == [
        ("docs/guides/index.md", 6, "TOC001")
    ]


def test_an_invalid_glob_is_about_nothing_and_left_as_written(cli, repo: Repo) -> None:
    index = repo.root / "docs/guides/index.md"
    index.write_text("# Guides\n\n```{toctree}\n:glob:\nsft\nimg/[z-a]\n```\n", encoding="utf-8")
    repo.git("add", ".")
    repo.git("commit", "-q", "-m", "a bad glob")
    repo.git("mv", "docs/guides/index.md", "docs/guides/overview.md")
    code, hook = findings(cli, repo, "--changed", "docs/guides/overview.md")
    assert code == 1 and all(d["path"] != "docs/guides/index.md" for d in hook)
    cli("docs", "--fix", "--select", "LNK,TOC", cwd=repo.root)
    assert "img/[z-a]\n" in (repo.root / "docs/guides/overview.md").read_text(encoding="utf-8")
