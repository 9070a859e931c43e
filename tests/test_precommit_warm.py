"""Pre-commit runs on a warm snapshot report exactly what a `--no-cache` run reports, in every
output format, after edits, additions, deletions and renames (on a copy of the shared corpus and
on generated trees)."""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from nemo_docs_lint.reporters import FORMATS

CORPUS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
)
PAST_NS = 1_500_000_000 * 10**9


def _age(root: Path) -> None:
    """Date every file well before now, so that the snapshot trusts stat (not the racy rule)."""
    for path in root.rglob("*"):
        if path.is_file() and ".nemo-docs-lint-cache" not in path.parts:
            os.utime(path, ns=(PAST_NS, PAST_NS))


def _run(cli: Callable, cwd: Path, *args: str) -> tuple[int, str]:
    result = cli(*args, cwd=cwd)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, result.stdout


def _check_equal(cli: Callable, cwd: Path, named: list[str], formats=FORMATS) -> None:
    """Warm pre-commit output == `--no-cache` output, per format."""
    for fmt in formats:
        warm = _run(cli, cwd, *named, "--format", fmt)
        cold = _run(cli, cwd, *named, "--format", fmt, "--no-cache")
        assert warm == cold, fmt


def _diagnostics(cli: Callable, cwd: Path, named: list[str]) -> list[dict]:
    _, out = _run(cli, cwd, *named, "--format", "json")
    return json.loads(out)["diagnostics"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs, ignore=shutil.ignore_patterns(".nemo-docs-lint-cache"))
    for path in [docs, *docs.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    _age(docs)
    return docs


def test_precommit_on_the_corpus_equals_no_cache_after_edits(corpus: Path, cli: Callable) -> None:
    root = corpus.parent
    pages = sorted(p.relative_to(root).as_posix() for p in corpus.rglob("*.md"))
    first, second = "docs/index.md", pages[10]  # the root document is never excluded
    _run(cli, root, "docs", "--format", "json")  # fills the snapshot
    _check_equal(cli, root, [first])
    edited = root / first
    edited.write_text(
        edited.read_text() + "\n(new-label)=\n## Added\n\n[broken](nowhere.md) {ref}`nope`\n",
        encoding="utf-8",
    )
    _check_equal(cli, root, [first, second])
    assert "LNK001" in {d["code"] for d in _diagnostics(cli, root, [first])}
    added = corpus / "added.md"
    added.write_text(f"# Added\n\n[back]({Path(first).name}#added) {{ref}}`new-label`\n")
    _check_equal(cli, root, ["docs/added.md", first])
    (root / second).unlink()
    _check_equal(cli, root, [first, "docs/added.md"])
    renamed = corpus / "renamed.md"
    edited.rename(renamed)
    _age(corpus)
    _check_equal(cli, root, ["docs/renamed.md", "docs/added.md"])


def _generated(root: Path, rng: random.Random, count: int) -> None:
    """A tree of pages linking each other, with labels, anchors and toctrees."""
    (root / "conf.py").write_text("myst_heading_anchors = 2\n", encoding="utf-8")
    (root / "index.md").write_text(
        "# Home\n\n```{toctree}\n:glob:\n\nsec-*/*\n```\n", encoding="utf-8"
    )
    for n in range(count):
        _write_page(root, n, rng, count)


def _write_page(root: Path, n: int, rng: random.Random, count: int) -> Path:
    folder = root / f"sec-{n % 3}"
    folder.mkdir(exist_ok=True)
    lines = ["---", f"title: Page {n}", "---", "", f"(label-{n})=", f"# Page {n}", ""]
    for _ in range(rng.randrange(4)):
        other = rng.randrange(count + 3)  # some links go nowhere
        lines.append(f"[p{other}](../sec-{other % 3}/page-{other}.md#section-{rng.randrange(3)})")
        lines.append(f"{{ref}}`label-{rng.randrange(count + 3)}`")
    for s in range(rng.randrange(3)):
        lines += ["", f"## Section {s}"]
    path = folder / f"page-{n}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_precommit_on_generated_trees_equals_no_cache_after_random_edits(
    tmp_path: Path, cli: Callable
) -> None:
    rng = random.Random(15)
    docs = tmp_path / "docs"
    docs.mkdir()
    count = 40
    _generated(docs, rng, count)
    _age(docs)
    _run(cli, tmp_path, "docs", "--format", "json")
    for _ in range(12):
        present = sorted(p for p in docs.rglob("page-*.md"))
        action = rng.choice(["edit", "add", "delete", "rename"])
        target = rng.choice(present)
        if action == "edit":
            named = _write_page(docs, int(target.stem.split("-")[1]), rng, count)
        elif action == "add":
            count += 1
            named = _write_page(docs, count - 1, rng, count)
        elif action == "delete":
            target.unlink()
            named = rng.choice([p for p in present if p != target])
        else:
            named = target.with_name(f"page-{count + 100}.md")
            target.rename(named)
            count += 1
        if rng.random() < 0.5:
            _age(docs)
        others = [p for p in docs.rglob("page-*.md") if p != named][:2]
        paths = [p.relative_to(tmp_path).as_posix() for p in (named, *others)]
        _check_equal(cli, tmp_path, paths, formats=("json", "console", "sarif"))
