"""`--write-baseline` / `--baseline`: adopt the linter on a tree with existing problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from integration_support import make_problem_repo

from nemo_docs_lint.engine import LintRequest, lint


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_problem_repo(tmp_path)


def _write(cli, repo: Path, *args: str) -> dict:
    result = cli("docs", "--write-baseline", "baseline.json", *args, cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stderr
    return json.loads((repo / "baseline.json").read_text(encoding="utf-8"))


def _check(cli, repo: Path, *args: str):
    return cli("docs", "--baseline", "baseline.json", "--format", "json", *args, cwd=repo)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_file_is_sorted_stable_and_reviewable(cli, repo: Path) -> None:
    document = _write(cli, repo)
    first = (repo / "baseline.json").read_bytes()
    _write(cli, repo)
    assert (repo / "baseline.json").read_bytes() == first
    entries = document["entries"]
    assert document["version"] == 1 and len(entries) >= 4
    keys = [(e["path"], e["code"], e["fingerprint"], e["message"]) for e in entries]
    assert keys == sorted(keys)
    assert all(set(e) == {"code", "path", "fingerprint", "message"} for e in entries)
    assert all(e["path"] == "docs/guide.md" for e in entries)  # repository-relative
    assert "line" not in first.decode()  # no line numbers: they move
    assert first.decode() == json.dumps(document, indent=2, sort_keys=True) + "\n"


def test_known_problems_are_hidden(cli, repo: Path) -> None:
    _write(cli, repo)
    result = _check(cli, repo)
    assert result.exit_code == 0, result.stdout
    assert result.json["diagnostics"] == []


def test_inserting_lines_above_keeps_problems_known(cli, repo: Path) -> None:
    _write(cli, repo)
    guide = repo / "docs" / "guide.md"
    _edit(guide, "categories:", "# reviewed in May\ncategories:")  # above the frontmatter problems
    _edit(guide, "# Guide\n", "# Guide\n\nA new paragraph\nover two lines.\n\n  Indented.\n")
    assert _check(cli, repo).json["diagnostics"] == []
    # re-indenting the offending line keeps it known as well
    _edit(guide, "See [the details]", "   See   [the details]")
    assert _check(cli, repo).json["diagnostics"] == []


def test_new_problem_of_the_same_code_is_reported(cli, repo: Path) -> None:
    _write(cli, repo)
    guide = repo / "docs" / "guide.md"
    _edit(guide, "# Guide\n", "# Guide\n\nAlso read [the FAQ](faq.md).\n")
    result = _check(cli, repo)
    assert result.exit_code == 1
    [new] = result.json["diagnostics"]
    assert (new["code"], new["line"]) == ("LNK001", 14)
    assert "faq.md" in new["message"]


def test_identical_lines_are_matched_by_count(cli, repo: Path) -> None:
    guide = repo / "docs" / "guide.md"
    _edit(guide, "# Guide\n", "# Guide\n\nSee [x](gone.md).\n\nSee [x](gone.md).\n")
    _write(cli, repo)
    _edit(guide, "# Guide\n", "# Guide\n\nSee [x](gone.md).\n")  # a third copy
    result = _check(cli, repo)
    assert [d["code"] for d in result.json["diagnostics"]] == ["LNK001"]


def test_fixed_entries_are_counted(cli, repo: Path) -> None:
    _write(cli, repo)
    guide = repo / "docs" / "guide.md"
    _edit(guide, " and [a missing page](missing.md)", "")
    _edit(guide, "typo_key: 1\n", "")
    result = _check(cli, repo)
    assert result.exit_code == 0
    assert "2 baseline entries are fixed; run --write-baseline to prune" in result.stderr
    outcome = lint(LintRequest(paths=(repo / "docs",), baseline=repo / "baseline.json"))
    assert (outcome.baseline_fixed, outcome.diagnostics) == (2, [])
    assert (
        outcome.baseline_known
        == len(json.loads((repo / "baseline.json").read_text())["entries"]) - 2
    )


def test_entries_outside_the_run_are_not_fixed(cli, repo: Path) -> None:
    _write(cli, repo)
    # pre-commit passes only some files; a run that did not look at guide.md fixes nothing
    result = cli("docs/other.md", "--baseline", "baseline.json", cwd=repo)
    assert result.exit_code == 0
    assert "fixed" not in result.stderr
    result = cli("docs", "--baseline", "baseline.json", "--select", "LNK", cwd=repo)
    assert result.exit_code == 0 and "fixed" not in result.stderr


def test_baseline_errors_are_usage_errors(cli, repo: Path) -> None:
    result = _check(cli, repo)
    assert result.exit_code == 2
    assert "baseline.json does not exist (create it with --write-baseline" in result.stderr
    (repo / "baseline.json").write_text("{not json", encoding="utf-8")
    assert _check(cli, repo).exit_code == 2
    (repo / "baseline.json").write_text('{"version": 1, "entries": [{"code": "X"}]}')
    result = _check(cli, repo)
    assert result.exit_code == 2 and "entry 1 lacks" in result.stderr


def test_write_baseline_ignores_an_old_baseline(cli, repo: Path) -> None:
    first = _write(cli, repo)
    again = _write(cli, repo, "--baseline", "baseline.json")
    assert again == first


def _codes(repo: Path) -> list[tuple[str, str]]:
    document = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    return sorted((e["path"], e["code"]) for e in document["entries"])


def test_writing_in_a_scope_updates_only_that_scope(cli, repo: Path) -> None:
    """`--write-baseline` with file arguments or `--select` used to replace the whole file."""
    other = repo / "docs" / "other.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n[gone](nowhere.md)\n")
    _write(cli, repo)
    everything = _codes(repo)
    assert ("docs/other.md", "LNK001") in everything and len(everything) >= 5
    guide = [entry for entry in everything if entry[0] == "docs/guide.md"]

    # fix other.md's link, then re-record only other.md: guide.md's entries stay
    other.write_text(other.read_text(encoding="utf-8").replace("[gone](nowhere.md)", "gone"))
    run = cli("docs/other.md", "--write-baseline", "baseline.json", cwd=repo)
    assert run.exit_code == 0
    assert run.stderr == (
        "nemo-docs-lint: wrote 0 baseline entries to baseline.json "
        f"(kept {len(guide)} outside this run: other files or rules)\n"
    )
    assert _codes(repo) == guide

    # re-record one rule: the other rules' entries stay
    before = _codes(repo)
    _edit(repo / "docs" / "guide.md", "[a missing page](missing.md)", "a missing page")
    cli("docs", "--select", "LNK001", "--write-baseline", "baseline.json", cwd=repo)
    assert _codes(repo) == [e for e in before if e[1] != "LNK001"]


def test_console_says_how_many_known_problems_the_baseline_hid(cli, repo: Path) -> None:
    _write(cli, repo)
    count = len(_codes(repo))
    _edit(repo / "docs" / "other.md", "Details live here.", "Details live [here](gone.md).")
    run = cli("docs", "--baseline", "baseline.json", cwd=repo)
    assert run.exit_code == 1
    assert run.stdout.splitlines()[-1] == (
        f"Found 1 problem (1 error) in 1 file; 3 files checked; {count} known problems "
        "hidden by the baseline."
    )
    clean = cli("docs/guide.md", "--baseline", "baseline.json", cwd=repo)
    assert clean.stdout.splitlines()[-1] == (
        f"All checks passed: 1 file checked (3 in the docs tree); {count} known problems "
        "hidden by the baseline."
    )
