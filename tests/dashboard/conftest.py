"""The dashboard fixture tree (copied to a temp dir) and its lint result."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nemo_docs_lint.dashboard.groups import GroupSpec, load_groups
from nemo_docs_lint.engine import LintRequest, lint
from nemo_docs_lint.model import LintResult

FIXTURE = Path(__file__).parents[1] / "fixtures" / "dashboard"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/dashboard/tree at tmp_path/docs (with groups.toml beside it)."""
    shutil.copytree(FIXTURE / "tree", tmp_path / "docs")
    shutil.copy(FIXTURE / "groups.toml", tmp_path / "groups.toml")
    return tmp_path / "docs"


@pytest.fixture
def groups(docs: Path) -> list[GroupSpec]:
    return load_groups(docs.parent / "groups.toml")


@pytest.fixture
def result(docs: Path) -> LintResult:
    return lint(LintRequest(paths=(docs,), use_cache=False))
