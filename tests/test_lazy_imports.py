"""What a lint imports: a default lint of a tree without a config file imports none of the
heavy modules only some runs need (jsonschema for schemas beyond `schema_subset`, the network
checker's httpx, rich for a terminal, TOML for a config file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import GOOD_PAGE, subprocess_env, write_tree

# modules a default lint without a config file needs none of
HEAVY = (
    "jsonschema",
    "referencing",
    "attrs",
    "httpx",
    "rich",
    "markdown_it",
    "tomllib",
)


def _imported_by_lint(tmp_path: Path, *args: str, cache: bool = False) -> tuple[str, list[str]]:
    """(stdout, the heavy modules imported) of a lint of a two-page tree in a child process."""
    docs = write_tree(tmp_path / "docs", {"index.md": GOOD_PAGE, "other.md": "# Other\n"})
    return _lint_in_child(tmp_path, [str(docs), *args, *([] if cache else ["--no-cache"])], HEAVY)


def _lint_in_child(
    tmp_path: Path, argv: list[str], names: tuple[str, ...]
) -> tuple[str, list[str]]:
    """(stdout, which of `names` are imported after) `nemo-docs-lint ARGV` in a child process."""
    code = (
        "import sys\n"
        "from nemo_docs_lint.cli import main\n"
        "try:\n"
        f"    main({argv!r}, prog_name='nemo-docs-lint')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"names = {names!r}\n"
        "print('imported:', *(m for m in names if m in sys.modules), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=subprocess_env(),
        check=True,
    )
    return proc.stdout, proc.stderr.splitlines()[-1].split()[1:]


@pytest.mark.parametrize("cache", [False, True])
def test_a_default_lint_imports_no_heavy_module(tmp_path: Path, cache: bool) -> None:
    out, heavy = _imported_by_lint(tmp_path, cache=cache)
    assert "other.md:1:1: error FM001 page has no frontmatter block" in out
    assert heavy == []
    assert (tmp_path / "docs" / ".nemo-docs-lint-cache").is_dir() is cache


def test_a_schema_with_formats_is_still_checked_by_jsonschema(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text('{"properties": {"description": {"type": "string", "format": "date"}}}')
    out, heavy = _imported_by_lint(tmp_path, "--schema", str(schema), "--select", "FM")
    assert (
        "index.md:2:14: error FM010 `description`: "
        "'Train a model with GRPO on one node.' is not a 'date'" in out
    )
    assert "jsonschema" in heavy


def test_a_warm_run_imports_neither_yaml_nor_the_scanner(tmp_path: Path) -> None:
    """Nothing changed since the last run: no page is parsed, so neither PyYAML nor the
    Markdown scanner is imported (nor the modules of a cold run)."""
    first, _ = _imported_by_lint(tmp_path, cache=True)
    names = ("yaml", "nemo_docs_lint.frontmatter", "nemo_docs_lint.markdown", *HEAVY)
    out, imported = _lint_in_child(tmp_path, [str(tmp_path / "docs")], names)
    assert out == first
    assert imported == []


def test_a_body_edit_is_checked_without_yaml(tmp_path: Path) -> None:
    """A page whose body alone changed keeps its stored frontmatter: the pre-commit run on it
    parses the body with the scanner and never imports PyYAML; its report is a fresh run's."""
    _imported_by_lint(tmp_path, cache=True)
    page = tmp_path / "docs" / "index.md"
    page.write_text(GOOD_PAGE + "\nSee [gone](gone.md).\n", encoding="utf-8")
    names = ("yaml", "nemo_docs_lint.frontmatter", "nemo_docs_lint.markdown")
    out, imported = _lint_in_child(tmp_path, [str(page)], names)
    assert "docs/index.md:15:12: error LNK001 link target `gone.md` does not exist" in out
    assert imported == ["nemo_docs_lint.markdown"]
    fresh, _ = _lint_in_child(tmp_path, [str(page), "--no-cache"], names)
    assert out == fresh


def test_a_valid_config_is_checked_without_jsonschema(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.nemo-docs-lint]\nselect = ["FM", "LNK"]\nexclude = ["drafts/**"]\n'
        '[tool.nemo-docs-lint.per-file-ignores]\n"api/**" = ["FM001"]\n'
    )
    out, heavy = _imported_by_lint(tmp_path)
    assert "other.md:1:1: error FM001 page has no frontmatter block" in out
    assert heavy == ["tomllib"]  # the config file is read


def test_an_invalid_config_is_still_reported_in_jsonschemas_terms(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.nemo-docs-lint]\nselect = "FM"\nfail-on = "fatal"\n'
    )
    docs = write_tree(tmp_path / "docs", {"index.md": GOOD_PAGE})
    proc = subprocess.run(
        [sys.executable, "-m", "nemo_docs_lint", str(docs), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=subprocess_env(),
    )
    assert proc.returncode == 2
    assert "2 problems in [tool.nemo-docs-lint]" in proc.stderr
    assert "`fail-on` = 'fatal' is not allowed; allowed: error | warning | note" in proc.stderr
