"""Configuration: found upward, validated (exit 2 with did-you-mean), and applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import GOOD_PAGE, write_tree

BAD_PAGE = GOOD_PAGE.replace('"tutorial"', "guide").replace('["grpo", "training"]', "[one]")
# BAD_PAGE: FM005 at 4:1 (error), FM004 at 7:15 (error)
UNKNOWN_KEY_PAGE = GOOD_PAGE.replace("---\n\n#", "owner: me\n---\n\n#")  # FM007 9:1 (warning)


def _codes(result) -> set[tuple[str, str, int]]:
    return {(d["path"], d["code"], d["line"]) for d in result.json["diagnostics"]}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.nemo-docs-lint]\nignore = ["FM004"]\n'),
        (".nemo-docs-lint.toml", 'ignore = ["FM004"]\n'),
    ],
)
def test_config_found_upward_from_the_docs_root(tmp_path: Path, cli, name: str, text: str) -> None:
    write_tree(tmp_path, {name: text, "repo/docs/a.md": BAD_PAGE})
    result = cli("repo/docs", "--select", "FM", "--format", "json")
    assert _codes(result) == {("repo/docs/a.md", "FM005", 4)}


def test_pyproject_without_our_table_is_skipped(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.nemo-docs-lint]\nignore = ["FM004"]\n',
            "repo/pyproject.toml": '[project]\nname = "nemo-docs-lint-user"\n',
            "repo/docs/a.md": BAD_PAGE,
        },
    )
    result = cli("repo/docs", "--select", "FM", "--format", "json")
    assert _codes(result) == {("repo/docs/a.md", "FM005", 4)}


def test_dotfile_wins_over_pyproject_in_the_same_folder(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.nemo-docs-lint]\nignore = ["FM005"]\n',
            ".nemo-docs-lint.toml": 'ignore = ["FM004"]\n',
            "docs/a.md": BAD_PAGE,
        },
    )
    assert _codes(cli("docs", "--select", "FM", "--format", "json")) == {("docs/a.md", "FM005", 4)}


def test_config_option_overrides_discovery(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            ".nemo-docs-lint.toml": 'ignore = ["FM004"]\n',
            "other.toml": 'ignore = ["FM005"]\n',
            "docs/a.md": BAD_PAGE,
        },
    )
    result = cli("docs", "--select", "FM", "--config", "other.toml", "--format", "json")
    assert _codes(result) == {("docs/a.md", "FM004", 7)}
    missing = cli("docs", "--config", "nope.toml")
    assert missing.exit_code == 2
    assert "config file nope.toml does not exist" in missing.stderr


def test_no_path_uses_root_from_config(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, {".nemo-docs-lint.toml": 'root = "docs"\n', "docs/a.md": BAD_PAGE})
    result = cli("--select", "FM", "--format", "json")
    assert _codes(result) == {("docs/a.md", "FM005", 4), ("docs/a.md", "FM004", 7)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('selct = ["FM"]\n', "unknown key `selct`; did you mean `select`?"),
        (
            "per_file_ignores = {}\n",
            "unknown key `per_file_ignores`; did you mean `per-file-ignores`?",
        ),
        (
            'fail-on = "errors"\n',
            "'errors' is not allowed; allowed: error | warning | note; did you mean 'error'?",
        ),
        ('severity = {FM007 = "fatal"}\n', "`severity.FM007` = 'fatal' is not allowed"),
        ('select = "FM"\n', "`select` = 'FM': expected a list"),
        ('select = ["fm"]\n', "`select.0`"),
        ("ignore = [\n", "invalid TOML"),
    ],
)
def test_bad_config_exits_2(tmp_path: Path, cli, text: str, message: str) -> None:
    write_tree(tmp_path, {".nemo-docs-lint.toml": text, "docs/a.md": GOOD_PAGE})
    result = cli("docs")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("nemo-docs-lint: error: ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unknown_selector_exits_2(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, {"docs/a.md": GOOD_PAGE})
    result = cli("docs", "--select", "FM0O4")
    assert result.exit_code == 2
    assert "`FM0O4` matches no rule; did you mean" in result.stderr


def test_select_and_ignore_prefer_the_most_specific_selector(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, {"docs/a.md": BAD_PAGE})
    both = {("docs/a.md", "FM004", 7), ("docs/a.md", "FM005", 4)}
    assert _codes(cli("docs", "--select", "FM", "--format", "json")) == both
    assert _codes(cli("docs", "--select", "FM", "--ignore", "FM00", "--format", "json")) == set()
    # a longer select beats a shorter ignore, as in Ruff
    result = cli("docs", "--select", "FM,FM004", "--ignore", "FM00", "--format", "json")
    assert _codes(result) == {("docs/a.md", "FM004", 7)}
    write_tree(tmp_path, {".nemo-docs-lint.toml": 'select = ["FM005"]\n'})
    assert _codes(cli("docs", "--format", "json")) == {("docs/a.md", "FM005", 4)}
    # the CLI's --select replaces the config's
    assert _codes(cli("docs", "--select", "FM004", "--format", "json")) == {
        ("docs/a.md", "FM004", 7)
    }


def test_per_file_ignores(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            ".nemo-docs-lint.toml": '[per-file-ignores]\n"api/**" = ["FM"]\n"a.md" = ["FM004"]\n',
            "docs/a.md": BAD_PAGE,
            "docs/api/x/b.md": "# no frontmatter\n",
            "docs/c.md": "# no frontmatter\n",
        },
    )
    result = cli("docs", "--select", "FM", "--format", "json")
    assert _codes(result) == {("docs/a.md", "FM005", 4), ("docs/c.md", "FM001", 1)}


def test_severity_override_and_fail_on(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, {"docs/a.md": UNKNOWN_KEY_PAGE})
    result = cli("docs", "--select", "FM", "--format", "json")
    assert [(d["code"], d["severity"]) for d in result.json["diagnostics"]] == [
        ("FM007", "warning")
    ]
    assert result.exit_code == 0  # warnings do not fail by default
    assert cli("docs", "--select", "FM", "--fail-on", "warning").exit_code == 1
    write_tree(tmp_path, {".nemo-docs-lint.toml": 'fail-on = "warning"\n'})
    assert cli("docs", "--select", "FM").exit_code == 1
    assert cli("docs", "--select", "FM", "--fail-on", "error").exit_code == 0  # flag wins
    write_tree(tmp_path, {".nemo-docs-lint.toml": '[severity]\nFM007 = "error"\n'})
    result = cli("docs", "--select", "FM", "--format", "json")
    assert [(d["code"], d["severity"]) for d in result.json["diagnostics"]] == [("FM007", "error")]
    assert result.exit_code == 1
    write_tree(tmp_path, {".nemo-docs-lint.toml": '[severity]\nFM = "note"\nFM007 = "warning"\n'})
    result = cli("docs", "--select", "FM", "--format", "json")
    assert [d["severity"] for d in result.json["diagnostics"]] == ["warning"]  # longest wins


def test_schemas_glob_false_switches_frontmatter_rules_off(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            ".nemo-docs-lint.toml": '[schemas]\n"api-docs/**" = false\n',
            "docs/api-docs/mod/x.md": "# Generated\n",
            "docs/api-docs/index.md": "# Generated\n",
            "docs/guide.md": "# Hand-written\n",
        },
    )
    result = cli("docs", "--select", "FM", "--format", "json")
    assert _codes(result) == {("docs/guide.md", "FM001", 1)}


CUSTOM_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["title"],
  "properties": {
    "title": {"type": "string", "pattern": "^[A-Z]"},
    "content_type": {"enum": ["how-to", "workflow"]}
  },
  "additionalProperties": false
}
"""


def test_custom_schema_from_config_and_from_flag(tmp_path: Path, cli) -> None:
    page = "---\ntitle: lower case\ncontent_type: howto\n---\n# T\n"
    write_tree(
        tmp_path,
        {
            "schemas/team.json": CUSTOM_SCHEMA,
            ".nemo-docs-lint.toml": 'schema = "schemas/team.json"\n',
            "docs/a.md": page,
        },
    )
    result = cli("docs", "--select", "FM", "--format", "json")
    rows = [(d["code"], d["line"], d["column"], d["message"]) for d in result.json["diagnostics"]]
    assert rows == [
        ("FM010", 2, 8, "`title`: 'lower case' does not match '^[A-Z]'"),
        (
            "FM004",
            3,
            15,
            "`content_type` value 'howto' is not allowed; did you mean 'how-to'? "
            "(allowed: how-to, workflow)",
        ),
    ]
    (tmp_path / ".nemo-docs-lint.toml").unlink()
    flag = cli("docs", "--select", "FM", "--schema", "schemas/team.json", "--format", "json")
    assert flag.json["diagnostics"] == result.json["diagnostics"]


def test_schema_per_glob(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            "team.json": CUSTOM_SCHEMA,
            ".nemo-docs-lint.toml": '[schemas]\n"curator/**" = "team.json"\n',
            "docs/curator/a.md": "---\ntitle: Fine\ncontent_type: workflow\n---\n# T\n",
            "docs/b.md": GOOD_PAGE,
        },
    )
    assert cli("docs", "--select", "FM", "--format", "json").json["diagnostics"] == []


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (None, "cannot read schema"),
        ("{not json", "is not valid JSON"),
        ('{"type": 12}', "is not a valid JSON Schema"),
    ],
)
def test_bad_schema_exits_2(tmp_path: Path, cli, schema: str | None, message: str) -> None:
    files = {"docs/a.md": GOOD_PAGE}
    if schema is not None:
        files["team.json"] = schema
    write_tree(tmp_path, files)
    result = cli("docs", "--schema", "team.json")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("select", [(), ("--select", "LNK")])
def test_a_missing_schema_file_is_an_error_whatever_runs(tmp_path: Path, cli, select) -> None:
    write_tree(tmp_path, {"docs/conf.py": "", "docs/index.md": "# Home\n"})
    (tmp_path / "docs" / ".nemo-docs-lint.toml").write_text('schema = "nope.json"\n')
    result = cli("docs", *select)
    assert result.exit_code == 2
    missing = tmp_path / "docs" / "nope.json"
    assert result.stderr == (
        f"nemo-docs-lint: error: cannot read schema {missing}: No such file or directory\n"
    )
