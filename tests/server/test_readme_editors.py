"""The README's editor section stays true: its problem matcher reads the console report."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from nemo_docs_lint.cli import main

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _tasks() -> dict:
    section = README.split("## Editors: the language server", 1)[1].split("\n## ", 1)[0]
    [block] = [b for b in re.findall(r"```json\n(.+?)\n```", section, re.S) if '"tasks"' in b]
    return json.loads(block)


def test_the_problem_matcher_reads_every_console_line(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    [task] = _tasks()["tasks"]
    pattern = task["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    console = CliRunner().invoke(main, ["examples/docs", "--quiet", "--no-cache"]).stdout
    report = CliRunner().invoke(main, ["examples/docs", "--format", "json", "--no-cache"]).stdout
    expected = [
        (d["path"], d["line"], d["column"], d["severity"], d["code"], d["message"])
        for d in json.loads(report)["diagnostics"]
    ]
    lines = console.strip("\n").split("\n")
    matched = []
    for line in lines:
        found = regexp.match(line)
        assert found, line
        matched.append(
            (
                found.group(pattern["file"]),
                int(found.group(pattern["line"])),
                int(found.group(pattern["column"])),
                found.group(pattern["severity"]),
                found.group(pattern["code"]),
                found.group(pattern["message"]).removeprefix("[*] "),  # fixable
            )
        )
    assert len(expected) > 10 and matched == expected
    assert all((REPO / path).is_file() for path, *_ in matched)  # relative to the workspace


def test_the_readme_documents_each_editor() -> None:
    section = README.split("## Editors: the language server", 1)[1].split("\n## ", 1)[0]
    assert '"glspc.server.commandArguments": ["server"]' in section
    assert 'cmd = { "nemo-docs-lint", "server" }' in section
    assert "[language-server.nemo-docs-lint]" in section
    assert "pip install 'nemo-docs-lint[server]'" in section
