"""Every rule fixture under tests/fixtures/rules/<CODE>/{pass,fail}/ produces exactly what it says.

A fixture is one Markdown file, or a folder holding a small docs tree (it may carry its own
`.nemo-docs-lint.toml`). Expectations are written in the fixture itself:

    <!-- expect: FM004 7:15 -->                      (Markdown)
    <!-- expect: FM004 7:15 "did you mean 'how-to'?" -->   (and a substring of the message)
    .. expect: NDL002 1:1                            (reStructuredText)

A fail fixture must produce exactly its expected (code, line, column) set within the code's
family (FM, NDL, ...); a pass fixture must produce nothing in that family.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest

from nemo_docs_lint.engine import LintRequest, lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
_EXPECT = re.compile(
    r"(?:<!--|\.\.)\s*expect:\s*(?P<code>[A-Z]+[0-9]+)\s+(?P<line>\d+):(?P<column>\d+)"
    r'(?:\s+"(?P<message>[^"]*)")?'
)


class Expectation(NamedTuple):
    path: str
    code: str
    line: int
    column: int
    message: str | None


# Rules whose fixtures cannot live in the repository, and the test that covers them instead.
WITHOUT_FIXTURES = {
    "LNK005": "needs a `.git` folder, which git will not store: tests/rules/test_links.py",
}


def _fixtures() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/*/*") if p.parent.name in ("pass", "fail"))


def _id(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


def _expectations(root: Path) -> list[Expectation]:
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    found = []
    for file in files:
        text = file.read_bytes().decode("utf-8", errors="replace")
        relative = file.name if root.is_file() else file.relative_to(root).as_posix()
        for match in _EXPECT.finditer(text):
            found.append(
                Expectation(
                    relative,
                    match["code"],
                    int(match["line"]),
                    int(match["column"]),
                    match["message"],
                )
            )
    return found


def test_every_rule_has_fixtures() -> None:
    from nemo_docs_lint.registry import Scope, all_rules

    covered = {p.parent.parent.name for p in _fixtures()}
    wanted = {
        code
        for code, rule in all_rules().items()
        if rule.fixture_family is not None and code not in WITHOUT_FIXTURES
    }
    assert wanted - covered == set()
    assert all(
        rule.scope is not Scope.NETWORK for code, rule in all_rules().items() if code in wanted
    )


@pytest.mark.parametrize("fixture", _fixtures(), ids=_id)
def test_fixture(fixture: Path, tmp_path: Path) -> None:
    code = fixture.parent.parent.name
    from nemo_docs_lint.registry import all_rules

    family = all_rules()[code].fixture_family
    assert family is not None, f"{code} declares no fixtures"
    docs = tmp_path / "docs"
    if fixture.is_dir():
        shutil.copytree(fixture, docs, symlinks=True)
    else:
        docs.mkdir()
        shutil.copy2(fixture, docs / fixture.name)

    result = lint(LintRequest(paths=(docs,)), cwd=tmp_path)
    found = [d for d in result.diagnostics if d.code.startswith(family)]
    got = Counter((d.path, d.code, d.line, d.column) for d in found)
    expected = _expectations(fixture)

    if fixture.parent.name == "pass":
        assert expected == [], "pass fixtures carry no expect lines"
        assert got == Counter()
        return
    assert expected, "a fail fixture needs at least one expect line"
    assert any(e.code == code for e in expected), f"a {code} fail fixture must expect {code}"
    assert got == Counter((e.path, e.code, e.line, e.column) for e in expected)
    for e in expected:
        if e.message is not None:
            messages = [d.message for d in found if (d.path, d.code, d.line, d.column) == e[:4]]
            assert any(e.message in m for m in messages), (e.message, messages)
