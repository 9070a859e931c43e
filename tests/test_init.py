"""`nemo-docs-lint init`: a config, a frontmatter schema inferred from the tree (drift flagged,
not enumerated), pre-commit hooks and a GitHub workflow; on copies of the example tree and the
corpus."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from helpers import run_process, subprocess_env

from nemo_docs_lint.infer import infer_schema, near_duplicate

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "docs"
CORPUS = Path(
    os.environ.get("NEMO_DOCS_LINT_CORPUS")
    or REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
)
BIN = Path(sys.executable).parent


_cli = run_process


def _project(tmp_path: Path, docs: Path) -> Path:
    """A repository root holding a copy of `docs` at docs/."""
    project = tmp_path / "project"
    shutil.copytree(docs, project / "docs")
    (project / ".git").mkdir()
    return project


def _fm004(project: Path) -> set[tuple[str, str]]:
    run = _cli(project, "--select", "FM004", "--format", "json", "--no-cache")
    assert run.returncode in (0, 1), run.stderr
    return {(d["path"], d["message"]) for d in json.loads(run.stdout)["diagnostics"]}


# -- inference ---------------------------------------------------------------------------------


def test_near_duplicates() -> None:
    assert near_duplicate("howto", "how-to")
    assert near_duplicate("Data Scientists", "data-scientist-focused")
    assert near_duplicate("Tutorials", "tutorial")
    assert near_duplicate("intermedate", "intermediate")
    assert near_duplicate("persona", "personas")
    assert not near_duplicate("video-only", "audio-only")
    assert not near_duplicate("concept", "tutorial")
    assert not near_duplicate("how-to", "how-to")


def test_inferred_schema_types_vocabularies_required_lengths_and_drift() -> None:
    pages = [
        {"title": f"Page {i}", "content_type": "how-to", "tags": ["a", "b"], "personas": ["mle"]}
        for i in range(6)
    ]
    pages += [
        {"title": "Other", "content_type": "tutorial", "tags": ["a", "b", "c"], "weight": 3},
        {"title": "Odd", "content_type": "howto", "tags": ["c", "d"], "personas": ["MLEs"]},
        {"title": "Odd 2", "content_type": "concept", "tags": ["e", "f"], "persona": ["x"]},
    ]
    inference = infer_schema(pages)
    schema = inference.schema
    assert schema["required"] == ["content_type", "tags", "title", "personas"]
    props = schema["properties"]
    assert props["content_type"]["enum"] == ["how-to", "concept", "tutorial"]  # howto: drift
    assert props["content_type"]["$comment"] == "how-to (6), concept (1), tutorial (1)"
    assert props["title"] == {"description": "On 9 of 9 pages.", "type": "string"}  # free text
    assert props["tags"]["minItems"] == 2 and props["tags"]["maxItems"] == 3
    assert props["tags"]["uniqueItems"] is True
    assert props["weight"]["type"] == "integer"
    assert "persona" not in props and schema["additionalProperties"] is False
    assert "orphan" in props  # Sphinx's own keys are always allowed
    drift = {(d.key, d.value, d.likely) for d in inference.drift}
    assert drift == {
        ("content_type", "howto", "how-to"),
        ("personas", "MLEs", "mle"),
        ("", "persona", "personas"),
    }


# -- end to end --------------------------------------------------------------------------------


def test_init_on_the_example_tree(tmp_path: Path) -> None:
    project = _project(tmp_path, EXAMPLE)
    before = _fm004(project)  # the shipped default schema: NeMo's taxonomy, not this tree's
    run = _cli(project, "init")  # stdin is not a terminal: no questions, the defaults
    assert run.returncode == 0, run.stderr
    assert "?" not in run.stdout
    for name in (
        ".nemo-docs-lint.toml",
        "docs/frontmatter.schema.json",
        ".pre-commit-config.yaml",
        ".github/workflows/docs-lint.yml",
    ):
        assert (project / name).is_file(), name
        assert f"created {name}" in run.stderr
    assert "`Researchers` (1 page) looks like `researcher-focused` (3 pages)" in run.stderr
    assert "key `persona` (1 page) looks like `personas` (9 pages)" in run.stderr

    after = _fm004(project)
    assert {path for path, _ in after} == {"docs/guides/training-algorithms/grpo.md"}, after
    [(_, message)] = after
    assert "'Researchers' is not allowed; did you mean 'researcher-focused'?" in message
    assert len(before) > len(after)
    fm007 = _cli(project, "--select", "FM007", "--format", "json", "--no-cache")
    assert [d["message"] for d in json.loads(fm007.stdout)["diagnostics"]] == [
        "unknown key `persona`; did you mean `personas`?"
    ]

    precommit = subprocess.run(
        [BIN / "pre-commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert precommit.returncode == 0, precommit.stdout + precommit.stderr
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == ["nemo-docs-lint", "nemo-docs-lint-links"]
    assert hooks[0]["files"] == "^docs/"
    workflow = subprocess.run(
        [
            BIN / "check-jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            ".github/workflows/docs-lint.yml",
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert workflow.returncode == 0, workflow.stdout + workflow.stderr


@pytest.mark.skipif(not (CORPUS / "conf.py").is_file(), reason=f"corpus not found at {CORPUS}")
def test_init_on_the_corpus(tmp_path: Path) -> None:
    project = _project(tmp_path, CORPUS)
    page = project / "docs" / "core-design" / "index.md"
    text = page.read_text(encoding="utf-8")
    assert 'content_type: "concept"' in text
    page.write_text(text.replace('content_type: "concept"', 'content_type: "Concepts"'))
    run = _cli(project, "init")
    assert run.returncode == 0, run.stderr
    assert "content_type: `Concepts` (1 page) looks like `concept` (14 pages)" in run.stderr
    schema = json.loads((project / "docs" / "frontmatter.schema.json").read_text())
    assert set(schema["properties"]["modality"]["enum"]) == {
        "universal",
        "conversational",
        "scientific",
    }
    # every value the tree uses consistently is allowed; the drift is reported, nothing else
    assert {p for p, _ in _fm004(project)} == {"docs/core-design/index.md"}


def test_init_never_overwrites_without_force_and_diff_writes_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path, EXAMPLE)
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    (project / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n"
        "    hooks:\n      - id: trailing-whitespace\n"
    )
    preview = _cli(project, "init", "--diff")
    assert preview.returncode == 0, preview.stderr
    assert "+++ b/docs/frontmatter.schema.json" in preview.stdout
    assert "+[tool.nemo-docs-lint]" in preview.stdout
    assert not (project / "docs" / "frontmatter.schema.json").exists()
    assert (project / "pyproject.toml").read_text() == '[project]\nname = "demo"\n'

    first = _cli(project, "init")
    assert first.returncode == 0, first.stderr
    pyproject = (project / "pyproject.toml").read_text()
    assert pyproject.startswith('[project]\nname = "demo"\n\n[tool.nemo-docs-lint]\n')
    assert "updated pyproject.toml" in first.stderr
    assert not (project / ".nemo-docs-lint.toml").exists()
    repos = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"]
    assert [r["repo"].rsplit("/", 1)[-1] for r in repos] == ["pre-commit-hooks", "nemo-docs-lint"]

    schema = project / "docs" / "frontmatter.schema.json"
    schema.write_text("{}\n")
    again = _cli(project, "init")
    assert again.returncode == 0
    assert "kept docs/frontmatter.schema.json (it exists; --force replaces it)" in again.stderr
    assert schema.read_text() == "{}\n"
    assert (project / "pyproject.toml").read_text() == pyproject
    forced = _cli(project, "init", "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(schema.read_text())["properties"]
    assert (project / "pyproject.toml").read_text() == pyproject  # replaced by the same table


def test_init_asks_on_a_terminal(tmp_path: Path) -> None:
    project = _project(tmp_path, EXAMPLE)
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal on stdin and stdout
        os.chdir(project)
        os.execve(
            sys.executable,
            [sys.executable, "-m", "nemo_docs_lint", "init"],
            {**subprocess_env(), "COLUMNS": "100"},
        )
    transcript = b""

    def expect(text: bytes, timeout: float = 30) -> None:
        nonlocal transcript
        deadline = time.monotonic() + timeout
        while text not in transcript:
            remaining = deadline - time.monotonic()
            assert remaining > 0, transcript.decode(errors="replace")
            if select.select([fd], [], [], remaining)[0]:
                try:
                    transcript += os.read(fd, 4096)
                except OSError:
                    break

    expect(b"Docs root [docs]: ")
    os.write(fd, b"\n")
    expect(b"Configuration file (pyproject.toml, .nemo-docs-lint.toml) [.nemo-docs-lint.toml]: ")
    os.write(fd, b"pyproject.toml\n")
    expect(b"Add the pre-commit hooks to .pre-commit-config.yaml? [Y/n]: ")
    os.write(fd, b"n\n")
    expect(b"Write the GitHub workflow .github/workflows/docs-lint.yml? [Y/n]: ")
    os.write(fd, b"\n")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, transcript.decode(errors="replace")
    assert (project / "pyproject.toml").read_text().startswith("[tool.nemo-docs-lint]\n")
    assert not (project / ".pre-commit-config.yaml").exists()
    assert (project / ".github" / "workflows" / "docs-lint.yml").is_file()
