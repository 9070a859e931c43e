"""conf.py `suppress_warnings` hides problems from Sphinx builds, not from the linter.

By default they are reported anyway and `--verbose` says which suppressions exist; with
`respect-suppress-warnings = true` the mapped codes are hidden, as Sphinx hides them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

INDEX = """# Home

```{toctree}
listed
```

[broken](missing.md) and [anchor](listed.md#nope)
"""


def _tree(root: Path, suppress: list[str], respect: bool | None = None) -> None:
    files = {
        "docs/conf.py": f"myst_heading_anchors = 2\nsuppress_warnings = {suppress!r}\n",
        "docs/index.md": INDEX,
        "docs/listed.md": "# Listed\n",
        "docs/orphan.md": "# Orphan\n",
    }
    if respect is not None:
        files["docs/.nemo-docs-lint.toml"] = f"respect-suppress-warnings = {str(respect).lower()}\n"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


ORPHAN = ("docs/orphan.md", "TOC002", 1, 1)
ORPHAN_COVERAGE = ("docs/orphan.md", "TOC005", 1, 1)
BROKEN = ("docs/index.md", "LNK001", 7, 10)
ANCHOR = ("docs/index.md", "LNK002", 7, 35)
EVERYTHING = {ORPHAN, ORPHAN_COVERAGE, BROKEN, ANCHOR}


def _run(cli: Callable, *extra: str):
    return cli("docs", "--select", "LNK,TOC", "--no-cache", "--format", "json", *extra)


@pytest.mark.parametrize(
    ("suppress", "hidden", "note"),
    [
        (
            "toc.not_included",
            {ORPHAN},
            "nemo-docs-lint: conf.py suppress_warnings hides `toc.not_included` from Sphinx "
            "builds; TOC002 reported anyway (set respect-suppress-warnings = true to hide them)",
        ),
        (
            "myst.xref_missing",
            {BROKEN, ANCHOR},
            "nemo-docs-lint: conf.py suppress_warnings hides `myst.xref_missing` from Sphinx "
            "builds; LNK001, LNK002 reported anyway (set respect-suppress-warnings = true to "
            "hide them)",
        ),
    ],
)
def test_reported_by_default_and_named_in_verbose(
    tmp_path: Path, cli: Callable, suppress: str, hidden: set, note: str
) -> None:
    _tree(tmp_path, [suppress])
    result = _run(cli)
    assert result.positions() == EVERYTHING
    assert note not in result.stderr  # only --verbose explains
    verbose = _run(cli, "--verbose")
    assert verbose.positions() == EVERYTHING
    assert note in verbose.stderr.splitlines()


@pytest.mark.parametrize(
    ("suppress", "hidden", "note"),
    [
        (
            "toc.not_included",
            {ORPHAN},
            "nemo-docs-lint: conf.py suppress_warnings hides `toc.not_included` from Sphinx "
            "builds; TOC002 not reported",
        ),
        (
            "myst.xref_missing",
            {BROKEN, ANCHOR},
            "nemo-docs-lint: conf.py suppress_warnings hides `myst.xref_missing` from Sphinx "
            "builds; LNK001, LNK002 not reported",
        ),
    ],
)
def test_hidden_with_respect_suppress_warnings(
    tmp_path: Path, cli: Callable, suppress: str, hidden: set, note: str
) -> None:
    _tree(tmp_path, [suppress], respect=True)
    result = _run(cli, "--verbose")
    assert result.positions() == EVERYTHING - hidden
    assert note in result.stderr.splitlines()


def test_respect_without_suppressions_hides_nothing(tmp_path: Path, cli: Callable) -> None:
    _tree(tmp_path, [], respect=True)
    result = _run(cli, "--verbose")
    assert result.positions() == EVERYTHING
    assert "suppress_warnings" not in result.stderr


def test_unrelated_suppressions_are_not_mentioned(tmp_path: Path, cli: Callable) -> None:
    _tree(tmp_path, ["design.card_legacy", "app.add_source_parser"], respect=True)
    result = _run(cli, "--verbose")
    assert result.positions() == EVERYTHING
    assert "suppress_warnings" not in result.stderr


def test_the_sphinx_warning_table_comes_from_the_rules() -> None:
    """Each rule declares the Sphinx warning types it mirrors (`@rule(sphinx_warnings=...)`)."""
    from nemo_docs_lint.sphinx_conf import sphinx_warning_codes

    assert sphinx_warning_codes() == {
        "toc": ("TOC001", "TOC002", "TOC004"),
        "toc.not_included": ("TOC002",),
        "toc.excluded": ("TOC001",),
        "toc.not_readable": ("TOC001",),
        "toc.glob": ("TOC001",),
        "toc.duplicate_entry": ("TOC004",),
        "ref": ("LNK001", "LNK003"),
        "ref.ref": ("LNK003",),
        "ref.term": ("LNK003",),
        "ref.numref": ("LNK003",),
        "ref.eq": ("LNK003",),
        "ref.any": ("LNK003",),
        "myst.iref_missing": ("LNK003",),
        "ref.doc": ("LNK001",),
        "myst": ("LNK001", "LNK002"),
        "myst.xref_missing": ("LNK001", "LNK002"),
        "myst.header": ("LNK002",),
        "image": ("LNK004",),
        "image.not_readable": ("LNK004",),
        "download.not_readable": ("LNK001",),
    }
