"""`--format sarif`: valid SARIF 2.1.0 (schema + Multitool), GitHub's fields, stable output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from integration_support import (
    CORPUS,
    copy_fixture,
    make_problem_repo,
    multitool_validate,
    validate_with_schema,
)

from nemo_docs_lint.registry import all_rules


def _sarif(cli, repo: Path, *args: str) -> tuple[dict, Path]:
    out = repo / "results.sarif"
    result = cli("docs", "--format", "sarif", "--output", str(out), *args, cwd=repo)
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout == ""
    return json.loads(out.read_text(encoding="utf-8")), out


@pytest.fixture
def problem_repo(tmp_path: Path) -> Path:
    return make_problem_repo(tmp_path)


def test_valid_against_schema_and_multitool(cli, problem_repo: Path, tmp_path: Path) -> None:
    document, path = _sarif(cli, problem_repo)
    assert document["runs"][0]["results"], "the fixture must produce results"
    validate_with_schema(document)
    multitool_validate(path, tmp_path)


def test_clean_tree_is_valid_too(cli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    copy_fixture(repo)
    document, path = _sarif(cli, repo)
    assert document["runs"][0]["results"] == []
    validate_with_schema(document)
    multitool_validate(path, tmp_path)


def test_github_fields(cli, problem_repo: Path) -> None:
    document, _ = _sarif(cli, problem_repo)
    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "nemo-docs-lint"
    assert driver["version"] and driver["informationUri"].startswith("https://")
    registry = all_rules()
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    for descriptor in rules:
        rule = registry[descriptor["id"]]
        assert descriptor["shortDescription"]["text"].startswith(rule.summary.rstrip("."))
        assert descriptor["fullDescription"]["text"]
        assert descriptor["help"]["text"] == rule.help_text
        assert descriptor["help"]["markdown"] == rule.help_markdown
        assert descriptor["helpUri"].endswith("#rules")
        assert descriptor["defaultConfiguration"]["level"] == rule.severity.value
        assert "documentation" in descriptor["properties"]["tags"]
    codes = set()
    for result in run["results"]:
        codes.add(result["ruleId"])
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        [location] = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uri"].startswith("docs/"), artifact  # relative to the repository root
        assert artifact["uriBaseId"] == "%SRCROOT%"
        region = location["physicalLocation"]["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert (region["endLine"], region["endColumn"]) > (
            region["startLine"],
            region["startColumn"],
        )
        assert set(result["partialFingerprints"]) == {"nemoDocsLint/v1"}
    assert {"FM004", "FM005", "FM007", "LNK001"} <= codes
    assert "file:" not in json.dumps(document)
    assert str(problem_repo) not in json.dumps(document)


def test_region_is_exact_and_end_exclusive(cli, problem_repo: Path) -> None:
    document, _ = _sarif(cli, problem_repo)
    text = (problem_repo / "docs" / "guide.md").read_text(encoding="utf-8").split("\n")
    [link] = [r for r in document["runs"][0]["results"] if r["ruleId"] == "LNK001"]
    region = link["locations"][0]["physicalLocation"]["region"]
    line = text[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "missing.md"


def test_output_identical_across_runs(cli, problem_repo: Path) -> None:
    _, path = _sarif(cli, problem_repo)
    first = path.read_bytes()
    _, path = _sarif(cli, problem_repo)
    assert path.read_bytes() == first


def _fingerprints(document: dict) -> dict[tuple[str, str], str]:
    return {
        (r["ruleId"], r["message"]["text"]): r["partialFingerprints"]["nemoDocsLint/v1"]
        for r in document["runs"][0]["results"]
    }


def test_fingerprints_survive_lines_inserted_above(cli, problem_repo: Path) -> None:
    before, _ = _sarif(cli, problem_repo)
    guide = problem_repo / "docs" / "guide.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("# Guide\n", "# Guide\n\nA new paragraph.\n\nAnother.\n"))
    after, _ = _sarif(cli, problem_repo)
    assert _fingerprints(after) == _fingerprints(before)
    [old] = [
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in before["runs"][0]["results"]
        if r["ruleId"] == "LNK001"
    ]
    [new] = [
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in after["runs"][0]["results"]
        if r["ruleId"] == "LNK001"
    ]
    assert new == old + 4


def test_fingerprint_changes_with_the_offending_line(cli, problem_repo: Path) -> None:
    before, _ = _sarif(cli, problem_repo)
    guide = problem_repo / "docs" / "guide.md"
    guide.write_text(
        guide.read_text(encoding="utf-8").replace("and [a missing", "and [one missing")
    )
    after, _ = _sarif(cli, problem_repo)
    link = [k for k in _fingerprints(before) if k[0] == "LNK001"]
    assert [_fingerprints(before)[k] for k in link] != [_fingerprints(after)[k] for k in link]


def test_uri_is_percent_encoded(cli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    docs = copy_fixture(repo)
    (docs / "my page#1.md").write_text("# No frontmatter\n", encoding="utf-8")
    document, _ = _sarif(cli, repo)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert "docs/my%20page%231.md" in uris
    validate_with_schema(document)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
def test_corpus_sarif_is_valid(cli, tmp_path: Path) -> None:
    out = tmp_path / "corpus.sarif"
    result = cli(str(CORPUS), "--format", "sarif", "--output", str(out), cwd=tmp_path)
    assert result.exit_code in (0, 1), result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["runs"][0]["results"]) > 100
    validate_with_schema(document)
    multitool_validate(out, tmp_path)
    count = len(document["runs"][0]["results"])
    print(f"corpus SARIF: {out.stat().st_size} bytes, {count} results")
