"""One JSON Schema for the whole configuration: validated on every run, every error at once,
printed by `nemo-docs-lint config --schema`, shipped in the wheel, usable by editors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import GOOD_PAGE, write_tree

REPO = Path(__file__).resolve().parents[1]


def _tree(tmp_path: Path, config: str, name: str = ".nemo-docs-lint.toml") -> Path:
    return write_tree(tmp_path, {name: config, "docs/conf.py": "", "docs/index.md": GOOD_PAGE})


def test_external_settings_are_checked_on_an_offline_run(tmp_path: Path, cli) -> None:
    _tree(tmp_path, "[external]\nconcurency = 3\n")
    run = cli("docs")  # no --external: the typo is still an error
    assert run.exit_code == 2, run.stdout
    assert run.stderr == (
        "nemo-docs-lint: error: .nemo-docs-lint.toml: unknown key `external.concurency`; "
        "did you mean `concurrency`?\n"
    )


def test_every_error_at_once_with_file_key_and_allowed_values(tmp_path: Path, cli) -> None:
    config = (
        "[tool.nemo-docs-lint]\n"
        'fail-on = "fatal"\n'
        'selectt = ["FM"]\n'
        "[tool.nemo-docs-lint.external]\n"
        'timeout = "slow"\n'
        "[tool.nemo-docs-lint.severity]\n"
        'FM007 = "loud"\n'
    )
    _tree(tmp_path, config, "pyproject.toml")
    run = cli("docs")
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "nemo-docs-lint: error: pyproject.toml: 4 problems in [tool.nemo-docs-lint]",
        "nemo-docs-lint: error: pyproject.toml: `external.timeout` = 'slow': expected a number",
        "nemo-docs-lint: error: pyproject.toml: `fail-on` = 'fatal' is not allowed; "
        "allowed: error | warning | note",
        "nemo-docs-lint: error: pyproject.toml: unknown key `selectt`; did you mean `select`?",
        "nemo-docs-lint: error: pyproject.toml: `severity.FM007` = 'loud' is not allowed; "
        "allowed: error | warning | note",
    ]


def test_config_option_accepts_a_file_with_a_tool_table(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            "custom.toml": '[tool.nemo-docs-lint]\nselect = ["FM007"]\n',
            "docs/conf.py": "",
            "docs/index.md": GOOD_PAGE.replace("---\n\n#", "owner: me\n---\n\n#"),
        },
    )
    run = cli("docs", "--config", "custom.toml", "--format", "json")
    assert [d["code"] for d in run.json["diagnostics"]] == ["FM007"]
    typo = tmp_path / "typo.toml"
    typo.write_text('[tool.nemo-docs-lint]\nselct = ["FM"]\n')
    assert "unknown key `selct`" in cli("docs", "--config", "typo.toml").stderr


def test_rule_options_are_an_extension_point_the_registry_fills() -> None:
    from nemo_docs_lint.config import ConfigError, validate_settings
    from nemo_docs_lint.config_schema import config_schema

    options = {"XX001": {"type": "object", "properties": {"max": {"type": "integer"}}}}
    schema = config_schema(options)
    assert schema["properties"]["rules"]["properties"]["XX001"]["properties"]["max"]
    validate_settings({"rules": {"XX001": {"max": 3}}}, "a.toml", schema)
    with pytest.raises(ConfigError, match=r"`rules.XX001.max` = 'many': expected an integer"):
        validate_settings({"rules": {"XX001": {"max": "many"}}}, "a.toml", schema)
    # a rule without options (every rule today) takes no table
    with pytest.raises(ConfigError, match=r"unknown key `rules.FM004`"):
        validate_settings({"rules": {"FM004": {"x": 1}}}, "a.toml")


def test_groups_file_is_part_of_the_schema_and_reports_every_error(tmp_path: Path) -> None:
    from nemo_docs_lint.config_schema import config_schema
    from nemo_docs_lint.dashboard import GroupsError, load_groups

    assert "groups-file" in config_schema()["$defs"]
    path = tmp_path / "groups.toml"
    path.write_text(
        '[[group]]\nname = "A"\npriority = "urgent"\nfiles = ["a.md"]\n'
        '[[group]]\nname = "B"\nfile = ["b.md"]\n'
    )
    with pytest.raises(GroupsError) as caught:
        load_groups(path)
    assert str(caught.value).splitlines() == [
        f"{path}: 3 problems",
        f"{path}: `group.0.priority` = 'urgent' is not allowed; allowed: high | medium | low",
        f"{path}: `group.1`: missing required key `files`",
        f"{path}: unknown key `group.1.file`; did you mean `files`?",
    ]


def test_config_schema_command_prints_the_shipped_schema(cli) -> None:
    run = cli("config", "--schema")
    assert run.exit_code == 0
    printed = json.loads(run.stdout)
    shipped = json.loads((REPO / "schemas" / "config.schema.json").read_text())
    assert printed["$id"] == shipped["$id"]
    assert set(printed["properties"]) == set(shipped["properties"])
    assert "concurrency" in printed["properties"]["external"]["properties"]


def test_schema_command_prints_the_default_frontmatter_schema(cli) -> None:
    run = cli("schema")
    assert run.exit_code == 0
    assert run.stdout == (REPO / "schemas" / "frontmatter.schema.json").read_text()


def test_readme_configuration_validates_against_the_schema_with_check_jsonschema(
    tmp_path: Path, cli
) -> None:
    """What an editor (Taplo) or CI would do with the printed schema: check-jsonschema reads
    the README's `[tool.nemo-docs-lint]` example and accepts it; a typo it rejects."""
    import re

    import tomllib

    readme = (REPO / "README.md").read_text()
    block = next(b for b in re.findall(r"```toml\n(.+?)```", readme, re.S) if "fail-on" in b)
    table = tomllib.loads(block)["tool"]["nemo-docs-lint"]
    schema = tmp_path / "config.schema.json"
    schema.write_text(cli("config", "--schema").stdout)
    checker = Path(sys.executable).with_name("check-jsonschema")
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(table))
    bad.write_text(json.dumps({**table, "fail-on": "fatal"}))
    ok = subprocess.run([checker, "--schemafile", schema, good], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    no = subprocess.run([checker, "--schemafile", schema, bad], capture_output=True, text=True)
    assert no.returncode == 1 and "fatal" in no.stdout + no.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_wheel_ships_both_schemas(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="pip install hatchling to build the wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("nemo_docs_lint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "nemo_docs_lint/schemas/config.schema.json" in names
    assert "nemo_docs_lint/schemas/frontmatter.schema.json" in names


def test_config_command_checks_and_prints_the_configuration(tmp_path: Path, cli) -> None:
    _tree(tmp_path, 'select = ["FM"]\n')
    run = cli("config")
    assert run.exit_code == 0
    assert json.loads(run.stdout) == {"select": ["FM"]}
    assert run.stderr == f"nemo-docs-lint: {tmp_path / '.nemo-docs-lint.toml'}: valid\n"
    (tmp_path / ".nemo-docs-lint.toml").write_text('fail-on = "fatal"\n')
    bad = cli("config")
    assert bad.exit_code == 2 and "allowed: error | warning | note" in bad.stderr
