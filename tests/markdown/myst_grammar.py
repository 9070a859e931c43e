"""Hypothesis strategies: MyST documents generated from a small grammar.

Shared by `test_property.py` (bounded, in the suite) and `benchmarks/fuzz_scanner.py` (a long
run). The grammar aims at what the scanner extracts and at the syntax around it that changes
what counts: links (nested brackets, reference style, autolinks), images, roles, code spans,
fences (nested, unclosed), colon fences, directives with options, toctrees, lists and
blockquotes (with tabs), tables, HTML, math blocks, definition lists (and glossaries) and
no-break spaces.
"""

from __future__ import annotations

from hypothesis import strategies as st

NBSP = "\u00a0"
WORDS = ["alpha", "beta", "x", "a_b", "*em*", "**strong**", "1.", "-", "#", "|", "\\", NBSP]
TARGETS = [
    "page.md",
    "../up/other.md#frag",
    "https://example.com/a_b?q=1",
    "<spaced target.md>",
    "dir/page",
    "#local-anchor",
    "project:guide.md",
    "a(b)c.md",
    "foo\\_bar.md",
]
BLANKS = [" ", "  ", "\t", " \t", NBSP]

word = st.sampled_from(WORDS)
target = st.sampled_from(TARGETS)
ref_label = st.sampled_from(["ref-0", "ref-1", "Ref 1"])
name = st.sampled_from(["lab", "sec-a", "x", "fig-1"])


@st.composite
def link(draw: st.DrawFn) -> str:
    text = draw(st.lists(word, min_size=1, max_size=3).map(" ".join))
    t = draw(target)
    plain = t.strip("<>")
    k = draw(st.integers(0, 18))
    return [
        f"[{text}]({t})",
        f'[{text}]({t} "title")',
        f"![alt {text}]({t})",
        "[" * draw(st.integers(1, 25)) + text + "]" * draw(st.integers(0, 25)) + f"({t})",
        f"[outer [inner]({t})]({t})",
        f"[![badge]({t})]({t})",
        f"[{text}][{draw(ref_label)}]",
        f"[{draw(ref_label)}]",
        f"<https://auto.example/{text.replace(' ', '')}>",
        f"<{plain}>",
        f"{{ref}}`{draw(name)}`",
        f"{{doc}}`Text <{plain}>`",
        f"{{download}}`{plain}`",
        f"`code [{text}]({t})`",
        f"<!-- note [x]({t}) -->",
        f'<a href="{plain}">a</a>',
        f"$math [x]({t})$",
        f"\\[not]({t})",
        f"{{{{ sub }}}} [{text}]({t})",
    ][k]


inline_part = st.one_of(word, word, link())


@st.composite
def inline(draw: st.DrawFn, one_line: bool = False) -> str:
    parts = draw(st.lists(inline_part, min_size=1, max_size=6))
    seps = [" ", " ", NBSP] if one_line else [" ", " ", "\n", "\n  ", NBSP]
    out = parts[0]
    for p in parts[1:]:
        out += draw(st.sampled_from(seps)) + p
    return out


@st.composite
def directive(draw: st.DrawFn, depth: int) -> str:
    fence = draw(st.sampled_from(["```", "````", ":::", "::::", "~~~"]))
    kind = draw(st.integers(0, 5))
    closing = "" if draw(st.integers(0, 9)) == 0 else "\n" + fence
    if kind == 0:
        entries = draw(st.lists(st.sampled_from(["intro", "Title <other/doc>", "guides/*"])))
        opts = draw(
            st.sampled_from(["", ":glob:\n", ":maxdepth: 2\n:caption: C\n", "---\nglob:\n---\n"])
        )
        return f"{fence}{{toctree}}\n{opts}\n" + "\n".join(entries) + closing
    if kind == 1:
        sep = draw(st.sampled_from([" ", NBSP, "  "]))
        return f"{fence}{{image}}{sep}pic.png\n:name: {draw(name)}" + closing
    if kind == 2:
        return f"{fence}{{figure}} img.png\n:name: {draw(name)}\n\nCaption {draw(link())}" + closing
    if kind == 3:
        return f"{fence}{{code-block}} md\n[no](x.md)" + closing
    inner = draw(body(depth + 1)) if depth < 2 else draw(inline())
    if fence[0] == "`":
        fence = "`" * (len(fence) + 2 - depth)  # outer fences longer than the inner ones
        closing = closing and "\n" + fence
    opts = draw(
        st.sampled_from(
            ["", ":class: c\n", ":link: x/y\n:link-type: doc\n", ":name: n\n  indented\n"]
        )
    )
    return f"{fence}{{note}}\n{opts}\n{inner}{closing}"


@st.composite
def table(draw: st.DrawFn) -> str:
    cols = draw(st.integers(1, 3))
    head = "| " + " | ".join(draw(word) for _ in range(cols)) + " |"
    delim = "|" + "|".join("---" for _ in range(cols)) + "|"
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        n = draw(st.integers(1, cols + 2))
        rows.append("| " + " | ".join(draw(inline_part) for _ in range(n)) + " |")
    return "\n".join([head, delim, *rows])


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    k = draw(st.integers(0, 23 if depth < 2 else 12))
    if k < 3:
        return draw(inline())
    if k == 3:
        return f"{'#' * draw(st.integers(1, 6))} {draw(inline(one_line=True))}"
    if k == 4:
        return f"{draw(word)} heading\n{draw(st.sampled_from(['===', '---']))}"
    if k == 5:
        return f"({draw(name)})="
    if k == 6:
        return f"[{draw(ref_label)}]: {draw(target)} 'title'"
    if k == 7:
        return "```python\n[no](x.md)\n```"
    if k == 8:
        return "    indented [no](x.md)"
    if k == 9:
        return draw(st.sampled_from(["$$\n[no](x.md)\n$$", "$$ x $$", "$$\n[x](unclosed.md)"]))
    if k == 10:
        env = draw(st.sampled_from(["equation", "align*"]))
        end = "" if draw(st.booleans()) else f"\n\\end{{{env}}}"
        return f"\\begin{{{env}}}\n[no](x.md){end}"
    if k == 11:
        return draw(
            st.sampled_from(
                [
                    "<!-- c [no](x.md) -->",
                    "<!--\n[no](x.md)",
                    "<div>\n<a href='d.md'>x</a>\n</div>",
                    "% comment [no](x.md)",
                    "+++",
                ]
            )
        )
    if k == 12:
        return draw(table())
    if k in (13, 14):
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "2. ", "-\t", "- \t", "1.  "]))
        items = draw(st.lists(block(depth + 1), min_size=1, max_size=3))
        out = []
        for i, item in enumerate(items):
            m = marker if i == 0 or not marker[0].isdigit() else f"{i + 1}." + marker[2:]
            pad = " " * len(m.expandtabs(4)) if "\t" not in m else "  "
            out.append(m + item.replace("\n", "\n" + pad))
        return "\n".join(out)
    if k == 15:
        prefix = draw(st.sampled_from(["> ", ">", "> \t", ">\t"]))
        inner = draw(block(depth + 1))
        return prefix + inner.replace("\n", "\n" + prefix)
    if k in (16, 17, 18):
        return draw(directive(depth))
    if k == 19:
        return draw(st.sampled_from(BLANKS)) + draw(inline(one_line=True))
    if k == 20:
        return f"{draw(st.sampled_from(['```', ':::']))}{NBSP}\n[a](a.md)\n"
    if k in (22, 23):
        return draw(definition_list(depth))
    return "- a\n\n" + draw(st.sampled_from(BLANKS)) + draw(link())


@st.composite
def definition_list(draw: st.DrawFn, depth: int) -> str:
    """deflist (MyST's `deflist` extension, on in the reference parser): terms, each with
    one or more `: ` / `~ ` definitions, whose later lines are indented by 2 (or more: code
    from 6); a `{.glossary}` line above makes the terms glossary terms (issue 10)."""
    out = ["{.glossary}"] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(1, 3))):
        out.append(draw(inline(one_line=True)))
        if draw(st.integers(0, 5)) == 0:
            out.append("")  # a blank line between a term and its definition
        for _ in range(draw(st.integers(1, 2))):
            marker = draw(st.sampled_from([": ", "~ ", ":   ", ":\t", ":      "]))
            inner = draw(block(depth + 1)) if depth < 2 else draw(inline())
            pad = draw(st.sampled_from(["  ", "  ", "    ", "      ", ""]))
            out.append(marker + inner.replace("\n", "\n" + pad))
        out.append(draw(st.sampled_from(["", "", "\n"])))
    return "\n".join(out).rstrip("\n")


@st.composite
def body(draw: st.DrawFn, depth: int = 0) -> str:
    blocks = draw(st.lists(block(depth), min_size=1, max_size=6 if depth else 10))
    seps = draw(st.lists(st.sampled_from(["\n\n", "\n\n", "\n"]), min_size=len(blocks)))
    out = blocks[0]
    for b, sep in zip(blocks[1:], seps, strict=False):
        out += sep + b
    return out


documents = body().map(lambda s: s + "\n")
