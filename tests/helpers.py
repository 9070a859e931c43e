"""Test helpers shared by the test modules (import as `from helpers import ...`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    env["NO_COLOR"] = "1"
    return env


def run_process(cwd: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m nemo_docs_lint ARGS` in a real process, standard input not a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "nemo_docs_lint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )


def inline_entries(snapshot: object) -> dict[str, object]:
    """The entries of a loaded tree snapshot (`parse_cache.ParseCache`) as the whole-file
    layout of `cache_file.CacheFile` holds them: each parse entry's bytes inline, to plant a
    file with `MAGIC + checksum(payload) + "\\n" + payload`."""
    from nemo_docs_lint import parse_cache

    entries: dict[str, object] = getattr(snapshot, "_old")  # noqa: B009
    return {
        key: bytes(entry[0].chunk(entry[1])) if parse_cache._stored_entry(entry) else entry
        for key, entry in entries.items()
    }
