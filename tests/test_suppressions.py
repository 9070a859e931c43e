"""Inline suppressions written as HTML comments in the page."""

from __future__ import annotations

from pathlib import Path

from helpers import write_tree

from nemo_docs_lint.model import Comment, Span
from nemo_docs_lint.registry import all_rules
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
        rules=all_rules(),
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


def test_wide_and_narrow_ranges_together_mark_what_they_hid() -> None:
    """Ranges of one line and of hundreds, overlapping: each line look-up finds all of them."""
    table = parse_suppressions(
        (
            _comment(" nemo-docs-lint: disable LNK001 ", 10),
            *(_comment(" nemo-docs-lint: disable-next-line LNK001 ", n) for n in range(20, 400, 2)),
            _comment(" nemo-docs-lint: enable LNK001 ", 500),
            _comment(" nemo-docs-lint: disable-next-line FM004 ", 600),
        ),
        last_line=700,
        rules=all_rules(),
    )
    assert [table.suppresses("LNK001", n) for n in (9, 10, 21, 22, 450, 500, 501)] == [
        *(False, True, True, True, True, True, False)
    ]
    used = [(entry.start, entry.end) for entry in table.entries if entry.used]
    assert used == [(21, 21), (10, 500)]
    assert not table.suppresses("FM004", 600) and table.suppresses("FM004", 601)
    assert len(table.unused()) == len(table.entries) - 3


def test_a_misspelt_directive_suppresses_nothing_and_says_so(tmp_path: Path, cli) -> None:
    """`disable-nextline` (a typo) used to read as `disable`: the code off for the rest of the
    file, silently. Now it suppresses nothing and NDL003 points at it."""
    body = (
        "\n<!-- nemo-docs-lint: disable-nextline LNK001 -->\n"  # 11
        "[x](missing.md)\n"  # 12
        "\n[y](missing.md)\n"  # 14
    )
    found = _lint(tmp_path, cli, body, select="LNK001,NDL")
    assert found == {("NDL003", 11), ("LNK001", 12), ("LNK001", 14)}


def test_disable_line_suppresses_its_own_line_only(tmp_path: Path, cli) -> None:
    body = (
        "\n[x](missing.md) <!-- nemo-docs-lint: disable-line LNK001 -->\n"  # 11
        "[y](missing.md)\n"  # 12
    )
    assert _lint(tmp_path, cli, body, select="LNK001,NDL") == {("LNK001", 12)}


def test_unknown_code_suppresses_nothing(tmp_path: Path, cli) -> None:
    body = "\n<!-- nemo-docs-lint: disable-file LNK001, LINK002 -->\n[x](missing.md)\n"
    write_tree(tmp_path, {"docs/a.md": FRONT + body, "docs/b.md": FRONT})
    result = cli("docs", "--select", "LNK001,NDL", "--format", "json")
    got = [(d["code"], d["line"], d["message"]) for d in result.json["diagnostics"]]
    assert got == [
        (
            "NDL003",
            11,
            "unknown code `LINK002`; did you mean `LNK002`? (this comment suppresses nothing)",
        ),
        ("LNK001", 12, "link target `missing.md` does not exist"),
    ]


def test_unused_suppression_is_a_note_only_when_its_rules_ran(tmp_path: Path, cli) -> None:
    body = "\n<!-- nemo-docs-lint: disable-next-line LNK001 -->\nNo link here.\n"
    assert ("NDL004", 11) in _lint(tmp_path, cli, body, select="LNK001,NDL")
    # LNK001 did not run: whether the suppression is needed cannot be told
    assert ("NDL004", 11) not in _lint(tmp_path, cli, body, select="FM,NDL")
    # a note: it does not fail the run
    assert cli("docs", "--select", "LNK001,NDL").exit_code == 0
