"""Navigation and completion on the real corpus: every reference answers, nothing raises."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from integration_support import CORPUS

from nemo_docs_lint.complete import complete
from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.incremental import IncrementalLinter
from nemo_docs_lint.model import Label
from nemo_docs_lint.navigate import Navigator, item_at
from nemo_docs_lint.renames import rename_files

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("corpus") / "docs"
    shutil.copytree(CORPUS, copy)
    return copy


def test_the_incremental_index_of_the_corpus_equals_the_cli(corpus: Path) -> None:
    linter = IncrementalLinter.open(corpus, use_cache=False)
    assert (
        linter.all_diagnostics() == lint(LintRequest(paths=(corpus,), use_cache=False)).diagnostics
    )


def test_every_resolved_reference_of_the_corpus_has_a_definition(corpus: Path) -> None:
    linter = IncrementalLinter.open(corpus, use_cache=False)
    index = linter.index
    navigator = Navigator(index)
    broken = {(d.path, d.line, d.column) for d in linter.all_diagnostics()}
    found = missing = 0
    for page in index.pages.values():
        for ref in page.body.references:
            span = ref.span
            if (
                ref.target.startswith(("http:", "https:", "mailto:"))
                or (
                    page.path,
                    span.line,
                    span.column,
                )
                in broken
            ):
                continue
            if navigator.definition(page, span.line, span.column) is None:
                missing += 1
            else:
                found += 1
            navigator.hover(page, span.line, span.column)
        for line in range(1, len(page.lines) + 1):  # completion anywhere never raises
            complete(index, page, line, len(page.lines[line - 1]) + 1, None)
    assert (found, missing) == (398, 0)


def test_moving_every_page_of_a_folder_keeps_the_corpus_clean(corpus: Path) -> None:
    linter = IncrementalLinter.open(corpus, use_cache=False)
    before = {(d.code, d.message) for d in linter.all_diagnostics()}
    folder = next(p.path.split("/")[0] for p in linter.index.pages.values() if "/" in p.path)
    moves = {p: "moved-" + p for p in linter.index.files if p.startswith(folder + "/")}
    edits = rename_files(linter.index, moves.items())
    assert edits
    texts = {p.path: p.lines[:] for p in linter.index.pages.values()}
    for edit in sorted(edits, key=lambda e: (e.path, -e.span.line, -e.span.column)):
        line = texts[edit.path][edit.span.line - 1]
        assert line[edit.span.column - 1 : edit.span.end_column - 1] == edit.old
        texts[edit.path][edit.span.line - 1] = (
            line[: edit.span.column - 1] + edit.new + line[edit.span.end_column - 1 :]
        )
    for old, new in moves.items():
        target = corpus / new
        target.parent.mkdir(parents=True, exist_ok=True)
        (corpus / old).rename(target)
    for path, lines in texts.items():
        (corpus / moves.get(path, path)).write_text("\n".join(lines), encoding="utf-8")
    after = {
        (d.code, d.message) for d in lint(LintRequest(paths=(corpus,), use_cache=False)).diagnostics
    }
    link_codes = ("LNK001", "LNK002", "LNK003", "LNK004", "TOC001")
    assert {d for d in after if d[0] in link_codes} <= {d for d in before if d[0] in link_codes}


def test_item_at_finds_labels(corpus: Path) -> None:
    linter = IncrementalLinter.open(corpus, use_cache=False)
    page = next(p for p in linter.index.pages.values() if p.body.labels)
    label = page.body.labels[0]
    assert isinstance(item_at(page, label.span.line, label.span.column), Label)
