"""The package's layering: light modules stay light, and no module imports itself round a cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nemo_docs_lint"


@pytest.mark.parametrize(
    "module",
    [
        "nemo_docs_lint.model",
        "nemo_docs_lint.index",
        "nemo_docs_lint.reporters.json",
        "nemo_docs_lint.reporters.sarif",
        "nemo_docs_lint.reporters.console",
        "nemo_docs_lint.reporters.github",
        "nemo_docs_lint.reporters.markdown",
    ],
)
def test_light_modules_import_neither_yaml_nor_the_engine(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "heavy = sorted(m for m in ('yaml', 'jsonschema', 'nemo_docs_lint.engine', "
        "'nemo_docs_lint.frontmatter', 'nemo_docs_lint.markdown') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "", f"importing {module} imported {out.strip()}"
