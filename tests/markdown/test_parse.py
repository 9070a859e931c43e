"""Exact cases for the fast body parser: kinds, targets and positions."""

from __future__ import annotations

from nemo_docs_lint.markdown import parse_markdown, parse_rst
from nemo_docs_lint.model import RefKind


def refs(text: str, start: int = 1) -> list[tuple[str, str, int, int, int]]:
    body = parse_markdown(text, start, 3)
    return [
        (r.kind.value, r.target, r.span.line, r.span.column, r.span.end_column)
        for r in body.references
    ]


def test_inline_forms() -> None:
    text = (
        '[t](a.md "title") [u](<b c.md>) ![i](img.png) <https://x.org/y> <project:p.md>\n'
        "{ref}`lbl` {ref}`Text <lbl2>` {doc}`d/e` {download}`f.zip`\n"
    )
    assert refs(text) == [
        ("link", "a.md", 1, 5, 9),
        ("link", "b c.md", 1, 24, 30),
        ("image", "img.png", 1, 38, 45),
        ("autolink", "https://x.org/y", 1, 48, 63),
        ("link", "project:p.md", 1, 66, 78),
        ("ref", "lbl", 2, 7, 10),
        ("ref", "lbl2", 2, 24, 28),
        ("doc", "d/e", 2, 37, 40),
        ("download", "f.zip", 2, 53, 58),
    ]


def test_html_links_and_comments() -> None:
    text = (
        "<a href=\"x.md\">x</a> and <img src='p.png'>\n"
        "<!-- nemo-docs-lint: disable-next-line FM004 -->\n"
    )
    body = parse_markdown(text, 1, 3)
    assert [(r.kind, r.target, r.span.column) for r in body.references] == [
        (RefKind.HTML_LINK, "x.md", 10),
        (RefKind.HTML_IMAGE, "p.png", 36),
    ]
    assert [(c.text.strip(), c.span.line) for c in body.comments] == [
        ("nemo-docs-lint: disable-next-line FM004", 2)
    ]


def test_reference_definitions_emitted_once_at_definition() -> None:
    text = "[a][r] [r] [b][]\n\n[r]: https://r.example\n[R]: dup.md\n[unused]: u.md\n"
    assert refs(text) == [
        ("link", "https://r.example", 3, 6, 23),
        ("link", "u.md", 5, 11, 15),
    ]


def test_exclusions() -> None:
    text = (
        "`[no](a.md)` ``x ` [no](b.md)``\n\n"
        "```python\n[no](c.md)\n```\n\n"
        "~~~\n[no](d.md)\n~~~\n\n"
        "    [no](e.md)\n\n"
        "<!-- [no](f.md) -->\n\n"
        "```{code-block} md\n[no](g.md)\n```\n\n"
        "$$\n[no](h.md)\n$$\n\n"
        "$x [no](i.md)$ [yes](j.md)\n"
    )
    assert refs(text) == [("link", "j.md", 23, 22, 26)]


def test_frontmatter_lines_ignored_and_crlf_normalised() -> None:
    text = "---\ntitle: '[x](no.md)'\n---\n# Head\r\n[y](y.md)\r\n".replace("\r\n", "\n")
    body = parse_markdown(text, 4, 3)
    assert [(r.target, r.span.line, r.span.column) for r in body.references] == [("y.md", 5, 5)]
    assert body.title == "Head"
    assert body.headings[0].span.line == 4


def test_nested_directives_and_cards() -> None:
    text = (
        "::::{grid} 2\n"
        ":gutter: 1\n"
        "\n"
        ":::{grid-item-card} Title\n"
        ":link: get-started/x\n"
        ":link-type: doc\n"
        "\n"
        "Body [in](card.md)\n"
        ":::\n"
        "::::\n"
        "\n"
        "````{note}\n"
        "  ```{tip}\n"
        "  See {ref}`deep`\n"
        "  ```\n"
        "````\n"
        "\n"
        "```{button-ref} some-label\n:ref-type: ref\n```\n"
    )
    body = parse_markdown(text, 1, 3)
    assert [
        (r.kind.value, r.target, r.span.line, r.span.column, r.link_type) for r in body.references
    ] == [
        ("card-link", "get-started/x", 5, 8, "doc"),
        ("link", "card.md", 8, 11, None),
        ("ref", "deep", 14, 13, None),
        ("card-link", "some-label", 18, 17, "ref"),
    ]


def test_image_and_figure_directives() -> None:
    text = "```{image} a.png\n```\n\n:::{figure} ../b.svg\n:name: fig-b\n\nCaption [c](c.md)\n:::\n"
    body = parse_markdown(text, 1, 3)
    assert refs(text) == [
        ("image-directive", "a.png", 1, 12, 17),
        ("figure-directive", "../b.svg", 4, 13, 21),
        ("link", "c.md", 7, 13, 17),
    ]
    assert [(lb.name, lb.span.line, lb.span.column) for lb in body.labels] == [("fig-b", 5, 8)]


def test_toctree_backtick_and_colon_fences() -> None:
    text = (
        "```{toctree}\n:glob:\n:hidden:\n:caption: Guides\n:maxdepth: 2\n\n"
        "intro\n/abs/page\nTitle <other/doc>\nself\nhttps://x.org\nguides/*\n```\n\n"
        ":::{toctree}\na\n:::\n\n"
        "::::{toctree}\n:maxdepth: 1\n\nb\n::::\n"
    )
    body = parse_markdown(text, 1, 3)
    t1, t2, t3 = body.toctrees
    assert (t1.glob, t1.hidden, t1.caption, t1.maxdepth, t1.span.line) == (
        True,
        True,
        "Guides",
        2,
        1,
    )
    assert [(e.target, e.title, e.span.line, e.span.column) for e in t1.entries] == [
        ("intro", None, 7, 1),
        ("/abs/page", None, 8, 1),
        ("other/doc", "Title", 9, 8),
        ("self", None, 10, 1),
        ("https://x.org", None, 11, 1),
        ("guides/*", None, 12, 1),
    ]
    assert [e.target for e in t2.entries] == ["a"] and t2.span.line == 15
    assert [e.target for e in t3.entries] == ["b"] and t3.maxdepth == 1


def test_labels_and_headings() -> None:
    text = (
        "(my-label)=\n# Title `x`\n\n## 🏗️ **Complex Structure**\n\n## Dup\n\n## Dup\n\n"
        "Setext\n------\n\n#### Deep\n"
    )
    body = parse_markdown(text, 1, 3)
    assert [(lb.name, lb.span.line, lb.span.column, lb.span.end_column) for lb in body.labels] == [
        ("my-label", 1, 2, 10)
    ]
    assert [(h.level, h.text, h.slug, h.span.line) for h in body.headings] == [
        (1, "Title x", "title-x", 2),
        (2, "🏗️ Complex Structure", "-complex-structure", 4),
        (2, "Dup", "dup", 6),
        (2, "Dup", "dup-1", 8),
        (2, "Setext", "setext", 10),
        (4, "Deep", "", 13),
    ]
    assert body.title == "Title x"


def test_lists_and_blockquotes_keep_columns() -> None:
    text = (
        "- item [a](a.md)\n  more [b](b.md)\n\n> quote [c](c.md)\n\n"
        "1. x\n\n       code [no](no.md)\n"
    )
    assert refs(text) == [
        ("link", "a.md", 1, 12, 16),
        ("link", "b.md", 2, 12, 16),
        ("link", "c.md", 4, 13, 17),
    ]


def test_rst() -> None:
    text = (
        ".. _intro-label:\n\nTitle\n=====\n\n.. toctree::\n   :maxdepth: 2\n   :hidden:\n\n"
        "   intro\n   Other <other/doc>\n\nText.\n"
    )
    body = parse_rst(text)
    assert [(lb.name, lb.span.line, lb.span.column, lb.kind) for lb in body.labels] == [
        ("intro-label", 1, 5, ""),
        ("Title", 3, 1, "section"),
    ]
    (t,) = body.toctrees
    assert (t.span.line, t.maxdepth, t.hidden) == (6, 2, True)
    assert [(e.target, e.title, e.span.line, e.span.column) for e in t.entries] == [
        ("intro", None, 10, 4),
        ("other/doc", "Other", 11, 11),
    ]


def test_multiline_setext_heading_slug_drops_blanks_around_line_breaks() -> None:
    """markdown-it's text children skip the soft break and the spaces around it."""
    from nemo_docs_lint.markdown.reference import parse_markdown_reference

    text = "foo \n  bar\n===\n\n1. item\n"
    fast = parse_markdown(text, 1, 3).headings
    assert [(h.text, h.slug) for h in fast] == [("foobar", "foobar")]
    assert [h.slug for h in parse_markdown_reference(text, 1, 3).headings] == ["foobar"]


def test_heading_ampersand_text_without_markdown_it() -> None:
    """An `&` that starts no character reference is text (markdown-it's entity rule fails);
    one that may start a reference is left to markdown-it. Both agree with the oracle."""
    from nemo_docs_lint.markdown import slugs
    from nemo_docs_lint.markdown.reference import parse_markdown_reference

    cases = {
        "Performance & Scaling": True,
        "R&D &#; &x &": True,
        "Q&A `x&y` {ref}`a&b`": True,
        "A &amp; B": False,
        "A &#38; B": False,
        "A &notanentity; B": False,
    }
    for raw, simple in cases.items():
        assert (slugs._simple_text(raw) is not None) is simple, raw
        text = f"# {raw}\n"
        fast = [(h.text, h.slug) for h in parse_markdown(text, 1, 3).headings]
        oracle = [(h.text, h.slug) for h in parse_markdown_reference(text, 1, 3).headings]
        assert fast == oracle, raw
    assert parse_markdown("# Performance & Scaling\n", 1, 3).headings[0].slug == (
        "performance--scaling"
    )


def test_rst_roles_includes_glossary_and_literal_blocks() -> None:
    text = (
        "Roles\n=====\n\n:ref:`label`, :doc:`tight<../doc>`, :term:`A Term`, :numref:`fig`.\n\n"
        ".. include:: part.rst\n   :start-after: START\n\n"
        ".. glossary::\n\n   A Term\n      Its definition, :ref:`in-glossary`.\n\n"
        "Example::\n\n   :ref:`not-a-role-in-a-literal-block`\n\n"
        ".. code-block:: rst\n\n   :ref:`nor-in-code`\n\n"
        ".. note::\n\n   :any:`in-a-note`\n"
    )
    body = parse_rst(text)
    assert [(r.kind.value, r.target, r.span.line, r.span.column) for r in body.references] == [
        ("ref", "label", 4, 7),
        ("doc", "../doc", 4, 27),
        ("term", "A Term", 4, 44),
        ("numref", "fig", 4, 62),
        ("ref", "in-glossary", 12, 29),
        ("any", "in-a-note", 24, 10),
    ]
    assert [(i.target, i.start_after, i.span.line) for i in body.includes] == [
        ("part.rst", "START", 6)
    ]
    assert ("A Term", 11, "term") in [(lb.name, lb.span.line, lb.kind) for lb in body.labels]


def test_slugify_matches_the_anchors_plugin() -> None:
    """The ASCII fast path and the full pattern both give mdit_py_plugins' slugs."""
    from mdit_py_plugins.anchors.index import slugify as oracle

    from nemo_docs_lint.markdown.slugs import slugify

    titles = [
        "Hello, World! (v2.0) -- a_b `c` & d",
        "  Tabs\tand ~tildes~ #1",
        "Überblick: Größe",
        "中文标题 and ASCII",
        "édition \u9ffd\u9fff\u4e00 ünïcödé",
        "Ǆ ǅ İstanbul",
        "",
    ]
    for title in titles:
        assert slugify(title) == oracle(title), title
    assert slugify("Hello, World! (v2.0)") == "hello-world-v20"


def test_slug_drops_what_the_anchors_pattern_drops_for_every_code_point() -> None:
    import re
    import sys

    from nemo_docs_lint.markdown.slugs import slugify

    pattern = re.compile(r"[^\w\u4e00-\u9fff\- ]")  # mdit_py_plugins.anchors' _SLUG_DROP
    every = "x_- .!" + "".join(map(chr, range(0x80, sys.maxunicode + 1)))  # the char-wise path
    assert slugify(every) == pattern.sub("", every.lower().replace(" ", "-"))
