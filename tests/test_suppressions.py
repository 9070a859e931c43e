"""Inline suppressions written as HTML comments in the page."""

from __future__ import annotations

from pathlib import Path

from helpers import write_tree

from nemo_docs_lint.model import Comment, Span
from nemo_docs_lint.suppressions import parse_suppressions

# FM004 at line 7 (content_type), FM005 at line 4 (tags), FM004 at line 8 (modality)
FRONT = """---
description: "Suppressions."
categories: [training]
tags: [one]
personas: [mle-focused]
difficulty: beginner
content_type: guide
modality: scientific
---
"""


def _lint(tmp_path: Path, cli, body: str, select: str = "FM,LNK001") -> set[tuple[str, int]]:
    write_tree(tmp_path, {"docs/a.md": FRONT + body, "docs/b.md": FRONT})
    result = cli("docs", "--select", select, "--format", "json")
    return {(d["code"], d["line"]) for d in result.json["diagnostics"] if d["path"] == "docs/a.md"}


def test_no_suppression(tmp_path: Path, cli) -> None:
    assert _lint(tmp_path, cli, "\n[x](missing.md)\n") == {
        ("FM005", 4),
        ("FM004", 7),
        ("FM004", 8),
        ("LNK001", 11),
    }


def test_disable_next_line(tmp_path: Path, cli) -> None:
    body = (
        "\n<!-- nemo-docs-lint: disable-next-line LNK001 -->\n[x](missing.md)\n"
        "\n<!-- nemo-docs-lint: disable-next-line FM004 -->\n[y](missing.md)\n"
    )
    found = _lint(tmp_path, cli, body)
    assert ("LNK001", 12) not in found
    assert ("LNK001", 15) in found  # wrong code: not suppressed


def test_disable_enable_range(tmp_path: Path, cli) -> None:
    body = (
        "\n[a](missing.md)\n"  # 11
        "<!-- nemo-docs-lint: disable LNK -->\n"  # 12
        "[b](missing.md)\n"  # 13
        "\n[c](missing.md)\n"  # 15
        "<!-- nemo-docs-lint: enable -->\n"  # 16
        "[d](missing.md)\n"  # 17
        "<!-- nemo-docs-lint: disable -->\n"  # 18: no codes, every code, to the end
        "[e](missing.md)\n"  # 19
    )
    found = {line for code, line in _lint(tmp_path, cli, body) if code == "LNK001"}
    assert found == {11, 17}


def test_disable_file(tmp_path: Path, cli) -> None:
    body = "\n<!-- nemo-docs-lint: disable-file FM004, FM005 -->\n[x](missing.md)\n"
    assert _lint(tmp_path, cli, body) == {("LNK001", 12)}
    body = "\n<!-- nemo-docs-lint: disable-file -->\n[x](missing.md)\n"
    assert _lint(tmp_path, cli, body) == set()


def test_suppression_inside_code_is_not_a_suppression(tmp_path: Path, cli) -> None:
    body = "\n```markdown\n<!-- nemo-docs-lint: disable-file -->\n```\n"
    assert _lint(tmp_path, cli, body, select="FM") == {("FM005", 4), ("FM004", 7), ("FM004", 8)}


def test_other_files_are_unaffected(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {"docs/a.md": FRONT + "\n<!-- nemo-docs-lint: disable-file -->\n", "docs/b.md": FRONT},
    )
    result = cli("docs", "--select", "FM", "--format", "json")
    assert {d["path"] for d in result.json["diagnostics"]} == {"docs/b.md"}


def _comment(text: str, line: int, end_line: int | None = None) -> Comment:
    return Comment(text, Span(line, 1, end_line or line, 10))


def test_parse_suppressions_table() -> None:
    table = parse_suppressions(
        (
            _comment(" nemo-docs-lint: disable-next-line FM004 ", 3),
            _comment(" nemo-docs-lint: disable-next-line\n  LNK001\n", 5, 7),  # spans lines
            _comment(" nemo-docs-lint: disable FM005 ", 10),
            _comment(" nemo-docs-lint: enable FM005 ", 12),
            _comment(" unrelated comment ", 13),
            _comment("nemo-docs-lint:disable TOC", 20),  # never enabled: to the last line
        ),
        last_line=30,
    )
    assert table.suppresses("FM004", 4)
    assert not table.suppresses("FM004", 5)
    assert table.suppresses("LNK001", 8)
    assert [table.suppresses("FM005", n) for n in (9, 10, 11, 12, 13)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert table.suppresses("TOC001", 30)
    assert not table.suppresses("TOC001", 19)
