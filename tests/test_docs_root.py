"""The docs root of a folder argument: found as for file arguments, reported only under the
folder named; said out loud when there is no conf.py; no documents is not an error."""

from __future__ import annotations

from pathlib import Path

from helpers import GOOD_PAGE, write_tree

NO_FM = "# Title\n\nText.\n"
TOCTREE = "\n```{toctree}\nguide/index\nother\n```\n"


def _repo(tmp_path: Path) -> Path:
    """A repository: README.md and a scripts folder at the top, the docs tree in docs/."""
    files = {
        ".git/HEAD": "ref: refs/heads/main\n",
        "README.md": NO_FM,
        "scripts/notes.md": NO_FM,
        "docs/conf.py": "",
        "docs/index.md": GOOD_PAGE + TOCTREE,
        "docs/other.md": NO_FM,  # FM001
        "docs/guide/index.md": GOOD_PAGE + "\n```{toctree}\na\n```\n",
        "docs/guide/a.md": GOOD_PAGE + "\n[gone](missing.md)\n",  # LNK001
    }
    write_tree(tmp_path, files)
    return tmp_path


def _found(run) -> set[tuple[str, str]]:
    return {(d["path"], d["code"]) for d in run.json["diagnostics"]}


def test_repository_root_lints_the_docs_tree_below_it(tmp_path: Path, cli) -> None:
    _repo(tmp_path)
    run = cli(".", "--format", "json")
    assert _found(run) == {("docs/other.md", "FM001"), ("docs/guide/a.md", "LNK001")}
    assert run.stderr == ""


def test_subfolder_is_linted_as_part_of_its_tree(tmp_path: Path, cli) -> None:
    """Before: docs/guide became a root of its own, and its pages orphans and unreachable."""
    _repo(tmp_path)
    run = cli("docs/guide", "--format", "json")
    assert _found(run) == {("docs/guide/a.md", "LNK001")}
    assert run.json["files_checked"] == 2 and run.json["files_in_tree"] == 4
    assert run.stderr == ""


def test_config_root_is_used_for_a_folder_above_it(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.nemo-docs-lint]\nroot = "site-docs"\n',
            "README.md": NO_FM,
            "site-docs/conf.py": "",
            "site-docs/index.md": GOOD_PAGE,
            "site-docs/bad.md": NO_FM + "\n```{toctree}\n```\n",
        },
    )
    run = cli(".", "--format", "json", "--select", "FM001")
    assert _found(run) == {("site-docs/bad.md", "FM001")}
    assert run.stderr == ""


def test_no_conf_py_anywhere_is_said_once(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, {"notes/a.md": GOOD_PAGE, "notes/b/c.md": NO_FM})
    run = cli("notes", "--select", "FM")
    assert run.exit_code == 1
    assert run.stderr == (
        "nemo-docs-lint: warning: no conf.py in notes or above it (nor in docs/ or doc/ below "
        "it); linting notes as a docs tree with Sphinx's defaults\n"
    )
    assert "notes/b/c.md:1:1: error FM001" in run.stdout


def test_no_documents_is_said_and_exits_0(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, {"empty/conf.py": "", "docs/conf.py": "", "docs/images/x.png": "png"})
    run = cli("empty")
    assert run.exit_code == 0
    assert run.stderr == "nemo-docs-lint: warning: no documents found in empty\n"
    write_tree(tmp_path, {"docs/index.md": GOOD_PAGE})
    run = cli("docs/images")
    assert run.exit_code == 0
    assert run.stderr == (
        "nemo-docs-lint: warning: no documents found in docs/images (the docs tree is docs)\n"
    )
