"""A file name that is not UTF-8: every format writes valid UTF-8 naming it (`\\xNN` for the
byte, SARIF percent-encodes the byte itself), and a baseline reads back the same path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import subprocess_env

EXPECTED = {
    "console": "docs/caf\\xe9.md:3:5: error LNK001 link target `missing.md` does not exist",
    "json": '"path": "docs/caf\\\\xe9.md"',
    "sarif": '"uri": "caf%E9.md"',
    "github": "::error file=caf\\xe9.md,line=3,",
    "markdown": "| :x: | `caf\\xe9.md:3:5` | `LNK001` |",
}


def _tree(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n")
    with open(os.fsencode(docs) + b"/caf\xe9.md", "wb") as handle:
        handle.write(b"# Cafe\n\n[x](missing.md)\n")


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "nemo_docs_lint", "docs", "--select", "LNK001", *args],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        env=subprocess_env(),
    )


@pytest.mark.parametrize("output_format", sorted(EXPECTED))
def test_every_format_writes_valid_utf8(tmp_path: Path, output_format: str) -> None:
    _tree(tmp_path)
    proc = _run(tmp_path, "--format", output_format)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode(errors="replace")
    assert proc.returncode == 1
    text = proc.stdout.decode("utf-8")  # strict: raises on any invalid byte
    assert EXPECTED[output_format] in text, text
    if output_format in ("json", "sarif"):
        json.loads(text)


def test_a_baseline_round_trips_the_path(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert _run(tmp_path, "--write-baseline", "b.json").returncode == 0
    (tmp_path / "b.json").read_bytes().decode("utf-8")
    proc = _run(tmp_path, "--baseline", "b.json")
    assert proc.returncode == 0 and b"LNK001" not in proc.stdout, proc.stdout


def test_the_dashboard_writes_valid_utf8(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "groups.toml").write_text('[[group]]\nname = "all"\nfiles = ["**"]\n')
    proc = subprocess.run(
        [sys.executable, "-m", "nemo_docs_lint", "dashboard", "docs", "--groups", "groups.toml"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        env=subprocess_env(),
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    html = (tmp_path / "site" / "index.html").read_bytes().decode("utf-8")
    assert 'href="../docs/caf%E9.md"' in html
    json.loads((tmp_path / "site" / "dashboard.json").read_bytes().decode("utf-8"))
    (tmp_path / "site" / "dashboard.md").read_bytes().decode("utf-8")
