"""Shared helpers: write a small docs tree, run the CLI as a user would."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

GOOD_FRONTMATTER = """---
description: "Train a model with GRPO on one node."
categories: ["training"]
tags: ["grpo", "training"]
personas: ["mle-focused"]
difficulty: "intermediate"
content_type: "tutorial"
modality: "text-only"
---
"""
GOOD_PAGE = GOOD_FRONTMATTER + "\n# Title\n\nSome text.\n"


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)

    def positions(self, family: str = "") -> set[tuple[str, str, int, int]]:
        """(path, code, line, column) of every diagnostic of the JSON output."""
        return {
            (d["path"], d["code"], d["line"], d["column"])
            for d in self.json["diagnostics"]
            if d["code"].startswith(family)
        }


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create `files` (relative path -> text or bytes) under root; return root."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


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


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    env["NO_COLOR"] = "1"
    return env
