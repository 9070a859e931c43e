"""The smallest documents each class of fuzz disagreement was minimised to (fast scanner vs
markdown-it-py), with exactly what the scanner must extract. Which side was right was decided
by what MyST-Parser + Sphinx do (a real build) where the two parsers disagreed."""

from __future__ import annotations

import pytest
from test_differential import _compare

from nemo_docs_lint.markdown import parse_markdown


def labels(text: str) -> list[tuple[str, int, int, str]]:
    body = parse_markdown(text, 1, 3)
    return [(lb.name, lb.span.line, lb.span.column, lb.kind) for lb in body.labels]


def refs(text: str) -> list[tuple[str, str, int, int]]:
    body = parse_markdown(text, 1, 3)
    return [(r.kind.value, r.target, r.span.line, r.span.column) for r in body.references]


def prose(text: str) -> list[int]:
    body = parse_markdown(text, 1, 3)
    return list(body.prose)


# -- labels above a heading: which blocks in between leave them titled -------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Sphinx: a block break or an amsmath environment is a node between the target and the
        # section ("A title or caption not found"); a definition makes no node (titled).
        ("(e)=\n+++\n# T\n", "untitled"),
        ("(x)=\n\\begin{equation}x\\end{equation}\n# T\n", "untitled"),
        ("(x)=\n\\begin{equation}\nx\n\\end{equation}\n# T\n", "untitled"),
        ("(f)=\n[0]: i\n# T\n", ""),
        ("(f)=\n\n[0]: i\n\n# T\n", ""),
    ],
)
def test_label_titled_across_blocks(text: str, kind: str) -> None:
    assert labels(text) == [(text[1 : text.index(")")], 1, 2, kind)]
    assert _compare(text) == []


# -- a link reference definition is a block of its own: the next line starts afresh -----


@pytest.mark.parametrize(
    ("text", "expected_prose"),
    [
        ("[r]: x\n$$ y $$\n", []),  # a one-line math block, not paragraph text
        ("[r]: x\n1.\n", []),  # an empty list item (no paragraph to interrupt)
        ("[r]: x\n-\n", []),
        ("[r]: x\n<s>\n", []),  # an HTML block of type 7
        ("[r]: x\n  'title'\n1.\n", []),  # the title on its own line is still the definition's
        ("[r]: x\nword\n1.\n", [2, 3]),  # a paragraph after it: `1.` cannot interrupt it
    ],
)
def test_definition_ends_its_block(text: str, expected_prose: list[int]) -> None:
    assert refs(text) == [("link", "x", 1, 6)]
    assert prose(text) == expected_prose
    assert _compare(text) == []


def test_definition_then_list_item_link() -> None:
    text = "[e]: x\n2. [a](b.md)\n"
    assert refs(text) == [("link", "x", 1, 6), ("link", "b.md", 2, 8)]
    assert prose(text) == [2, 2]
    assert _compare(text) == []


# -- math blocks in blockquotes: the closing line must be the blockquote's ----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the `$$` after the blockquote cannot close a block opened in it: a paragraph
        (">$$[a](b.md)\n\n$$\n", [("link", "b.md", 1, 8)]),
        (">$$[a](b.md)\n-\t$$\n", [("link", "b.md", 1, 8)]),  # a list item ends the quote
        ("-\t>$$[a](b.md)\n>$$\n", [("link", "b.md", 1, 10)]),  # a quote outside the item
        (">\\begin{equation}[a](b.md)\n\n\\end{equation}\n", [("link", "b.md", 1, 22)]),
        # a lazy line is the blockquote's: it closes the block (no link on it)
        (">$$\n[a](b.md)$$\n", []),
        (">\\begin{equation}\n[a](b.md)\\end{equation}\n", []),
    ],
)
def test_math_block_closes_within_its_blockquote(
    text: str, expected: list[tuple[str, str, int, int]]
) -> None:
    assert refs(text) == expected
    assert _compare(text) == []


@pytest.mark.parametrize("text", [">i\n-\n", ">a\n2. b\n", ">[\n1.\n"])
def test_list_item_ends_a_blockquote(text: str) -> None:
    """markdown-it's blockquote is ended by any list item (not only those that may
    interrupt a paragraph): the item is no lazy paragraph line."""
    assert prose(text) == ([1, 1, 2, 2] if "b" in text else [1, 1])
    assert _compare(text) == []


# -- no-break spaces around a setext heading's text (markdown-it-py strips them) ---------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("b\xa0\n\xa0\n-\n", (2, "b", 1, 1)),
        ("\\\n\xa0\n-\n", (2, "\\", 1, 1)),  # the backslash ends the text: no hard break
        ("\xa0\n\xa0\n[a](b)\n\xa0\n-\n", (2, "a", 1, 2)),
    ],
)
def test_setext_heading_strips_no_break_spaces(
    text: str, expected: tuple[int, str, int, int]
) -> None:
    (h,) = parse_markdown(text, 1, 3).headings
    assert (h.level, h.text, h.span.line, h.span.column) == expected
    assert _compare(text) == []


def test_link_below_a_no_break_space_line_keeps_its_line() -> None:
    text = "\xa0\n[a](b.md)\n-\n"
    assert refs(text) == [("link", "b.md", 2, 5)]
    assert _compare(text) == []  # the oracle counts the line str.strip dropped


# -- inline math opening a text that ends in a backslash ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # mdit_py_plugins (so MyST and Sphinx) reads the `$` as escaped: no math, a link
        ("$[a](b.md)$\\\n", [("link", "b.md", 1, 6)]),
        ("# $[a](b.md)$ \\\\\n", [("link", "b.md", 1, 8)]),
        # not at the text's start, or no backslash at its end: math, no link
        ("x $[a](b.md)$\\\n", []),
        ("$[a](b.md)$\\ x\n", []),
    ],
)
def test_inline_math_escaped_by_a_final_backslash(
    text: str, expected: list[tuple[str, str, int, int]]
) -> None:
    assert refs(text) == expected
    assert _compare(text) == []


def test_link_after_multiline_inline_math_keeps_its_line() -> None:
    text = "$\n$[a](b.md)\n"
    assert refs(text) == [("link", "b.md", 2, 6)]
    assert _compare(text) == []  # the oracle counts the newline inside the math


# -- lazy lines after definitions, no-break-space rows, lone field names -----------------


def test_lazy_line_after_a_definition_leaves_the_blockquote() -> None:
    """markdown-it's blockquote ends with the definition: `g` and `-` are a heading below."""
    text = ">[e]: x\ng\n-\n"
    (h,) = parse_markdown(text, 1, 3).headings
    assert (h.level, h.text, h.span.line) == (2, "g", 2)
    assert _compare(text) == []


def test_lazy_title_of_a_definition_stays_in_the_blockquote() -> None:
    text = '> [a]: b\n  "t"\n'
    assert refs(text) == [("link", "b", 1, 8)]
    assert prose(text) == []
    assert _compare(text) == []


def test_no_break_space_line_ends_a_table() -> None:
    text = "a|b\n-|-\n\xa0\n1.\n"
    assert prose(text) == [1, 2, 3, 4]  # the table, then a paragraph `1.` continues
    assert _compare(text) == []


def test_field_name_alone_is_prose() -> None:
    assert prose(":b:\n") == [1, 1]
    assert _compare(":b:\n") == []


def test_link_after_an_image_whose_alt_spans_lines() -> None:
    text = "![a\nb](x.png) [c](d.md)\n"
    assert refs(text) == [("image", "x.png", 2, 4), ("link", "d.md", 2, 15)]
    assert _compare(text) == []  # the oracle counts the alt text's line break


# -- definition lists (deflist): a definition is a container, like a list item ------------


@pytest.mark.parametrize(
    ("text", "expected_refs", "expected_prose"),
    [
        # indented 4+ under a definition: its paragraph (the definition's indent is 2), not code
        ("T\n: d\n\n    [a](b.md) more\n", [("link", "b.md", 4, 9)], [1, 1, 2, 2, 4, 4]),
        # a list, a fence and a heading inside the definition
        ("T\n: - item [x](y.md)\n  - two\n", [("link", "y.md", 2, 14)], [1, 1, 2, 2, 3, 3]),
        ("T\n: ```{note}\n  [x](y.md)\n  ```\n", [("link", "y.md", 3, 7)], [1, 1, 3, 3]),
        ("T\n:      code [x](y.md)\n", [], [1, 1]),  # 4 columns past its indent: code
        # a marker ends the definition's paragraph: a second definition of the term
        ("T\n: a\n: b [x](y.md)\n", [("link", "y.md", 3, 9)], [1, 1, 2, 2, 3, 3]),
        # a tab after the marker is a blank too (markdown-it's skipSpaces)
        ("T\n:\td [x](y.md)\n", [("link", "y.md", 2, 9)], [1, 1, 2, 2]),
        # no definition list: a two-line paragraph above the marker, or no blank after it
        ("a\nb\n: c [x](y.md)\n", [("link", "y.md", 3, 9)], [1, 3]),
        ("T\n:d [x](y.md)\n", [("link", "y.md", 2, 8)], [1, 2]),
        # an attributes line is a block of its own: the indented line below it is code
        ("{#x}\n    [a](b.md)\n", [], []),
    ],
)
def test_definition_list_blocks(
    text: str, expected_refs: list[tuple[str, str, int, int]], expected_prose: list[int]
) -> None:
    assert refs(text) == expected_refs
    assert prose(text) == expected_prose
    assert _compare(text) == []


def test_glossary_term_with_a_blank_line_before_its_definition() -> None:
    text = "{.glossary}\na\n\n: p\n\nb\n: q\n\nc\n\nd\n: r\n"
    assert labels(text) == [("a", 2, 1, "attr-term"), ("b", 6, 1, "attr-term")]
    assert _compare(text) == []


def test_glossary_terms_across_a_multi_paragraph_definition() -> None:
    text = (
        "{.glossary}\nTerm one\n: A [definition](d.md).\n\n      more\n\n"
        "Term two\n: Another.\n\nEnd\n: not a term of the glossary? yes: the list goes on.\n"
        "\n# After\n\nLate\n: not a glossary term.\n"
    )
    assert [lb for lb in labels(text) if lb[3] == "attr-term"] == [
        ("Term one", 2, 1, "attr-term"),
        ("Term two", 7, 1, "attr-term"),
        ("End", 10, 1, "attr-term"),
    ]
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected_prose"),
    [
        # after a definition, any line above a marker is the next term (even `1.` or `# H`)
        ("T\n: a\n\n1.\n\n: b\n", [1, 1, 2, 2, 4, 4, 6, 6]),
        ("T\n: a\n# H\n: b\n", [1, 1, 2, 2, 3, 3, 4, 4]),
        # setext headings come before definition lists: `T: b` is a heading
        ("T\n: b\n  ===\n", [1, 2]),
        ("> T\n> : b\n>   ===\n", [1, 2]),
        # a marker below a term counts at any indent
        ("T\n        : d\n", [1, 1, 2, 2]),
        # less indented than its definition, a line is never code-indented: `---` is a rule
        ("T\n: a\n\n      : b\n      ---\n", [1, 1, 2, 2, 4, 4]),
        ("10.   a\n    ---\n", [1, 1]),
    ],
)
def test_definition_list_edges(text: str, expected_prose: list[int]) -> None:
    assert prose(text) == expected_prose
    assert _compare(text) == []


def test_glossary_line_no_term_follows_ends_with_its_container() -> None:
    text = "-\t{.glossary}\n  alpha\n  \n  : (lab)=\n"
    assert labels(text) == [("lab", 4, 6, "untitled")]
    assert _compare(text) == []


# -- an attributes line above a setext heading is a block of its own ----------------------


@pytest.mark.parametrize(
    ("text", "expected_labels", "heading"),
    [
        ("{#x}\na\n===\n", [("x", 1, 3, "attr")], (1, "a", 2, 1)),
        ("{.glossary}\na\nb\n-\n", [], (2, "ab", 2, 1)),
        # (a term's definition marker below it is paragraph text: setext comes first)
        ("{.glossary}\nb\n: c\n===\n", [], (1, "b: c", 2, 1)),
    ],
)
def test_attributes_line_above_a_setext_heading(
    text: str, expected_labels: list[tuple[str, int, int, str]], heading: tuple[int, str, int, int]
) -> None:
    body = parse_markdown(text, 1, 3)
    (h,) = body.headings
    assert (h.level, h.text, h.span.line, h.span.column) == heading
    assert labels(text) == expected_labels
    assert prose(text) == [2, text.count("\n") - 1]
    assert _compare(text) == []


def test_attributes_line_alone_above_an_underline() -> None:
    """With no text between them, the underline is a paragraph of its own."""
    text = "{#x}\n===\n"
    assert parse_markdown(text, 1, 3).headings == ()
    assert labels(text) == [("x", 1, 3, "attr-untitled")]
    assert prose(text) == [2, 2]
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`\n`{ref}`a`\n", [("ref", "a", 2, 8)]),
        ("`\n`<aa:b>\n", [("autolink", "aa:b", 2, 3)]),
        ("[`a\nb`](c.md) [d](e.md)\n", [("link", "c.md", 2, 5), ("link", "e.md", 2, 15)]),
    ],
)
def test_references_after_a_code_span_over_lines_keep_their_line(
    text: str, expected: list[tuple[str, str, int, int]]
) -> None:
    """The oracle counts the newline inside the code span (markdown-it makes it a space)."""
    assert refs(text) == expected
    assert _compare(text) == []


def test_glossary_goes_on_after_a_directive_its_definition_ends() -> None:
    """A directive fence left open in a definition ends with it; its body (scanned after the
    next term's line) is a document of its own and ends no glossary outside it."""
    text = "{.glossary}\na\n: ```{note}\n  x\nb\n: c\n"
    assert labels(text) == [("a", 2, 1, "attr-term"), ("b", 5, 1, "attr-term")]
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # myst_role reads a newline in a role's content as a space (so does Sphinx's target)
        ("{ref}`a\nb` [x](y.md)\n", [("ref", "a b", 1, 7), ("link", "y.md", 2, 8)]),
        ("{doc}`x <a\nb>`\n", [("doc", "a b", 1, 10)]),
    ],
)
def test_role_over_lines(text: str, expected: list[tuple[str, str, int, int]]) -> None:
    assert refs(text) == expected
    assert _compare(text) == []


def test_role_title_over_lines_reads_a_space() -> None:
    (ref,) = parse_markdown("{doc}`x\ny <a>`\n", 1, 3).references
    assert ref.text == "x y"


# -- attributes lines in a run, field lines below a term or above an underline ------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # attributes lines with no block between merge: the class reaches the list below
        ("{.glossary}\n{}\na\n: #\n", [("a", 3, 1, "attr-term")]),
        ("{.glossary}\n\n{.x}\na\n: #\n", [("a", 4, 1, "attr-term")]),
        # the later id wins
        ("{#a}\n{#b .c}\n# H\n", [("b", 2, 3, "attr")]),
        # inside a glossary's definition, a plain attributes line ends no glossary
        ("{.glossary}\n)\n~ {}\n>\n~ -\n", [(")", 2, 1, "attr-term"), (">", 4, 1, "attr-term")]),
    ],
)
def test_attributes_lines_merge(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert labels(text) == expected
    assert _compare(text) == []


def test_attributes_line_with_a_blank_line_below_is_no_term() -> None:
    text = "{#a}\n\n: -\n"
    assert labels(text) == [("a", 1, 3, "attr-untitled")]
    assert prose(text) == [3, 3]  # `: -` is a paragraph: no term above it
    assert _compare(text) == []  # (the oracle finds the `{#a}` line above the blank one)


def test_definition_with_a_blank_line_below_is_no_term() -> None:
    text = "[R]:#\n\n: -\n"
    assert refs(text) == [("link", "#", 1, 5)]
    assert prose(text) == [3, 3]
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected_refs", "expected_headings"),
    [
        # setext headings come before field lists: `:]:` and `:<ro:>` are headings' text
        ("g\n=\n:]:\n=\n", [], [(1, "g", 1), (1, ":]:", 3)]),
        ("g\n-\n:<ro:>\n-\n", [("autolink", "ro:", 3, 3)], [(2, "g", 1), (2, ":ro:", 3)]),
        # a field line below a term ends its paragraph: no setext heading, a definition
        ("{.glossary}\na\n: [r]:'\n-\n", [("link", "'", 3, 7)], []),
        (")\n:     []():\n-\n", [], []),  # (its content is code)
    ],
)
def test_field_lines_and_setext_headings(
    text: str,
    expected_refs: list[tuple[str, str, int, int]],
    expected_headings: list[tuple[int, str, int]],
) -> None:
    body = parse_markdown(text, 1, 3)
    assert refs(text) == expected_refs
    assert [(h.level, h.text, h.span.line) for h in body.headings] == expected_headings
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected_prose", "expected_headings"),
    [
        # markdown-it continues a blockquote with a `>` at any indent (here an empty line)
        (">g\n    >\n", [1, 1], []),
        ("#\n>\xa0\n    >-\n", [1, 1, 2, 2], [(1, "", 1), (2, "", 2)]),
    ],
)
def test_blockquote_marker_at_any_indent(
    text: str, expected_prose: list[int], expected_headings: list[tuple[int, str, int]]
) -> None:
    body = parse_markdown(text, 1, 3)
    assert prose(text) == expected_prose
    assert [(h.level, h.text, h.span.line) for h in body.headings] == expected_headings
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected_refs", "expected_prose"),
    [
        # a lazy line indented 4 past the list's column starts no list item (listIndent)
        ("$\n:\t2. |\n      2.\n", [], [1, 1, 2, 3]),
        ("1. -\t**\n       1. [](x.md)\n", [("link", "x.md", 2, 14)], [1, 2]),
        (")\n:   1. }\n      2. [](x.md)\n", [("link", "x.md", 3, 13)], [1, 1, 2, 3]),
    ],
)
def test_lazy_list_marker_indented_past_the_list(
    text: str, expected_refs: list[tuple[str, str, int, int]], expected_prose: list[int]
) -> None:
    assert refs(text) == expected_refs
    assert prose(text) == expected_prose
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a setext heading's later lines keep their indent: a code span over them keeps it
        ("``\n ``\n-\n", (2, "  ", "--", 1)),
        (":```\n    ```\n=\n", (1, ":     ", "-----", 1)),
        ("a\n\t  b\n-\n", (2, "ab", "ab", 1)),  # (around a soft break, blanks are dropped)
    ],
)
def test_setext_heading_lines_keep_their_indent(
    text: str, expected: tuple[int, str, str, int]
) -> None:
    (h,) = parse_markdown(text, 1, 3).headings
    assert (h.level, h.text, h.slug, h.span.line) == expected
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list or an HTML block after the glossary's definitions ends the glossary
        ("{.glossary}\n(\n: |\n1.\n{\n: \xa0\n", [("(", 2, 1, "attr-term")]),
        ("{.glossary}\n<d>\n\nx\n: `\n", []),
        ("{.glossary}\n<!d>\n)\n:\t<\n", []),
        # a glossary nested in a definition ends with it: the outer list is no glossary
        (":\n: {.glossary}\n  <\n  : 1.\n[\n: f\n", [("<", 3, 3, "attr-term")]),
        ("m\n:\t{.glossary}\n  o\n  :     g\n{\n: |\n", [("o", 3, 3, "attr-term")]),
    ],
)
def test_glossary_ends(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert labels(text) == expected
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected_refs", "expected_prose"),
    [
        # a field list in a list item, a field body or a definition: `<hs` is a field name
        ("1. :<hs:>\n", [], [1, 1]),
        (":s::<ht:>\n", [], [1, 1]),
        ("n\n: :[](:)\n", [], [1, 1, 2, 2]),
        # the body's indent counts from the column of the blocks around the field
        (":k:\n :e:\n\n     [](x.md)\n", [("link", "x.md", 4, 9)], [1, 2, 4, 4]),
        (
            "- :a: [x](y.md)\n    more [z](w.md)\n  [q](r.md)\n",
            [("link", "y.md", 1, 11), ("link", "w.md", 2, 14), ("link", "r.md", 3, 7)],
            [1, 3],
        ),
    ],
)
def test_field_list_in_containers(
    text: str, expected_refs: list[tuple[str, str, int, int]], expected_prose: list[int]
) -> None:
    assert refs(text) == expected_refs
    assert prose(text) == expected_prose
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a `{.glossary}` line in a definition no term follows: the outer glossary goes on
        (
            "{.glossary}\n)\n~ {.glossary}\na\n: #\n",
            [(")", 2, 1, "attr-term"), ("a", 4, 1, "attr-term")],
        ),
        ("{.glossary}\n\xa0\n~ {.glossary}\n)\n: $\n", [(")", 4, 1, "attr-term")]),
        # a thematic break after the attributes line takes them: no glossary below
        ("{.glossary}\n---\n->\n: 1\n", []),
        # Sphinx: a transition is a node between the target and the section (untitled)
        ("(x)=\n---\n# H\n", [("x", 1, 2, "untitled")]),
    ],
)
def test_glossary_after_blocks(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert labels(text) == expected
    assert _compare(text) == []


def test_line_after_a_definition_then_a_definition_marker_is_a_term() -> None:
    text = "[R]:'\na\n: <!--\n"
    assert refs(text) == [("link", "'", 1, 5)]
    assert prose(text) == [2, 2]  # `a` is a term; its definition an HTML block
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an indented code block takes the attributes line above it: no glossary below
        ("{.glossary}\n    -\n->\n: 1\n", []),
        # a list in a glossary's definition takes the inner `{.glossary}` line; the list
        # nested below it is in the glossary all the same
        ("{.glossary}\n\xa0\n~ {.glossary}\n  *\n  )\n  : $\n", [(")", 5, 3, "attr-term")]),
        # no glossary around: the one the list took was the only one
        ("T\n: {.glossary}\n  - U\n    : d\n", []),
    ],
)
def test_blocks_take_the_glossary_line(
    text: str, expected: list[tuple[str, int, int, str]]
) -> None:
    assert labels(text) == expected
    assert _compare(text) == []


def test_list_after_a_nested_glossary_ends_it() -> None:
    """A list in the outer definition, after the glossary's definitions, ends the glossary
    nested there (though a definition is still open around it): `d` below is no term."""
    text = "b\n: {.glossary}\n  c\n   : x\n    -\n  d\n  : 1\n"
    assert labels(text) == [("c", 3, 3, "attr-term")]
    assert _compare(text) == []


# -- reference-style links: a `[label]` markdown-it knows a definition of is a link --------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a reference link in a link's text: no outer link (links hold no links), whether
        # the definition comes before or after it on the page
        ("[a [b][r]](c.md)\n\n[r]: x\n", [("link", "x", 3, 6)]),
        ("[r]: x\n\n[a [r]](c.md)\n", [("link", "x", 1, 6)]),
        # `[a][r]` is the link: `(c.md)` after it is text
        ("[a][r](c.md)\n\n[r]: x\n", [("link", "x", 3, 6)]),
        # no definition of `r`: the outer link stands (its text `a b`), as `[r](c.md)` does
        ("[a [b][r]](c.md)\n", [("link", "c.md", 1, 12)]),
        ("[a][r](c.md)\n", [("link", "c.md", 1, 8)]),
        # an inline link that fails: markdown-it tries a label one past where it failed
        ("[a](b [[r]\n\n[r]: x\n", [("link", "x", 3, 6)]),
        # a directive body is parsed after the page: it knows the page's definitions and
        # those of the bodies before it, the page knows none of a body's
        (":::{note}\n[a [r]](c.md)\n:::\n\n[r]: x\n", [("link", "x", 5, 6)]),
        ("[a [r]](c.md)\n:::{note}\n[r]: x\n:::\n", [("link", "c.md", 1, 9), ("link", "x", 3, 6)]),
        (
            ":::{note}\n[a [r]](c.md)\n:::\n:::{note}\n[r]: x\n:::\n",
            [("link", "c.md", 2, 9), ("link", "x", 5, 6)],
        ),
        (":::{note}\n[r]: x\n:::\n:::{note}\n[a [r]](c.md)\n:::\n", [("link", "x", 2, 6)]),
    ],
)
def test_reference_link_in_link_text(text: str, expected: list[tuple[str, str, int, int]]) -> None:
    assert refs(text) == expected
    assert _compare(text) == []


def test_reference_link_takes_attributes() -> None:
    """attrs_inline applies after a reference link too; MyST gives the link its id."""
    text = "[r]{#i}\n\n[r]: x\n"
    assert labels(text) == [("i", 1, 6, "attr-untitled")]
    assert refs(text) == [("link", "x", 3, 6)]
    assert _compare(text) == []


def test_reference_link_text_knows_later_definitions() -> None:
    text = "[![i](p.png) [r]](c.md)\n\n[r]: x\n"
    # `[r]` is a link: no outer one (the image in its text stands)
    assert refs(text) == [("image", "p.png", 1, 7), ("link", "x", 3, 6)]
    assert _compare(text) == []
    text = "![a [r]](p.png)\n\n[r]: x\n"  # an image's text may hold links
    body = parse_markdown(text, 1, 3)
    assert [(r.target, r.text) for r in body.references] == [("p.png", "a r"), ("x", None)]
    assert _compare(text) == []


# -- validateLink: markdown-it rejects javascript:, vbscript:, file: and data: (not images) --


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[a](javascript:x)\n", []),
        ("[a](JavaScript\\:x)\n", []),  # after unescaping
        ("[a](java&#115;cript:x)\n", []),  # after decoding the character reference
        ("![a](data:text/html,x)\n", []),
        ("![a](data:image/png;base64,x)\n", [("image", "data:image/png;base64,x", 1, 6)]),
        ("<javascript:x>\n", []),
        ("<vbscript:x>\n", []),
        # a definition of a rejected destination is a paragraph: `[r]` is no link
        ("[r]: file:///x\n\n[a [r]](c.md)\n", [("link", "c.md", 3, 9)]),
    ],
)
def test_rejected_destinations(text: str, expected: list[tuple[str, str, int, int]]) -> None:
    assert refs(text) == expected
    assert _compare(text) == []


# -- table cells: markdown-it (GFM) reads `\|` as `|` before parsing a cell ----------------


def test_escaped_pipe_in_a_cell() -> None:
    """`<https://a.b/x\\|y>` in a cell is the autolink `https://a.b/x|y` (%7C once
    normalised; the backslash is not part of it): markdown-it's table rule drops the
    backslash of an escaped pipe when it splits the row. The span is the text as written."""
    text = "| <https://a.b/x\\|y> |\n|---|\n| [t\\|u](p\\|q.md) {ref}`r\\|s` |\n"
    body = parse_markdown(text, 1, 3)
    assert [(r.kind.value, r.target, r.text) for r in body.references] == [
        ("autolink", "https://a.b/x|y", None),
        ("link", "p|q.md", "t|u"),
        ("ref", "r|s", None),
    ]
    assert [(r.span.line, r.span.column, r.span.end_column) for r in body.references] == [
        (1, 4, 20),
        (3, 10, 17),
        (3, 25, 29),
    ]
    assert _compare(text) == []


# -- attrs_inline spans: markdown-it tries one wherever a link is not ---------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the span rule's label scan lets links nest: it reaches the `t` link 22 brackets
        # deep, past markdown-it's nesting limit (20), and its skipToken cache then says
        # "to the end" there: no `t` link. With 13 brackets it stays within the limit.
        ("[[[[[[[[]()[[[[[[[[[[[[[[t]()\n", [("link", "", 1, 11)]),
        ("[[[[[[[[]()[[[[[[[[[[[[[t]()\n", [("link", "", 1, 11), ("link", "", 1, 28)]),
    ],
)
def test_span_scans_reach_the_nesting_limit(
    text: str, expected: list[tuple[str, str, int, int]]
) -> None:
    assert refs(text) == expected
    assert _compare(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[a [b] c]{#x}\n", [("x", 1, 12, "attr-untitled")]),  # brackets in its text
        ("[a\nb]{#x}\n", [("x", 2, 5, "attr-untitled")]),  # text over lines
        # an id comes before those in the text (as its token does)
        ("[a\n[b]{#y}]{#x}\n", [("x", 2, 11, "attr-untitled"), ("y", 2, 6, "attr-untitled")]),
        # a span in a link's text is a token of its own: no link, `{#x}` is text
        ("[a [b]{#y} c](d){#x}\n", [("y", 1, 9, "attr-untitled")]),
    ],
)
def test_span_and_link_ids(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert labels(text) == expected
    assert _compare(text) == []


def test_definition_marker_ends_a_blockquote_in_a_definition() -> None:
    """deflist ends a blockquote at a definition marker (in a definition): the `$$` in the
    blockquote finds no closing line there, so it is a paragraph, and the next definition's
    `$$` opens no block either: `[]()` is a link."""
    text = "a\n: >$$\n: $$\n[]()\n"
    assert prose(text) == [1, 1, 2, 2, 3, 4]
    assert refs(text) == [("link", "", 4, 4)]
    assert _compare(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "{.glossary}\n$$$$\n}\n: a\n",  # a one-line math block takes the attributes line
        "{.glossary}\n$$\nx\n$$\n}\n: a\n",
        "{.glossary}\n\\begin{equation}x\\end{equation}\n}\n: a\n",
    ],
)
def test_math_block_takes_the_glossary_line(text: str) -> None:
    assert labels(text) == []  # `}` is a term, but of no glossary
    assert _compare(text) == []


# -- an amsmath opener nothing closes is a table row, not the table's end -----------------


@pytest.mark.parametrize(
    ("text", "expected_prose", "expected_refs"),
    [
        # markdown-it's amsmath rule fails without a closing line: the row goes on, and the
        # indented line after it ends the table as code (no prose, no link there)
        ("a|||\n-|-|-\n\\begin{align}\n    )", [1, 3], []),
        ("a|b\n-|-\n\\begin{align}\n    [x](y.md)\n", [1, 3], []),
        # one that closes ends the table, as any block does
        ("a|b\n-|-\n\\begin{align}\nx\n\\end{align}\n", [1, 2], []),
        ("a|b\n-|-\n\\begin{align}x\\end{align}\n[z](w.md)\n", [1, 2, 4, 4], [("w.md", 4)]),
    ],
)
def test_unclosed_amsmath_in_a_table(
    text: str, expected_prose: list[int], expected_refs: list[tuple[str, int]]
) -> None:
    body = parse_markdown(text, 1, 3)
    assert list(body.prose) == expected_prose
    assert [(r.target, r.span.line) for r in body.references] == expected_refs
    assert _compare(text) == []
