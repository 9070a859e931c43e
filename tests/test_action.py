"""The composite GitHub Action: valid metadata, and its lint step run as a runner would run it.

The install step needs the network (pip installs the action's checkout and its dependencies), so
the test runs the lint step only, with the `PATH` the install step would leave behind (this
interpreter's `bin`, where `nemo-docs-lint` is installed) and the environment GitHub sets.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from integration_support import REPO, copy_fixture, make_problem_repo, validate_with_schema

ACTION = REPO / "action.yml"
BIN = Path(sys.executable).parent
_EXPR = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")


def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    # The built-in schema is vendored in check-jsonschema: no network (a dead proxy proves it).
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    return subprocess.run(
        [exe, "--builtin-schema", "vendor.github-actions", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_metadata_is_valid() -> None:
    result = _check_jsonschema(ACTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_catches_a_broken_action(tmp_path: Path) -> None:
    broken = _action()
    del broken["runs"]["using"]
    path = tmp_path / "action.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert _check_jsonschema(path).returncode != 0


def _readme_yaml(marker: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```yaml\n(.+?)```", readme, re.S) if b.startswith(marker)]
    return block


def test_readme_workflow_is_valid_and_uses_the_action(tmp_path: Path) -> None:
    workflow = tmp_path / "docs-lint.yml"
    workflow.write_text(_readme_yaml("# .github/workflows/"), encoding="utf-8")
    exe = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    result = subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    steps = yaml.safe_load(workflow.read_text())["jobs"]["lint"]["steps"]
    [ours] = [s for s in steps if s.get("uses", "").startswith("nemo-docs-lint/nemo-docs-lint@")]
    assert set(ours["with"]) <= set(_action()["inputs"])
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)


def test_inputs_and_steps() -> None:
    action = _action()
    assert set(action["inputs"]) >= {"path", "format", "sarif-file", "fail-on", "baseline"}
    assert action["runs"]["using"] == "composite"
    install, lint = action["runs"]["steps"]
    assert lint["id"] == "lint" and lint["shell"] == install["shell"] == "bash"
    assert "$GITHUB_ACTION_PATH" in install["run"] and "$GITHUB_PATH" in install["run"]
    # inputs reach the scripts through env only (no `${{ }}` pasted into shell code)
    for step in action["runs"]["steps"]:
        assert "${{" not in step["run"]


def run_lint_step(workspace: Path, tmp_path: Path, **inputs: str) -> tuple[int, str, dict]:
    """Run the action's lint step with GitHub's environment; return code, stdout, files."""
    action = _action()
    [step] = [s for s in action["runs"]["steps"] if s.get("id") == "lint"]
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update({name.replace("_", "-"): value for name, value in inputs.items()})
    step_env = {
        key: _EXPR.sub(lambda m: values[m.group(1)], val) for key, val in step["env"].items()
    }
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    files = {name: runner / name for name in ("step_summary.md", "output.txt", "path.txt")}
    for path in files.values():
        path.write_text("", encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GITHUB_", "RUNNER_", "NDL_"))
    }
    env.update(
        {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(REPO),
            "GITHUB_STEP_SUMMARY": str(files["step_summary.md"]),
            "GITHUB_OUTPUT": str(files["output.txt"]),
            "GITHUB_PATH": str(files["path.txt"]),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "octo/docs",
            "GITHUB_SHA": "0123456789abcdef",
            "RUNNER_TEMP": str(runner),
            "NO_COLOR": "1",
            # what the install step's `echo "$bin" >> "$GITHUB_PATH"` does for later steps
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            **step_env,
        }
    )
    script = runner / "lint-step.sh"
    script.write_text(step["run"], encoding="utf-8")
    # exactly how a runner runs `shell: bash`
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    outputs = dict(
        line.split("=", 1) for line in files["output.txt"].read_text().splitlines() if line
    )
    return (
        proc.returncode,
        proc.stdout + proc.stderr,
        {
            "summary": files["step_summary.md"].read_text(encoding="utf-8"),
            "outputs": outputs,
        },
    )


def test_lint_step_annotates_summarises_and_writes_sarif(tmp_path: Path) -> None:
    workspace = make_problem_repo(tmp_path)
    code, log, files = run_lint_step(workspace, tmp_path, sarif_file="results/docs.sarif")
    assert code == 1, log
    assert re.search(
        r"^::error file=docs/guide\.md,line=\d+,.*title=LNK001 broken-link::", log, re.M
    )
    assert "## nemo-docs-lint" in files["summary"]
    assert (
        "](https://github.com/octo/docs/blob/0123456789abcdef/docs/guide.md?plain=1#L"
        in files["summary"]
    )
    assert files["outputs"] == {"exit-code": "1", "sarif-file": "results/docs.sarif"}
    sarif = json.loads((workspace / "results" / "docs.sarif").read_text(encoding="utf-8"))
    validate_with_schema(sarif)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"docs/guide.md"}


def test_lint_step_on_a_clean_tree(tmp_path: Path) -> None:
    workspace = tmp_path / "clean"
    copy_fixture(workspace)
    code, log, files = run_lint_step(workspace, tmp_path)
    assert code == 0, log
    assert "::error" not in log
    assert "No problems in 3 files checked" in files["summary"]
    assert files["outputs"] == {"exit-code": "0", "sarif-file": ""}


def test_lint_step_with_baseline_and_fail_on(tmp_path: Path) -> None:
    workspace = make_problem_repo(tmp_path)
    subprocess.run(
        [str(BIN / "nemo-docs-lint"), "docs", "--write-baseline", "docs-baseline.json"],
        cwd=workspace,
        check=True,
        capture_output=True,
    )
    code, log, files = run_lint_step(workspace, tmp_path, baseline="docs-baseline.json")
    assert code == 0, log
    assert "known problems hidden by the baseline" in files["summary"]
    # a warning-only problem fails with fail-on: warning, passes with the default
    guide = workspace / "docs" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("tags:", "owner: me\ntags:"))
    assert run_lint_step(workspace, tmp_path, baseline="docs-baseline.json")[0] == 0
    code, log, _ = run_lint_step(
        workspace, tmp_path, baseline="docs-baseline.json", fail_on="warning"
    )
    assert code == 1 and "::warning file=docs/guide.md" in log


def test_config_error_is_exit_code_2(tmp_path: Path) -> None:
    workspace = make_problem_repo(tmp_path)
    code, log, files = run_lint_step(
        workspace, tmp_path, baseline="missing.json", sarif_file="out.sarif"
    )
    assert code == 2 and "does not exist" in log
    assert files["outputs"] == {"exit-code": "2", "sarif-file": ""}
