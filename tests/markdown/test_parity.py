"""Cases where the fast scanner once disagreed with markdown-it-py + MyST (each the smallest
input that showed it): exact fast-path results, and the oracle's lines agree."""

from __future__ import annotations

import pytest

from nemo_docs_lint.markdown import parse_markdown
from nemo_docs_lint.markdown.reference import parse_markdown_reference


def _fast(text: str) -> dict[str, list[tuple[object, ...]]]:
    body = parse_markdown(text, 1, 3)
    return {
        "refs": [(r.kind.value, r.target, r.span.line, r.span.column) for r in body.references],
        "labels": [(lb.name, lb.span.line, lb.span.column) for lb in body.labels],
        "headings": [(h.level, h.text, h.span.line) for h in body.headings],
        "toctrees": [(t.span.line, *(e.target for e in t.entries)) for t in body.toctrees],
    }


def _lines_only(found: dict[str, list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    return {
        "refs": [r[:3] for r in found["refs"]],
        "labels": [lb[:2] for lb in found["labels"]],
        "headings": found["headings"],
        "toctrees": found["toctrees"],
    }


def _oracle(text: str) -> dict[str, list[tuple[object, ...]]]:
    body = parse_markdown_reference(text, 1, 3)
    return {
        "refs": [(r.kind.value, r.target, r.span.line) for r in body.references],
        "labels": [(lb.name, lb.span.line) for lb in body.labels],
        "headings": [(h.level, h.text, h.span.line) for h in body.headings],
        "toctrees": [(t.span.line, *(e.target for e in t.entries)) for t in body.toctrees],
    }


CASES = {
    # An unclosed `$$` or amsmath environment is no math block: what follows is parsed.
    "unclosed $$": ("$$\nx\n\n[a](a.md)\n", {"refs": [("link", "a.md", 4, 5)]}),
    "unclosed $$ then a label": ("$$ x\n\n(t)=\n", {"labels": [("t", 3, 2)]}),
    "unclosed equation": (
        "\\begin{equation}\nx\n\n[a](a.md)\n",
        {"refs": [("link", "a.md", 4, 5)]},
    ),
    "unclosed align* then a toctree": (
        "\\begin{align*}\n\n```{toctree}\nx\n```\n",
        {"toctrees": [(3, "x")]},
    ),
    # A later item of an ordered list may start with any number, and open a block.
    "label in a later ordered item": ("1. a\n2. (lab)=\n", {"labels": [("lab", 2, 5)]}),
    "heading in a later ordered item": ("1. a\n3. # H\n", {"headings": [(1, "H", 2)]}),
    # A tab after `> ` or inside an item's indent is only as wide as its tab stop.
    "tab after '> '": ("> \t[a](a.md)\n", {"refs": [("link", "a.md", 1, 8)]}),
    "tab after '>  '": (">  \t[a](a.md)\n", {"refs": [("link", "a.md", 1, 9)]}),
    "tab in an item's indent": ("- a\n\n  \t[b](b.md)\n", {"refs": [("link", "b.md", 3, 8)]}),
    # Table cells beyond the header's columns are dropped.
    "cell beyond the header": ("| a |\n|---|\n| x | [b](b.md) |\n", {}),
    "cells within the header": (
        "| a | b |\n|---|---|\n| x | [b](b.md) |\n",
        {"refs": [("link", "b.md", 3, 11)]},
    ),
    # Indented lines after a `:field:` line are the field's body (fieldlist), not code.
    "field body after a blank line": (
        ":field:\n\n    [a](a.md)\n",
        {"refs": [("link", "a.md", 3, 9)]},
    ),
    "heading in a field body": (":f:\n    # H\n", {"headings": [(1, "H", 2)]}),
    "field list interrupts a paragraph": (
        "text\n:f [a](b.md): x\n",
        {"refs": [("link", "b.md", 2, 8)]},
    ),
    # MyST's option block stops at a nested colon fence; an unclosed `---` block is all options.
    "colon fence after the opening line": (
        "::::{note}\n:::{figure} x.png\n:::\n::::\n",
        {"refs": [("figure-directive", "x.png", 2, 13)]},
    ),
    "unclosed YAML options": ("```{note}\n---\nclass: x\n[a](a.md)\n```\n", {}),
    # A no-break space is not whitespace for fences and directive arguments.
    "nbsp after a closing fence": (
        "```{note}\n[a](a.md)\n```\u00a0\n[b](b.md)\n```\n",
        {"refs": [("link", "a.md", 2, 5)]},
    ),
    "nbsp before a directive argument": (
        "```{image}\u00a0pic.png\n```\n",
        {"refs": [("image-directive", "pic.png", 1, 12)]},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_matches_myst(name: str) -> None:
    text, expected = CASES[name]
    found = _fast(text)
    want = {key: expected.get(key, []) for key in found}
    assert found == want
    assert _lines_only(found) == _oracle(text)


def test_label_kinds_around_containers() -> None:
    from test_differential import _compare

    for text in (
        "- (a)=\n- # H\n",  # the next item's heading does not title it
        "(a)=\n> # H\n",
        "(a)=\n- x\n",
        "- (a)=\n# H\n",  # closing the item does not stop the heading after it
    ):
        assert _compare(text) == [], text
    kinds = [lb.kind for lb in parse_markdown("- (a)=\n- # H\n", 1, 3).labels]
    assert kinds == [parse_markdown_reference("- (a)=\n- # H\n", 1, 3).labels[0].kind]
