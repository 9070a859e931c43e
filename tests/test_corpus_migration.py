"""A migration like the NeMo RL refactor's own, applied to a copy of the shared corpus with one
`mv --map`: 24 moves (pages into new sections, section index pages, whole sections, images).
The LNK/TOC findings afterwards equal those before, and only reference targets change."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from follow_support import assert_only_targets_changed, keyed, reference_regions
from integration_support import CORPUS, REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MIGRATION = REPO / "tests" / "fixtures" / "migration" / "nemo-rl.toml"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not at {CORPUS}")


def _findings(cli, docs: Path) -> list[dict]:
    result = cli(".", "--select", "LNK,TOC", "--no-cache", "--format", "json", cwd=docs)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["diagnostics"]


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".nemo-docs-lint-cache" not in p.parts
    }


def test_migration_map_on_the_corpus(cli, tmp_path: Path) -> None:
    project = tmp_path / "project"
    docs = project / "docs"
    shutil.copytree(CORPUS, docs)
    (project / ".git").mkdir()
    # The repository's own files the pages link to (`../../../examples/run_sft.py`): present,
    # as in the real checkout, so that moved pages must have those links rewritten too.
    for d in _findings(cli, docs):
        target = d["message"].partition("`")[2].partition("`")[0]
        if d["code"] == "LNK001" and target.startswith("../"):
            path = (docs / d["path"]).parent / target
            if not path.resolve().is_relative_to(docs.resolve()):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("# stub\n", encoding="utf-8")
    before_findings = _findings(cli, docs)
    before = _files(docs)
    regions = reference_regions(docs)

    started = time.perf_counter()
    result = cli("mv", "--no-cache", "--map", str(MIGRATION), cwd=docs)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    print(result.stderr.strip(), f"in {elapsed:.2f} s")

    after = _files(docs)
    moved: dict[str, str] = {}
    for old, new in tomllib.loads(MIGRATION.read_text(encoding="utf-8")).items():
        if old in before:
            moved[old] = new
        moved.update({p: new + p[len(old) :] for p in before if p.startswith(old + "/")})
    assert len(moves := moved) == 42 and set(after) == {moves.get(p, p) for p in before}
    assert "42 files moved, " in result.stderr
    after_findings = _findings(cli, docs)
    assert keyed(after_findings) == keyed(before_findings, moved)
    assert_only_targets_changed(
        {f"docs/{k}": v for k, v in before.items()},
        {f"docs/{k}": v for k, v in after.items()},
        {f"docs/{k}": f"docs/{v}" for k, v in moved.items()},
        regions,
    )
