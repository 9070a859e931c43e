"""Hostile input for the fast scanner: deep nesting, pathological brackets, wrong results
found by fuzzing (each the smallest input that showed it), checked exactly."""

from __future__ import annotations

from nemo_docs_lint.markdown import parse_markdown
from nemo_docs_lint.markdown.reference import parse_markdown_reference
from nemo_docs_lint.model import Reference, RefKind, Span


def _refs(text: str) -> list[tuple[str, str, int, int]]:
    body = parse_markdown(text, 1, 3)
    return [(r.kind.value, r.target, r.span.line, r.span.column) for r in body.references]


def _ref_lines(text: str) -> list[tuple[str, str, int]]:
    """What the markdown-it-py oracle reports (lines only)."""
    body = parse_markdown_reference(text, 1, 3)
    return [(r.kind.value, r.target, r.span.line) for r in body.references]


def test_directives_nested_1000_deep() -> None:
    depth = 1000
    text = (
        "".join("`" * (depth + 100 - i) + "{note}\n" for i in range(depth))
        + "[x](y.md)\n"
        + "".join("`" * (101 + i) + "\n" for i in range(depth))
    )
    body = parse_markdown(text, 1, 3)
    assert body.references == (Reference(RefKind.LINK, "y.md", Span(depth + 1, 5, depth + 1, 9)),)


def test_directive_body_scanned_before_the_line_that_ends_its_list_item() -> None:
    text = "- ```{note}\n  (inner)=\n  [a](a.md)\n(outer)=\n[b](b.md)\n"
    body = parse_markdown(text, 1, 3)
    assert [(lb.name, lb.span.line) for lb in body.labels] == [("inner", 2), ("outer", 4)]
    assert _refs(text) == [("link", "a.md", 3, 7), ("link", "b.md", 5, 5)]
    assert [(k, t, ln) for k, t, ln, _ in _refs(text)] == _ref_lines(text)


def _kinds_targets(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    fast = parse_markdown(text, 1, 3).references
    ref = parse_markdown_reference(text, 1, 3).references
    return (
        sorted((r.kind.value, r.target) for r in fast),
        sorted((r.kind.value, r.target) for r in ref),
    )


def test_nested_brackets_match_markdown_it_at_every_depth() -> None:
    # markdown-it gives up on labels nested past its maxNesting (20); so must we, in linear
    # time (the old scanner doubled its time per bracket: 26 brackets took 50 s).
    for n in range(45):
        for text in (
            "[" * n + "x" + "]" * n + "(y.md)",
            "[" * n + "x](y.md)",
            "![" * n + "x" + "](y.md)" * n,
            "[a" * n + "](y.md)" + "]" * n,
            "[" * n + "[x](y.md)" + "]" * n + "(z.md)",
        ):
            fast, ref = _kinds_targets(text)
            assert fast == ref, text


def test_brackets_nested_100000_deep() -> None:
    n = 100_000
    assert _refs("[" * n + "x" + "]" * n + "(y.md)") == []
    assert _refs("[" * 19 + "x" + "]" * 19 + "(y.md)") == [("link", "y.md", 1, 41)]


def test_duplicate_heading_slugs_as_mdit_anchors() -> None:
    text = "# a\n\n# a\n\n# a-1\n\n# a\n\n# a-2\n\n# a\n"
    slugs = [h.slug for h in parse_markdown(text, 1, 3).headings]
    assert slugs == ["a", "a-1", "a-1-1", "a-2", "a-2-1", "a-3"]
    assert slugs == [h.slug for h in parse_markdown_reference(text, 1, 3).headings]


def test_reference_definitions_in_one_paragraph() -> None:
    text = "".join(f"[l{i}]: t{i}.md\n" for i in range(50)) + "[l1]: again.md 'x'\nrest [l2]\n"
    assert _refs(text) == [("link", f"t{i}.md", i + 1, 6 + len(str(i))) for i in range(50)]
    assert [(k, t, ln) for k, t, ln, _ in _refs(text)] == _ref_lines(text)


def test_unclosed_html_comments_and_tags() -> None:
    for text in (
        "x " + "<!--" * 50 + " [a](a.md)\n",
        "<!--" * 50 + "\n\n[a](a.md)\n",
        "x <? <a <!-- [a](a.md) <a href='h.md'> -->\n",
        "<div>\n<!--<!-- c --> <a href='h.md'> <!--\n</div>\n",
    ):
        fast = parse_markdown(text, 1, 3)
        ref = parse_markdown_reference(text, 1, 3)
        assert [(k, t, ln) for k, t, ln, _ in _refs(text)] == _ref_lines(text), text
        assert [c.text for c in fast.comments] == [c.text for c in ref.comments], text
