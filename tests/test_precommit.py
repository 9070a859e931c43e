"""The pre-commit hooks, run by the real `pre-commit` in a temporary git repository.

Offline by design: the project's `.pre-commit-hooks.yaml` says `language: python`, for which
pre-commit builds a fresh virtualenv and pip-installs this repository and its dependencies from an
index — that needs the network (and `pre-commit try-repo` would do the same). The test therefore
copies each hook definition from `.pre-commit-hooks.yaml` unchanged into a `repo: local`
configuration, overriding only `language` (to `unsupported`, called `system` before pre-commit
4.4) and the executable in `entry` (the `nemo-docs-lint` installed beside this interpreter). File
filters, `require_serial`, `pass_filenames`, `stages` and the entry's arguments are the shipped
ones, and the commits go through the installed git hook exactly as a user's would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from integration_support import REPO, copy_fixture

BIN = Path(sys.executable).parent
LINTER = BIN / "nemo-docs-lint"
PRE_COMMIT = BIN / "pre-commit"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(
        not PRE_COMMIT.exists() or not LINTER.exists(),
        reason=f"pre-commit and nemo-docs-lint must be in {BIN}: pip install -e '.[test]'",
    ),
]


def _hooks() -> list[dict]:
    return yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def _local_language() -> str:
    try:
        import pre_commit.languages.unsupported  # noqa: F401  (pre-commit >= 4.4)
    except ImportError:
        return "system"
    return "unsupported"


def _local_config() -> str:
    hooks = []
    for hook in _hooks():
        local = dict(hook)
        executable, _, arguments = hook["entry"].partition(" ")
        assert executable == "nemo-docs-lint"
        local["entry"] = f"{LINTER} {arguments}".strip()
        local["language"] = _local_language()
        if hook["id"] == "nemo-docs-lint-links":
            local["args"] = ["docs"]  # as the README shows: the docs root to check
        hooks.append(local)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


class GitRepo:
    def __init__(self, root: Path, home: Path) -> None:
        self.root = root
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GIT_", "GITHUB_", "PRE_COMMIT"))
        }
        self.env.update(
            {
                "HOME": str(home),
                "PRE_COMMIT_HOME": str(home / "pre-commit-cache"),
                "GIT_CONFIG_NOSYSTEM": "1",
                "NO_COLOR": "1",
                "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            }
        )

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            args, cwd=self.root, env=self.env, capture_output=True, text=True, timeout=120
        )
        if check:
            assert proc.returncode == 0, f"{args}: {proc.stdout}\n{proc.stderr}"
        return proc

    def commit(self, message: str, *extra: str) -> tuple[int, str]:
        """Commit through the installed git hook; return the exit code and all output."""
        proc = self.run("git", "commit", "-m", message, *extra, check=False)
        return proc.returncode, proc.stdout + proc.stderr

    def head(self) -> str:
        return self.run("git", "rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    root = tmp_path / "project"
    root.mkdir()
    repo = GitRepo(root, tmp_path / "home")
    repo.run("git", "init", "-q", "-b", "main")
    for key, value in (
        ("user.name", "Docs Writer"),
        ("user.email", "docs@example.com"),
        ("commit.gpgsign", "false"),
    ):
        repo.run("git", "config", key, value)
    copy_fixture(root, git=False)
    (root / ".pre-commit-config.yaml").write_text(_local_config(), encoding="utf-8")
    repo.run(str(PRE_COMMIT), "install")
    return repo


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_hook_definitions() -> None:
    lint, links = _hooks()
    assert lint["id"] == "nemo-docs-lint" and lint["require_serial"] is True
    assert lint["entry"] == "nemo-docs-lint --changed" and lint["always_run"] is True
    assert set(lint["types_or"]) == {"markdown", "rst"}
    assert lint.get("pass_filenames", True) is True
    assert links["id"] == "nemo-docs-lint-links" and links["stages"] == ["manual"]
    assert links["pass_filenames"] is False and links["always_run"] is True
    assert "--external" in links["entry"]


def test_readme_config_names_the_shipped_hooks(tmp_path: Path) -> None:
    from pre_commit.clientlib import load_config

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [block] = [
        b
        for b in re.findall(r"```yaml\n(.+?)```", readme, re.S)
        if b.startswith("# .pre-commit-config.yaml")
    ]
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(block, encoding="utf-8")
    [repo] = load_config(str(path))["repos"]
    assert repo["repo"].endswith("/nemo-docs-lint")
    assert {hook["id"] for hook in repo["hooks"]} == {hook["id"] for hook in _hooks()}


def test_commit_outcomes(repo: GitRepo) -> None:
    docs = repo.root / "docs"
    # 1. a clean tree commits
    repo.run("git", "add", ".")
    code, output = repo.commit("Add docs")
    assert code == 0, output
    assert re.search(r"^nemo-docs-lint\.+Passed$", output, re.M), output
    print("clean commit:", output, sep="\n")
    first = repo.head()

    # 2. breaking a link in guide.md fails the commit with guide.md's diagnostic
    _edit(docs / "guide.md", "[the details](other.md#details)", "[the details](othr.md#details)")
    repo.run("git", "add", "docs/guide.md")
    code, output = repo.commit("Break a link")
    assert code != 0
    print("broken link:", output, sep="\n")
    assert re.search(r"^nemo-docs-lint\.+Failed$", output, re.M), output
    assert re.search(r"^docs/guide\.md:15:\d+: error LNK001 .*othr\.md", output, re.M), output
    assert repo.head() == first  # nothing was committed

    # 3. with that problem already in the tree (committed without the hook), a commit touching
    #    only an unrelated page passes: the whole tree is indexed, only other.md is reported
    assert repo.commit("Known problem", "--no-verify")[0] == 0
    _edit(docs / "other.md", "Details live here.", "Details live here, and more.")
    repo.run("git", "add", "docs/other.md")
    code, output = repo.commit("Touch an unrelated page")
    assert code == 0, output
    print("unrelated page:", output, sep="\n")
    assert re.search(r"^nemo-docs-lint\.+Passed$", output, re.M) and "LNK001" not in output

    # ... while the whole tree still reports the problem
    everything = repo.run(str(PRE_COMMIT), "run", "--all-files", check=False)
    assert everything.returncode != 0 and "docs/guide.md:15:" in everything.stdout


def test_links_hook_does_not_run_on_commit(repo: GitRepo) -> None:
    repo.run("git", "add", ".")
    code, output = repo.commit("Add docs")
    assert code == 0, output
    assert "external links" not in output
    # it runs when asked for (the fixture has no http links, so this stays offline)
    manual = repo.run(
        str(PRE_COMMIT), "run", "--hook-stage", "manual", "nemo-docs-lint-links", check=False
    )
    assert manual.returncode == 0, manual.stdout + manual.stderr
    assert re.search(r"^nemo-docs-lint external links\.+Passed$", manual.stdout, re.M)


def test_renaming_or_deleting_a_linked_page_fails_the_hook(repo: GitRepo) -> None:
    docs = repo.root / "docs"
    repo.run("git", "add", ".")
    assert repo.commit("Add docs")[0] == 0
    first = repo.head()

    # a rename: pre-commit passes the new path; the breakage is in the page linking to it
    repo.run("git", "mv", "docs/other.md", "docs/moved.md")
    code, output = repo.commit("Rename a linked page")
    print("rename:", output, sep="\n")
    assert code != 0 and repo.head() == first
    assert re.search(r"^nemo-docs-lint\.+Failed$", output, re.M), output
    assert re.search(r"^docs/guide\.md:15:\d+: error LNK001 .*other\.md", output, re.M), output
    assert (
        "nemo-docs-lint: hint: 3 problems refer to files git shows renamed "
        "(other.md -> moved.md); `nemo-docs-lint --fix` on the docs tree rewrites them"
    ) in output

    # `--fix` rewrites the reference from git's rename; then the commit passes
    fixed = repo.run(str(LINTER), "docs", "--fix", "--select", "LNK", check=False)
    assert "guide.md:15:19: `other.md#details` -> `moved.md#details`" in fixed.stderr, fixed.stderr
    repo.run("git", "add", "docs")
    code, output = repo.commit("Rename a linked page, links rewritten")
    assert code == 0, output
    assert "[the details](moved.md#details)" in (docs / "guide.md").read_text(encoding="utf-8")

    # a commit that only deletes (pre-commit passes no file name) still runs and fails
    repo.run("git", "rm", "-q", "docs/moved.md")
    code, output = repo.commit("Delete a linked page")
    print("delete:", output, sep="\n")
    assert code != 0
    assert re.search(r"^nemo-docs-lint\.+Failed$", output, re.M), output
    assert re.search(r"^docs/guide\.md:15:\d+: error LNK001 .*moved\.md", output, re.M), output

    # ... and a commit that touches no docs at all passes without linting anything
    repo.run("git", "reset", "-q", "--hard")
    (repo.root / "setup.cfg").write_text("[metadata]\n", encoding="utf-8")
    repo.run("git", "add", "setup.cfg")
    code, output = repo.commit("No docs change")
    assert code == 0, output


def test_links_hook_runs_only_the_external_checks(repo: GitRepo, httpserver) -> None:
    """The manual links hook reports broken external links, not the offline rules again."""
    httpserver.expect_request("/ok").respond_with_data("fine")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    docs = repo.root / "docs"
    _edit(docs / "guide.md", "[the details](other.md#details)", "[the details](othr.md#details)")
    with (docs / "other.md").open("a", encoding="utf-8") as page:
        page.write(
            f"\n[up]({httpserver.url_for('/ok')}) and [down]({httpserver.url_for('/gone')})\n"
        )
    offline = repo.run(str(LINTER), "docs", check=False)
    assert "LNK001" in offline.stdout  # the tree has an offline problem ...
    manual = repo.run(
        str(PRE_COMMIT), "run", "--hook-stage", "manual", "nemo-docs-lint-links", check=False
    )
    output = manual.stdout + manual.stderr
    assert manual.returncode == 1, output
    assert re.search(r"^docs/other\.md:\d+:\d+: .*EXT001 .*/gone", output, re.M), output
    assert "LNK001" not in output and "/ok" not in output  # ... the links hook does not report
