"""Helpers for the integration tests: a small repository with a docs tree, the SARIF validators."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "integrations"
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-2.1.0.json"
MULTITOOL = REPO / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
CORPUS = Path(
    os.environ.get(
        "NEMO_DOCS_LINT_CORPUS", REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
    )
)

BROKEN_GUIDE = """---
description: "A guide that links to the other page."
categories: ["getting-started"]
tags: ["fixture"]
personas: ["mle-focused"]
difficulty: "expert"
content_type: "tutorial"
modality: "text-only"
typo_key: 1
---

# Guide

Some text before the link.

See [the details](other.md#details) and [a missing page](missing.md) for more.
"""


def copy_fixture(target: Path, *, git: bool = True) -> Path:
    """Copy the integrations fixture to `target` (a repository root); return the docs folder."""
    shutil.copytree(FIXTURE, target, dirs_exist_ok=True)
    if git:
        (target / ".git").mkdir(exist_ok=True)  # marks the repository root, as a checkout would
    return target / "docs"


def make_problem_repo(tmp_path: Path) -> Path:
    """A repository root holding `docs/` with errors, a warning and a broken link in guide.md."""
    repo = tmp_path / "repo"
    docs = copy_fixture(repo)
    (docs / "guide.md").write_text(BROKEN_GUIDE, encoding="utf-8")
    return repo


def validate_with_schema(document: dict) -> None:
    """Validate against the official SARIF 2.1.0 JSON schema (vendored from the Multitool)."""
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(document), key=lambda e: e.json_path)
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors[:20])


def multitool_validate(sarif: Path, workdir: Path) -> list[dict]:
    """Run Microsoft's SARIF Multitool with GitHub's rules on `sarif`; fail on errors or warnings.

    Skips when the binary is absent (it comes from `npm install @microsoft/sarif-multitool`, which
    `.ci/install-tools` runs). Returns the remaining (note-level) findings.
    """
    if not MULTITOOL.is_file() or not os.access(MULTITOOL, os.X_OK):
        pytest.skip(
            f"SARIF Multitool not installed at {MULTITOOL.relative_to(REPO)}: "
            "run .ci/install-tools (needs npm)"
        )
    out = workdir / f"multitool-{sarif.stem}.sarif"
    out.unlink(missing_ok=True)
    # The binary directly: the npm wrapper goes through a shell, which splits "Sarif;Gh".
    proc = subprocess.run(
        [str(MULTITOOL), "validate", "--rule-kind", "Sarif;Gh", str(sarif), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(out.read_text(encoding="utf-8-sig"))
    findings = [
        {
            "rule": r.get("ruleId"),
            "level": r.get("level", "warning"),
            "args": r.get("message", {}).get("arguments"),
        }
        for run in report["runs"]
        for r in run.get("results", [])
    ]
    serious = [f for f in findings if f["level"] in ("error", "warning")]
    assert not serious, f"Multitool reports problems:\n{proc.stdout}"
    return findings
