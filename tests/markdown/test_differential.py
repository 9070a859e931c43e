"""Differential test: the fast scanner vs the markdown-it-py + MyST plugins oracle."""

from __future__ import annotations

import os
import random
from collections import Counter
from pathlib import Path

import pytest
from markdown_it.common.utils import unescapeAll
from myst_grammar import TARGETS

from nemo_docs_lint.frontmatter import parse_frontmatter
from nemo_docs_lint.markdown import parse_markdown
from nemo_docs_lint.markdown.mdit import myst_markdown_it
from nemo_docs_lint.markdown.reference import parse_markdown_reference
from nemo_docs_lint.model import PROSE_MARKS, ParsedBody

CORPUS = Path(
    os.environ.get(
        "NEMO_DOCS_LINT_CORPUS",
        Path(__file__).resolve().parents[2] / ".." / "shared/corpus/nemo-rl-refactor/docs",
    )
)

# Known, accepted differences: (generated-document seed or corpus path, reason). Keep tiny.
ALLOWED: dict[str, str] = {}


def _norm(kind: str, target: str) -> str:
    """markdown-it stores normalised hrefs; the fast path keeps the raw text."""
    md = myst_markdown_it()
    if kind == "autolink":
        return md.normalizeLink(target)
    if kind in ("link", "image"):
        return md.normalizeLink(unescapeAll(target))
    return target


def _summary(body: ParsedBody, fast: bool) -> dict[str, object]:
    refs = Counter(
        (
            r.kind.value,
            _norm(r.kind.value, r.target) if fast else r.target,
            r.span.line,
            r.link_type,
            None if r.text is None else " ".join(r.text.split()),
            None if r.text_span is None else r.text_span.line,
        )
        for r in body.references
    )
    ranges = zip(body.prose[0::2], body.prose[1::2], strict=True)
    prose = sorted({n for first, last in ranges for n in range(first, last + 1)})
    return {
        "references": refs,
        "labels": [(lb.name, lb.span.line, lb.kind) for lb in body.labels],
        "includes": [(i.target, i.span.line, i.start_after, i.end_before) for i in body.includes],
        "headings": [(h.level, h.slug, h.text, h.span.line, h.nested) for h in body.headings],
        "toctrees": [
            (
                t.span.line,
                t.glob,
                t.hidden,
                t.caption,
                t.maxdepth,
                *((e.target, e.title, e.span.line) for e in t.entries),
            )
            for t in body.toctrees
        ],
        "comments": [(c.text, c.span.line) for c in body.comments],
        "title": body.title,
        "code_blocks": [(b.language, b.span.line, b.directive) for b in body.code_blocks],
        "prose": prose,
    }


def _check_spans(text: str, body: ParsedBody) -> list[str]:
    """Every single-line span of the fast path must read exactly its target."""
    lines = text.split("\n")
    bad = []
    for r in body.references:
        s = r.span
        written = lines[s.line - 1][s.column - 1 : s.end_column - 1]
        # (in a table cell, markdown-it reads `\|` as `|`: the span is the text as written)
        if s.line == s.end_line and r.target not in (written, written.replace("\\|", "|")):
            bad.append(f"{r}")
    for lb in body.labels:
        s = lb.span
        written = lines[s.line - 1][s.column - 1 : s.end_column - 1]
        # a Python object's span is its name as written; its label, the full dotted name
        if written != lb.name and not (lb.kind == "py" and lb.name.endswith("." + written)):
            bad.append(f"{lb}")
    prose = body.prose
    for k in range(0, len(prose), 2):  # each mark in a prose range is among the page's marks
        block = "\n".join(lines[prose[k] - 1 : prose[k + 1]])
        for bit, mark in enumerate(PROSE_MARKS):
            held = mark in (block if mark.isupper() else block.lower())
            if held and not body.prose_marks >> bit & 1:
                bad.append(f"prose lines {prose[k]}-{prose[k + 1]} hold `{mark}`, not marked")
    return bad


def _compare(text: str, depth: int = 5) -> list[str]:
    start = parse_frontmatter(text).body_start_line
    fast = _summary(parse_markdown(text, start, depth), True)
    ref = _summary(parse_markdown_reference(text, start, depth), False)
    problems = []
    for key in fast:
        if fast[key] != ref[key]:
            f, r = fast[key], ref[key]
            if isinstance(f, Counter) and isinstance(r, Counter):
                problems.append(f"{key}: fast-only {dict(f - r)} reference-only {dict(r - f)}")
            else:
                problems.append(f"{key}: fast {f} != reference {r}")
    problems += _check_spans(text, parse_markdown(text, start, depth))
    return problems


def _corpus_pages() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.rglob("*.md"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
def test_corpus_matches_reference() -> None:
    failures = {}
    for page in _corpus_pages():
        rel = page.relative_to(CORPUS).as_posix()
        text = page.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        problems = _compare(text)
        if problems and rel not in ALLOWED:
            failures[rel] = problems
    assert not failures, failures


# -- generated documents --------------------------------------------------------------

_WORDS = ["alpha", "beta", "gamma", "delta", "*em*", "**strong**", "a_b", "x", "1.", "-"]
_TARGETS = TARGETS  # the link targets the property test's grammar uses too


def _inline(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 9)):
        k = rng.randrange(28)
        w = rng.choice(_WORDS)
        t = rng.choice(_TARGETS)
        plain = t.strip("<>")
        parts.append(
            [
                w,
                w,
                w,
                f"[{w}]({t})",
                f'[{w}]({t} "title")',
                f"![alt {w}]({t})",
                f"`code [{w}]({t})`",
                f"``a ` [x]({t})``",
                f"<https://auto.example/{w}>",
                f"<{plain}>",
                f"{{ref}}`{w}-label`",
                f"{{doc}}`Text <{plain}>`",
                f"{{download}}`{plain}`",
                f"<!-- note [x]({t}) -->",
                f'<a href="{plain}">a</a>',
                f'<img src="{plain}" />',
                f"$math [x]({t})$",
                f"[outer [inner]({t})]({t})",
                f"[![badge]({t})]({t})",
                f"\\[not]({t})",
                f"[ref-{rng.randrange(3)}]",
                f"{{{{ sub }}}} [{w}]({t})",
                f"[span {w}]{{#span-{rng.randrange(9)}}}",
                f"[{w}]({t}){{#lid-{rng.randrange(9)} .external}}",
                f"![alt]({t}){{#img-{rng.randrange(9)}}}",
                f"{{term}}`Term {w}` {{numref}}`Fig<fig-{rng.randrange(3)}>`",
                f"{{eq}}`eq-{rng.randrange(3)}` {{any}}`{w}`",
                f"{{ref}}`tight<{w}-label>`",
            ][k]
        )
    sep = rng.choice([" ", " ", "\n", "\n  "])
    return sep.join(parts)


def _block(rng: random.Random, depth: int = 0) -> str:
    k = rng.randrange(28 if depth < 2 else 14)
    fence = rng.choice(["```", "~~~", "````"])
    if k < 4:
        return _inline(rng)
    if k == 4:
        return f"{'#' * rng.randint(1, 6)} {_inline(rng).splitlines()[0]}"
    if k == 5:
        return f"{rng.choice(_WORDS)} heading {rng.randrange(3)}\n{rng.choice(['===', '---'])}"
    if k == 6:
        return f"{fence}python\n[no]({rng.choice(_TARGETS)})\n{fence}"
    if k == 7:
        return "    indented [no](x.md)\n    more"
    if k == 8:
        return f"(label-{rng.randrange(99)})="
    if k == 9:
        return f"[ref-{rng.randrange(3)}]: {rng.choice(_TARGETS)} 'title'"
    if k == 10:
        return (
            "- "
            + _inline(rng).replace("\n", "\n  ")
            + "\n- item [two](two.md)\n\n  ```\n  [no](x)\n  ```"
        )
    if k == 11:
        return "> " + _inline(rng).replace("\n", "\n> ")
    if k == 12:
        return "<div>\n<a href='div.md'>x</a> [no](x.md)\n</div>"
    if k == 13:
        return "```{toctree}\n:glob:\n:maxdepth: 2\n\nintro\nTitle <other/doc>\nself\nguides/*\n```"
    if k == 14:
        return f"$$\n[no]({rng.choice(_TARGETS)})\n$$"
    if k == 15:
        inner = "\n\n".join(_block(rng, depth + 1) for _ in range(rng.randint(1, 3)))
        return f"::::{{grid-item-card}} T\n:link: x/y\n:link-type: doc\n\n{inner}\n::::"
    if k == 16:
        inner = "\n\n".join(_block(rng, depth + 1) for _ in range(rng.randint(1, 3)))
        return f"`````{{note}}\n{inner}\n`````"
    if k == 17:
        name = f"fig-{rng.randrange(9)}"
        return f"```{{figure}} img/{rng.randrange(9)}.png\n:name: {name}\n\nCaption [c](c.md)\n```"
    if k == 18:
        return "```{code-block} md\n[no](x.md)\n```"
    if k == 20:
        return f"{{#block-{rng.randrange(9)}}}\n{_inline(rng)}"
    if k == 21:
        return (
            "{.glossary}\nTerm one\n: A [definition](d.md).\n\n    Indented [more](m.md).\n\n"
            "Term two\n: Another.\n\nEnd."
        )
    if k == 22:
        return "```{eval-rst}\n.. _rst-label:\n\nTitle\n-----\n\n:ref:`x` :doc:`y<z>`\n```"
    if k == 23:
        return f":::{{figure-md}} fig-{rng.randrange(3)}\n![alt](f.png)\n\nCaption\n:::"
    if k == 24:
        return f"$$ a = b $$ (eq-{rng.randrange(3)})\n\n$$\nx\n$$ (eq-m{rng.randrange(3)})"
    if k == 25:
        return "```{glossary}\nTerm {w}\n  Its definition.\n\nOther\n  Another.\n```".replace(
            "{w}", rng.choice(["a", "b"])
        )
    if k == 26:
        return "```{py:class} Widget\n:module: pkg\n\n```{py:method} run()\n```\n```"
    if k == 27:
        return "```{include} part.md\n:start-after: START\n:heading-offset: 1\n```"
    return ":::{image} pic.png\n:::\n\n% comment [no](x.md)\n+++\n1. one [o](o.md)\n2. two"


def _document(seed: int) -> str:
    rng = random.Random(seed)
    blocks = [_block(rng) for _ in range(rng.randint(3, 14))]
    return "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize("seed", range(300))
def test_generated_matches_reference(seed: int) -> None:
    if str(seed) in ALLOWED:
        pytest.skip(ALLOWED[str(seed)])
    text = _document(seed)
    assert _compare(text) == [], text


# What the CQ rules read (link and alt text, role titles, code blocks, nested headings, prose):
# documents built from those constructs, each compared whole.
_CQ_PARTS = [
    "{ref}`click here <a-label>` and {doc}`Text <page>`",
    '<img src="a.png" alt="a chart"> <img src="b.png">',
    "[](https://e.example/x) [**bold** `code` more](page.md) [![CI](b.svg)](https://ci.example)",
    "![alt *em* `c`](p.png) TODO here",
    "```\nplain code\n```\n\n```{code-block}\nno language\n```\n\n~~~python\nx = 1\n~~~",
    ":::{figure} f.png\n:alt: A chart\n\nCap [c](c.md)\n:::",
    "* - {py:obj}`a <x.a>`\n  -\n* - b\n  - text",
    "```{note}\n## Inside\n\ntext\n```",
    "::::{grid} 2\n:::{grid-item-card} Card\nText [t](t.md).\n:::\n::::",
    "| a | b |\n|---|---|\n| [x](x.md) | y |",
    "Term\n: Definition [d](d.md).",
]


@pytest.mark.parametrize("seed", range(40))
def test_content_constructs_match_reference(seed: int) -> None:
    rng = random.Random(seed)
    parts = [rng.choice(_CQ_PARTS) for _ in range(rng.randint(2, 6))]
    text = "# Title\n\n" + "\n\n".join(parts) + "\n"
    assert _compare(text) == []
