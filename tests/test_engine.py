"""The pipeline: bodies are parsed only when a selected rule reads them."""

from __future__ import annotations

from pathlib import Path

from helpers import GOOD_PAGE, write_tree

from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.registry import all_rules


def _tree(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "docs",
        {
            "a.md": GOOD_PAGE + "\n[link](b.md)\n",
            "b.md": "# B\n\n<!-- nemo-docs-lint: disable-file FM001 -->\n",
            "c.md": "# C\n",
        },
    )


def test_frontmatter_rules_do_not_read_bodies() -> None:
    rules = all_rules()
    assert not any(rules[c].reads_body for c in rules if c.startswith(("FM", "NDL")))


def test_bodies_are_skipped_when_no_selected_rule_reads_them(tmp_path: Path) -> None:
    docs = _tree(tmp_path)
    result = lint(LintRequest(paths=(docs,), select=("FM",)), cwd=tmp_path)
    assert result.index.pages["a"].body.references == ()
    # a page with an inline suppression is parsed so that its comments count
    assert result.index.pages["b"].body.comments
    assert [(d.path, d.code) for d in result.diagnostics] == [("c.md", "FM001")]
    # and no parse cache is written from body-less pages (the schema-problem cache may be)
    assert not (docs / ".nemo-docs-lint-cache" / "parse").exists()


def test_bodies_are_parsed_when_a_rule_or_the_caller_needs_them(tmp_path: Path) -> None:
    docs = _tree(tmp_path)
    with_links = lint(LintRequest(paths=(docs,), select=("FM", "LNK"), use_cache=False))
    assert [r.target for r in with_links.index.pages["a"].body.references] == ["b.md"]
    asked = lint(LintRequest(paths=(docs,), select=("FM",), use_cache=False, need_bodies=True))
    assert asked.index.pages["a"].body.references == with_links.index.pages["a"].body.references
    assert (
        with_links.diagnostics
        == [d for d in with_links.diagnostics if d.code.startswith("FM")]
        == asked.diagnostics
    )
