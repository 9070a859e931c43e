"""Fixtures shared by all tests; plain helpers live in helpers.py."""

from __future__ import annotations

import importlib.machinery
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import CliResult, write_tree

PACKAGE = Path(__file__).resolve().parents[1] / "nemo_docs_lint"


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to test a checkout holding compiled modules: Python imports an extension module
    before the source beside it, so an edited source would go untested."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    stale = sorted(p for p in PACKAGE.rglob("*") if p.name.endswith(suffixes))
    if stale:
        names = ", ".join(str(p.relative_to(PACKAGE.parent)) for p in stale[:3])
        raise pytest.UsageError(
            f"compiled modules in the checkout shadow their sources ({names}); delete them "
            "(`git clean -fX nemo_docs_lint`) and build the compiled scanner from a copy "
            "(benchmarks/compiled_env.py)"
        )


@pytest.fixture
def tree(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """`tree({...})` writes a docs tree under tmp_path/docs and returns that folder."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "docs", files)

    return make


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """`cli("docs", "--format", "json")` runs the command in tmp_path (or `cwd=`) with CliRunner."""
    from nemo_docs_lint.cli import main

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        monkeypatch.chdir(cwd or tmp_path)
        result = CliRunner().invoke(main, list(args), catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What each warm check of the test answered (the real `warm.check_warm`, recorded)."""
    from nemo_docs_lint import warm

    seen: list[warm.Checked] = []
    real = warm.check_warm

    def recording(*args: Any, **kwargs: Any) -> warm.Checked:
        checked = real(*args, **kwargs)
        seen.append(checked)
        return checked

    monkeypatch.setattr(warm, "check_warm", recording)
    return seen


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
