"""The README stays true: its rule table is the registry's, its test command is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from nemo_docs_lint.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, re.S)


def test_readme_rule_table_is_generated_from_the_registry() -> None:
    table = CliRunner().invoke(main, ["rules", "--markdown"]).stdout
    assert table.count("\n") >= 20
    assert table in README


def test_readme_has_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    run_it, test_it = _setup_commands()
    assert "nemo-docs-lint examples/docs" in run_it
    assert "pytest" in test_it
    ci_lines = (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert test_it in ci_lines


def test_example_tree_shows_problems_of_every_family() -> None:
    result = CliRunner().invoke(main, ["--format", "json", str(REPO / "examples/docs")])
    assert result.exit_code == 1
    codes = set(re.findall(r'"code": "([A-Z]+\d+)"', result.stdout))
    assert {"FM003", "FM004", "FM005", "FM007", "LNK001", "LNK002", "LNK003", "LNK004"} <= codes
    assert "TOC002" in codes
