"""FM rules: exact messages and spans (start and end) for representative cases; `rules` output."""

from __future__ import annotations

import re

import pytest

from nemo_docs_lint.registry import all_rules
from nemo_docs_lint.rules.frontmatter import count_sentences

PAGE = """---
description: >
  One. Two.
  Three.
categories: [training]
tags: [a, b, a]
personas: ["mle-focused", "Data Scientists"]
difficulty: Beginner
content_type: guide
modality: text-only
persona: x
---

# Title
"""


def _rows(result) -> list[tuple]:
    return [
        (d["code"], d["line"], d["column"], d["end_line"], d["end_column"], d["message"])
        for d in result.json["diagnostics"]
    ]


def test_messages_and_spans(tree, cli) -> None:
    tree({"page.md": PAGE})
    result = cli("docs", "--select", "FM", "--format", "json")
    assert result.exit_code == 1
    allowed_personas = (
        "mle-focused, researcher-focused, devops-focused, admin-focused, "
        "data-scientist-focused, contributor-focused"
    )
    assert _rows(result) == [
        ("FM008", 2, 14, 4, 9, "`description` has 3 sentences; keep it to 2"),
        ("FM009", 6, 14, 6, 15, "`tags` lists 'a' more than once (also item 1)"),
        (
            "FM004",
            7,
            27,
            7,
            44,
            "`personas[1]` value 'Data Scientists' is not allowed; did you mean "
            f"'data-scientist-focused'? (allowed: {allowed_personas})",
        ),
        (
            "FM004",
            8,
            13,
            8,
            21,
            "`difficulty` value 'Beginner' is not allowed; did you mean 'beginner'? "
            "(allowed: beginner, intermediate, advanced, reference)",
        ),
        (
            "FM004",
            9,
            15,
            9,
            20,
            "`content_type` value 'guide' is not allowed "
            "(allowed: tutorial, concept, reference, troubleshooting, example)",
        ),
        ("FM007", 11, 1, 11, 8, "unknown key `persona`; did you mean `personas`?"),
    ]


def test_tag_count_at_key_and_missing_keys_at_opening_fence(tree, cli) -> None:
    tree({"page.md": '---\ndescription: "Train."\ntags:\n  - sft\n---\n# T\n'})
    rows = _rows(cli("docs", "--select", "FM", "--format", "json"))
    assert rows[0] == ("FM003", 1, 1, 1, 4, "missing required key `categories`")
    assert [r[5] for r in rows if r[0] == "FM003"] == [
        f"missing required key `{key}`"
        for key in ("categories", "content_type", "difficulty", "modality", "personas")
    ]
    assert ("FM005", 3, 1, 3, 5, "`tags` has 1 item; use 2 to 8") in rows


def test_wrong_type_suggests_a_list(tree, cli) -> None:
    page = PAGE.replace("tags: [a, b, a]", 'tags: "rl, sft"')
    tree({"page.md": page})
    rows = _rows(cli("docs", "--select", "FM006", "--format", "json"))
    assert rows == [
        ("FM006", 6, 7, 6, 16, "`tags` must be a list, not a string (write `[rl, sft]`)")
    ]


def test_invalid_yaml_positions(tree, cli) -> None:
    tree(
        {
            "quote.md": '---\ndescription: "Unclosed\ntags: [a, b]\n---\n# T\n',
            "tab.md": "---\ndescription: x\ntags:\n\t- a\n---\n# T\n",
            "list.md": "---\n- a\n- b\n---\n# T\n",
        }
    )
    rows = {
        d["path"]: (d["line"], d["column"], d["message"])
        for d in cli("docs", "--select", "FM002", "--format", "json").json["diagnostics"]
    }
    assert rows == {
        "docs/quote.md": (2, 14, "invalid YAML: a quoted scalar opened here is never closed"),
        "docs/tab.md": (
            4,
            1,
            "invalid YAML: a tab character indents this line; YAML allows only spaces",
        ),
        "docs/list.md": (2, 1, "frontmatter must be a mapping of keys, not a list"),
    }


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("One sentence.", 1),
        ("One. Two.", 2),
        ("Use e.g. GRPO. It works.", 2),
        ("Install v0.2.1 now. Then run it. Done.", 3),
        ("No final stop", 1),
    ],
)
def test_count_sentences(text: str, count: int) -> None:
    assert count_sentences(text) == count


def test_rules_lists_every_rule(cli) -> None:
    result = cli("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for code, rule in all_rules().items():
        line = next((x for x in lines if x.startswith(code + " ")), None)
        assert line is not None, code
        assert re.match(
            rf"{code}\s+{re.escape(rule.name)}\s+{rule.severity.value}\s+{re.escape(rule.summary)}",
            line,
        )
        assert rule.summary
    fm = [x.split()[0] for x in lines if x.startswith(("FM", "NDL"))]
    assert fm == [f"FM{n:03}" for n in range(1, 11)] + ["NDL001", "NDL002", "NDL003", "NDL004"]


def test_rules_explains_one(cli) -> None:
    result = cli("rules", "FM004")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("FM004 invalid-value (default severity: error)\n")
    assert "A value is not one the schema allows" in text
    assert "Why: metadata drifts" in text
    bad = text.index("Bad:\n")
    good = text.index("Good:\n")
    assert bad < good
    assert "    content_type: guide" in text[bad:good]
    assert "    content_type: tutorial" in text[good:]
    assert cli("rules", "fm004").stdout == text  # case-insensitive


def test_rules_unknown_code(cli) -> None:
    result = cli("rules", "FM04")
    assert result.exit_code == 2
    assert "no rule FM04" in result.stderr
    assert "did you mean" in result.stderr
