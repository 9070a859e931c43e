"""CQ rules beyond their fixtures: options and their validation, the default selection, CQ009's
unsafe fix, the documentation `rules CODE` prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import write_tree

PAGE = "# Install\n\nClick [here](other.md).\n\n## Other\n\nText.\n"
DRIFT = {
    "docs/a.md": '---\ntags: ["fine-tuning", "sft"]\n---\n\n# A\n\nText.\n',
    "docs/b.md": "---\ntags: [fine-tuning, rl]\n---\n\n# B\n\nText.\n",
    "docs/c.md": "---\ntags:\n  - 'Fine_Tuning'\n  - rl\n---\n\n# C\n\nText.\n",
}


def _diagnostics(result) -> list[tuple[str, str, int, int]]:
    return [(d["path"], d["code"], d["line"], d["column"]) for d in result.json["diagnostics"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[rules.CQ04]\nwords = []\n",
            "unknown key `rules.CQ04`: no rule or family has options; did you mean `CQ004`?",
        ),
        ('[rules.CQ004]\nword = ["x"]\n', "unknown key `rules.CQ004.word`; did you mean `words`?"),
        ("[rules.LNK001]\nwords = []\n", "unknown key `rules.LNK001`: no rule or family has"),
        ('[rules.CQ004]\nwords = "here"\n', "`rules.CQ004.words` = 'here': expected a list"),
        ('[rules.CQ007]\nwords = [""]\n', "`rules.CQ007.words.0`: '' should be non-empty"),
        ("[rules.CQ009]\nkeys = [1]\n", "`rules.CQ009.keys.0` = 1: expected a string"),
        ("[rules.CQ012]\nmax-words = 0\n", "`rules.CQ012.max-words`: 0 is less than the minimum"),
        ("[rules.CQ012]\nmax-words = true\n", "`rules.CQ012.max-words` = True: expected an int"),
        ("rules = 3\n", "`rules` = 3: expected a table"),
    ],
)
def test_bad_rule_options_exit_2(tmp_path: Path, cli, text: str, message: str) -> None:
    write_tree(tmp_path, {".nemo-docs-lint.toml": text, "docs/a.md": PAGE})
    result = cli("docs")
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_options_from_pyproject(tmp_path: Path, cli) -> None:
    pyproject = '[tool.nemo-docs-lint.rules.CQ004]\nwords = ["other"]\n'
    write_tree(tmp_path, {"pyproject.toml": pyproject, "docs/a.md": PAGE.replace("here", "Other")})
    result = cli("docs", "--select", "CQ", "--format", "json")
    assert _diagnostics(result) == [("docs/a.md", "CQ004", 3, 8)]


def test_page_length_is_off_by_default_and_on_when_selected(tmp_path: Path, cli) -> None:
    long_page = "# Long\n\n" + "word " * 5001 + "\n"
    write_tree(tmp_path, {"docs/a.md": long_page})
    assert "CQ012" not in cli("docs", "--format", "json").stdout
    for flags in (["--select", "CQ"], ["--extend-select", "CQ012"], ["--select", "ALL"]):
        result = cli("docs", *flags, "--format", "json")
        found = [d for d in result.json["diagnostics"] if d["code"] == "CQ012"]
        assert [(d["line"], d["column"], d["message"]) for d in found] == [
            (1, 3, "page has 5,002 words of prose (more than 5,000): split it into pages")
        ]


def test_tag_drift_fix_is_unsafe_and_left_alone_by_fix(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, DRIFT)
    result = cli("docs", "--select", "CQ009", "--format", "json")
    [finding] = result.json["diagnostics"]
    assert (finding["path"], finding["line"], finding["column"]) == ("docs/c.md", 3, 5)
    assert "did you mean `fine-tuning` (used on 2 pages)?" in finding["message"]

    from nemo_docs_lint.engine import LintRequest, lint

    [diagnostic] = lint(LintRequest(paths=(tmp_path / "docs",), select=("CQ009",))).diagnostics
    fix = diagnostic.fix
    assert fix is not None and not fix.safe
    assert (fix.old, fix.new) == ("'Fine_Tuning'", "'fine-tuning'")

    before = (tmp_path / "docs/c.md").read_text()
    fixed = cli("docs", "--select", "CQ009", "--fix")
    assert fixed.exit_code == 0
    assert fixed.stdout.rstrip().endswith("; 1 with --unsafe-fixes.")
    assert "fixable with --fix" not in fixed.stdout
    assert (tmp_path / "docs/c.md").read_text() == before

    unsafe = cli("docs", "--select", "CQ009", "--fix", "--unsafe-fixes")
    assert unsafe.exit_code == 0
    after = before.replace("'Fine_Tuning'", "'fine-tuning'", 1)
    assert after != before and (tmp_path / "docs/c.md").read_text() == after


def test_rules_command_prints_the_options(cli) -> None:
    result = cli("rules", "CQ004")
    assert result.exit_code == 0
    assert 'Options:\n    words = ["here", "click here", ' in result.stdout
    assert (
        '"this page", "this"]: link texts that say nothing (compared in any case)' in result.stdout
    )


def test_sarif_help_lists_the_options(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, {"docs/a.md": PAGE})
    result = cli("docs", "--select", "CQ004", "--format", "sarif")
    [rule] = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert "`[tool.nemo-docs-lint.rules.CQ004]`" in rule["help"]["markdown"]


_GAP_PIECES = [
    "\n",
    "   \n",
    "\u00a0\n",
    "(a-label)=\n",
    "  (spaced)=  \n",
    "% a comment\n",
    "<!-- one line -->\n",
    "<!-- two\nlines -->\n",
    "  <!-- indented -->\n",
    "<!-- a -->(after)=\n",
    "<!-- open\n",
    "-->\n",
    "---\n",
    "   ===\n",
    "    ---\n",
    "$$\nx = 1\n$$\n",
    "<div>\n",
    "text\n",
    "```\ncode\n```\n",
    "<!-- x --> y\n",
]


@pytest.mark.parametrize("seed", range(4))
def test_empty_section_reads_the_gap_as_the_content_pattern_does(seed: int) -> None:
    """CQ011 reads a gap without parsed content up to its first character of content; that
    answer equals stripping `_NOT_CONTENT` from the whole gap (the definition), on random gaps
    between two sections and at the end of the page."""
    import random

    from nemo_docs_lint.model import Page
    from nemo_docs_lint.parse import parse_text
    from nemo_docs_lint.rules.content import headings

    rng = random.Random(seed)
    for _ in range(150):
        gap = "".join(rng.choices(_GAP_PIECES, k=rng.randint(0, 5)))
        for tail in ("## B\n\nText.\n", ""):
            text = "# T\n\nIntro.\n\n## A\n" + gap + tail
            frontmatter, body = parse_text(text, True, 3)
            page = Page("a.md", "a", text, frontmatter, body)
            top = headings.sections(page)
            heading = next(h for h in top if h.text == "A")
            following = next((h for h in top if h.span.line > heading.span.line), None)
            stop = following.span.line - 1 if following else len(page.lines)
            between = "\n".join(page.lines[heading.span.end_line : stop]) + ("\n" if tail else "")
            expected = bool(headings._NOT_CONTENT.sub("", between).strip())
            starts = headings._line_starts(page)
            found = headings._has_content(page.text, starts, heading, following)
            assert found is expected, repr(text)


@pytest.mark.parametrize("seed", range(4))
def test_empty_section_line_starts_leave_the_page_lines_uncached(seed: int) -> None:
    """CQ011's line offsets are the running sums of the split lines' lengths (and one past the
    end), found without `page.lines`, which would stay cached on the page (memory that grows
    with the tree)."""
    import random
    from itertools import accumulate

    from nemo_docs_lint.model import Frontmatter, Page, ParsedBody
    from nemo_docs_lint.rules.content import headings

    rng = random.Random(seed)
    for _ in range(300):
        text = "".join(rng.choices(["\n", "a", "é", " ", "## H\n", "\n\n"], k=rng.randint(0, 12)))
        page = Page("a.md", "a", text, Frontmatter(), ParsedBody())
        starts = headings._line_starts(page)
        assert "lines" not in page.__dict__
        assert starts == [0, *accumulate(len(line) + 1 for line in text.split("\n"))], repr(text)


CONTENT_PAGE = (
    "# Guide\n\nSee [here](other.md) and ![](x.png).\n\n```\ncode\n```\n\nTODO: finish.\n\n"
    "## Empty\n\n## Other\n\nText.\n"
)


def test_content_is_parsed_only_for_rules_that_read_it(tmp_path: Path) -> None:
    """Without a selected rule that reads link text, code blocks or prose (`reads_content`),
    the parser leaves them out; CQ001 alone does not need them, CQ006 does."""
    from nemo_docs_lint.engine import LintRequest, lint

    docs = write_tree(tmp_path, {"docs/a.md": CONTENT_PAGE})

    def body(*select: str):
        request = LintRequest(paths=(docs / "docs",), select=select, use_cache=False)
        return lint(request, cwd=tmp_path).index.pages["a"].body

    full, bare = body("CQ006"), body("LNK", "CQ001")
    assert [b.span.line for b in full.code_blocks] == [5]
    assert full.prose == (1, 1, 3, 3, 9, 9, 11, 11, 13, 13, 15, 15)
    assert full.prose_marks == 1  # PROSE_MARKS[0]: `TODO`
    assert [r.text for r in full.references] == ["here", ""]
    assert (bare.code_blocks, bare.prose, bare.prose_marks) == ((), (), 0)
    assert [(r.text, r.text_span) for r in bare.references] == [(None, None), (None, None)]
    assert bare.references[0].span == full.references[0].span
    assert bare.headings == full.headings


def test_a_snapshot_without_content_never_serves_a_run_that_reads_it(tmp_path: Path, cli) -> None:
    """Bodies parsed without content fill a snapshot of their own: the same configuration's
    index with content parses again; and the CLI after `--ignore CQ` reports as without cache."""
    from nemo_docs_lint.engine import LintRequest, build_index, resolve_config

    write_tree(tmp_path, {"docs/a.md": CONTENT_PAGE, "docs/other.md": "# Other\n\nText.\n"})
    config = resolve_config(LintRequest(paths=(tmp_path / "docs",)), cwd=tmp_path)
    assert build_index(config, content=False).pages["a"].body.prose == ()
    assert build_index(config, content=True).pages["a"].body.prose[:2] == (1, 1)
    assert build_index(config, content=False).pages["a"].body.prose == ()
    fresh = cli("docs", "--no-cache", "--format", "json").stdout
    assert "CQ004" in fresh and "CQ006" in fresh and "CQ007" in fresh and "CQ011" in fresh
    cli("docs", "--ignore", "CQ", "--format", "json")
    assert cli("docs", "--format", "json").stdout == fresh
    assert cli("docs", "--format", "json").stdout == fresh  # and from its own snapshot


@pytest.mark.parametrize("seed", range(4))
def test_tag_drift_pairs_every_two_forms_one_edit_apart(seed: int) -> None:
    """`_near_pairs` finds every pair `_one_edit` accepts (against all pairs, on random forms
    made of a few words and their one-letter variants)."""
    import random

    from nemo_docs_lint.rules.content.metadata import _near_pairs, _one_edit

    rng = random.Random(seed)
    letters = "abcde12"
    forms: set[str] = set()
    for _ in range(40):
        word = [rng.choice(letters) for _ in range(rng.randint(5, 9))]
        forms.add("".join(word))
        i = rng.randrange(len(word))
        forms.add("".join([*word[:i], rng.choice(letters), *word[i + 1 :]]))  # substituted
        forms.add("".join(word[:i] + word[i + 1 :]))  # deleted
        forms.add("".join([*word[:i], rng.choice(letters), *word[i:]]))  # inserted
    ordered = sorted(forms)
    expected = {
        frozenset((a, b))
        for i, a in enumerate(ordered)
        for b in ordered[i + 1 :]
        if _one_edit(a, b)
    }
    found = [frozenset(pair) for pair in _near_pairs(ordered)]
    assert len(found) == len(set(found))  # each pair once
    assert expected and expected <= set(found)
