"""The check stage split over two processes (`check_split`): the same findings in the same order
as one process, and this process taking over whenever the child fails."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import GOOD_FRONTMATTER, write_tree

from nemo_docs_lint import check_split
from nemo_docs_lint.engine import LintRequest, lint, resolve_config
from nemo_docs_lint.model import Diagnostic
from nemo_docs_lint.registry import all_rules
from nemo_docs_lint.rules import frontmatter as fm_rules
from nemo_docs_lint.selection import enabled_rules

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = Path(os.environ.get("NEMO_DOCS_LINT_CORPUS", SHARED / "corpus/nemo-rl-refactor/docs"))

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the split needs fork (Linux)"
)


@pytest.fixture(autouse=True)
def _as_if_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run earlier may leave threads behind in this process (a console run has none):
    split as the console script does (the thread rule has a test of its own below)."""
    monkeypatch.setattr(check_split, "_alone", lambda: True)


PAGE = """---
description: "Page {n}"
tags: ["one"]
content_type: tutorail
---
# Page {n}

See [the next page](page-{next}.md#nowhere), [missing](gone-{n}.md), {{ref}}`no-label-{n}`
and ![image](img-{n}.png).

```
no language
```
"""


def _tree(root: Path, pages: int = 30) -> Path:
    files = {
        "conf.py": "myst_heading_anchors = 3\n",
        "index.md": GOOD_FRONTMATTER + "\n# Home\n\n```{toctree}\npage-0\n```\n",
    }
    for n in range(pages):
        files[f"page-{n}.md"] = PAGE.format(n=n, next=(n + 1) % pages)
    files["bare.md"] = "# No frontmatter\n\n[link](page-0.md#page-0)\n"
    return write_tree(root, files)


def _lint(docs: Path, monkeypatch: pytest.MonkeyPatch, split: bool) -> list[Diagnostic]:
    monkeypatch.setattr(check_split, "SPLIT_THRESHOLD", 0 if split else 10**9)
    return lint(LintRequest(paths=(docs,), use_cache=False)).diagnostics


def _usable(docs: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(check_split, "SPLIT_THRESHOLD", 0)
    config = resolve_config(LintRequest(paths=(docs,), use_cache=False))
    rules = enabled_rules(all_rules(), config.select, config.extend_select, config.ignore)
    return check_split.usable(len(list(docs.rglob("*.md"))), rules)


def test_a_split_check_finds_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _tree(tmp_path / "docs")
    expected = _lint(docs, monkeypatch, split=False)
    assert _usable(docs, monkeypatch)
    found = _lint(docs, monkeypatch, split=True)
    assert found == expected
    codes = {d.code for d in expected}
    assert {"FM001", "FM003", "FM004", "FM005", "LNK001", "LNK002", "LNK003"} <= codes
    assert any(d.fix is not None and not d.fix.safe for d in expected)  # an unsafe fix travels


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not at {CORPUS}")
def test_a_split_check_of_the_corpus_equals_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _lint(CORPUS, monkeypatch, split=False)
    assert _usable(CORPUS, monkeypatch)
    assert _lint(CORPUS, monkeypatch, split=True) == expected
    assert len(expected) > 100


def test_a_child_that_cannot_send_its_findings_is_replaced_by_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    docs = _tree(tmp_path / "docs")
    expected = _lint(docs, monkeypatch, split=False)
    parent, real = os.getpid(), check_split._encode

    def failing(findings: list) -> tuple:  # type: ignore[type-arg]
        if os.getpid() != parent:
            raise ValueError("not a plain finding")
        return real(findings)

    monkeypatch.setattr(check_split, "_encode", failing)
    assert _lint(docs, monkeypatch, split=True) == expected
    assert capfd.readouterr().err == ""


def test_a_child_that_dies_is_replaced_by_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _tree(tmp_path / "docs")
    expected = _lint(docs, monkeypatch, split=False)
    parent, real = os.getpid(), check_split._on_pages

    def dying(*args: object) -> list:  # type: ignore[type-arg]
        if os.getpid() != parent:
            os._exit(3)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(check_split, "_on_pages", dying)
    assert _lint(docs, monkeypatch, split=True) == expected


def test_a_rule_that_raises_on_a_page_of_the_child_raises_here_as_without_the_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    docs = _tree(tmp_path / "docs")
    real = fm_rules._checked

    def broken(page: object, ctx: object) -> bool:
        if page.path == "page-9.md":  # type: ignore[attr-defined]  # in the child's share
            raise RuntimeError("rule bug")
        return real(page, ctx)  # type: ignore[arg-type]

    monkeypatch.setattr(fm_rules, "_checked", broken)
    for split in (False, True):
        with pytest.raises(RuntimeError, match="rule bug"):
            _lint(docs, monkeypatch, split=split)
    assert "Traceback" not in capfd.readouterr().err


def test_rules_from_elsewhere_are_never_split() -> None:
    rules = list(all_rules().values())
    assert check_split.usable(10**6, rules)

    def counting(page: object, ctx: object) -> Iterator[object]:  # a family counting pages
        yield from ()

    foreign = dataclasses.replace(rules[0], check=counting)
    assert not check_split.usable(10**6, [*rules, foreign])
    assert not check_split.usable(check_split.SPLIT_THRESHOLD - 1, rules)


def test_a_process_with_other_threads_is_never_split(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.undo()  # the real thread rule
    rules = list(all_rules().values())
    alone = threading.active_count() == 1
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not check_split.usable(10**6, rules)
    finally:
        stop.set()
        other.join()
    assert check_split.usable(10**6, rules) is alone
