"""CQ rules about prose: placeholders left in the text, pages too long to read.

Both read the page's prose line ranges (paragraphs and headings outside code, comments and
directive options) and blank out what is not prose inside them: code spans, roles, math,
substitutions, comments, URLs, link targets and HTML tags.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, repeat

from ...context import CheckContext
from ...model import PROSE_MARKS, Finding, Page, Severity, Span
from ...registry import Scope, rule
from .common import body_start, count_option, option, options, words_option

DEFAULT_MAX_WORDS = 5000
MAX_WORDS_HELP = "words of prose a page may hold"
DEFAULT_PLACEHOLDERS = ["TODO", "FIXME", "TBD", "XXX", "lorem ipsum", "coming soon", "<insert ...>"]

# Not prose, even inside a paragraph. Blanked out (same length, newlines kept) before searching.
_CODE_LIKE = re.compile(
    r"(`+)(?:.|\n)*?(?<!`)\1(?!`)"  # code span
    r"|\{[\w:+\-]+\}(`+)(?:.|\n)*?\2"  # MyST role
    r"|<!--(?:.|\n)*?-->"  # HTML comment
    r"|\{\{(?:.|\n)*?\}\}"  # substitution
    r"|(?<![\\$])\$[^$\n]+\$"  # inline math
    r"|\]\(\s*(?:<[^>\n]*>|[^)\s]*)"  # link destination
    r"|<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*>"  # autolink
    r"|\b(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)[^\s<>)\]]*"  # bare URL
    r"|^[ \t]*\[[^\]\n]+\]:[ \t]*\S+",  # link reference definition
    re.M,
)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_WORD = re.compile(r"\S*[^\W_]\S*")


def _blank(match: re.Match[str]) -> str:
    """The matched text as spaces, its line breaks kept (offsets and lines stay the same)."""
    text = match.group(0)
    return " " * len(text) if "\n" not in text else _NOT_NEWLINE.sub(" ", text)


_NOT_NEWLINE = re.compile(r"[^\n]")


def prose_texts(page: Page) -> list[str]:
    """The text of each prose range of the page, as written (its lines joined)."""
    lines, prose = page.lines, page.body.prose
    ranges = zip(prose[0::2], prose[1::2], strict=True)
    return ["\n".join(lines[first - 1 : last]) for first, last in ranges]


def prose_blocks(page: Page) -> Iterator[tuple[int, str]]:
    """(first line, text with non-prose blanked) for each prose range of the page."""
    for first, text in zip(page.body.prose[0::2], prose_texts(page), strict=True):
        yield first, _CODE_LIKE.sub(_blank, text)


@rule(
    code="CQ007",
    name="placeholder",
    severity=Severity.WARNING,
    scope=Scope.PAGE,
    options=options(
        words=words_option(
            DEFAULT_PLACEHOLDERS,
            "placeholders to report: whole words; an all-capital word matches only in capitals,"
            " others in any case; `<word ...>` matches any `<word ...>` tag",
        )
    ),
)
def placeholder(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A placeholder left in prose: TODO, FIXME, TBD, XXX, "lorem ipsum", `<insert ...>`, ...

    The default list also has "coming soon". Only prose counts: not code blocks or code spans,
    comments, URLs, link targets, directive options or frontmatter. The list is configurable
    (`words`).

    Why: a placeholder is a note to the writer that reached the reader; reviews catch some,
    a rule catches all of them.

    Bad:
        ## Multi-node training

        TODO: describe the Slurm setup.
    Good:
        ## Multi-node training

        Submit the job with `sbatch ray.sub`; it starts one Ray worker per node.

        <!-- TODO: describe Kubernetes too -->
    """
    if not page.is_markdown:
        return
    found = ctx.memo("CQ007/words", _configured, ctx)
    if found.marks is not None:
        if not page.body.prose_marks & found.marks:
            return  # the parser saw no placeholder's first word in the prose: most pages
    elif not found.may_occur("\n".join(prose_texts(page))):
        return  # no placeholder's words in the prose
    for first, text in zip(page.body.prose[0::2], prose_texts(page), strict=True):
        if not found.may_occur(text):
            continue  # the words are in other blocks of the page: this one is not blanked
        prose = _CODE_LIKE.sub(_blank, text)
        hits = list(found.tags.finditer(prose)) if found.tags else []
        if found.words is not None:
            hits += found.words.finditer(_TAG.sub(_blank, prose))
        if not hits:
            continue
        starts = [0] + [m.end() for m in re.finditer("\n", prose)]
        for m in sorted(hits, key=lambda m: m.start()):
            row = bisect_right(starts, m.start()) - 1
            end_row = bisect_right(starts, m.end()) - 1
            span = Span(
                first + row,
                m.start() - starts[row] + 1,
                first + end_row,
                m.end() - starts[end_row] + 1,
            )
            word = " ".join(m.group(0).split())
            yield page.at_span(span, f"placeholder `{word}` in the text: finish or remove it")


def _marks(exact: list[str], folded: list[str]) -> int | None:
    """The `PROSE_MARKS` bits of these first words, None if one is not looked for as given."""
    bits = {mark: 1 << bit for bit, mark in enumerate(PROSE_MARKS)}
    found = 0
    for word, upper in chain(zip(exact, repeat(True)), zip(folded, repeat(False))):
        if word not in bits or word.isupper() != upper:
            return None
        found |= bits[word]
    return found


def _configured(ctx: CheckContext) -> Placeholders:
    return Placeholders.of(tuple(option(ctx, "CQ007", "words", DEFAULT_PLACEHOLDERS)))


@dataclass(frozen=True)
class Placeholders:
    """The configured placeholders: one regex for the words, one for the `<word ...>` tags,
    and the literal pieces a page must contain for either to match (a cheap first test)."""

    words: re.Pattern[str] | None
    tags: re.Pattern[str] | None
    # (first word, other words) that must all be found in the text as it is (capitals), or in
    # the lowercased text
    exact: tuple[tuple[str, tuple[str, ...]], ...]
    folded: tuple[tuple[str, tuple[str, ...]], ...]
    # The `PROSE_MARKS` bits of the first words, when each is one the parser looks for (as it
    # looks for it: capitals as written, others lowercased); None: the text decides
    marks: int | None = None

    @classmethod
    def of(cls, chosen: tuple[str, ...]) -> Placeholders:
        words: list[str] = []
        tags: list[str] = []
        exact: list[tuple[str, tuple[str, ...]]] = []
        folded: list[tuple[str, tuple[str, ...]]] = []
        for entry in chosen:
            entry = " ".join(entry.split())
            if not entry:
                continue
            tag = re.fullmatch(r"<([^<>\s]+)(?: \.\.\.)?>", entry)
            if tag:
                tags.append(re.escape(tag.group(1)))
                folded.append(("<" + tag.group(1).lower(), ()))
                continue
            body = r"\s+".join(re.escape(part) for part in entry.split(" "))
            if entry.isupper():
                first, *rest = entry.split(" ")
                exact.append((first, tuple(rest)))
            else:
                body = f"(?i:{body})"
                first, *rest = entry.lower().split(" ")
                folded.append((first, tuple(rest)))
            words.append(rf"(?<![\w-]){body}(?![\w-])")
        return cls(
            re.compile("|".join(words)) if words else None,
            re.compile(r"<(?i:" + "|".join(tags) + r")\b[^<>\n]*>") if tags else None,
            tuple(exact),
            tuple(folded),
            _marks([first for first, _ in exact], [first for first, _ in folded]),
        )

    def may_occur(self, text: str) -> bool:
        """Whether every word of some placeholder is in `text` (the regexes decide)."""
        for first, rest in self.exact:  # plain loops: this runs on every page
            if first in text and all(word in text for word in rest):
                return True
        if not self.folded:
            return False
        lowered = text.lower()
        for first, rest in self.folded:
            if first in lowered and all(word in lowered for word in rest):
                return True
        return False


@rule(
    code="CQ012",
    name="page-length",
    severity=Severity.NOTE,
    scope=Scope.PAGE,
    default_selected=False,
    options=options(**{"max-words": count_option(DEFAULT_MAX_WORDS, MAX_WORDS_HELP)}),
)
def page_length(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A page with more words of prose than `max-words` (default 5,000). Off by default.

    Words are counted in prose only: not in code blocks, code spans, URLs, comments or
    frontmatter.

    Why: a page that takes half an hour to read is several topics; readers who search for one
    land at the top and scroll. Split it into pages under one index.

    Bad:
        # Everything about training       (7,400 words)
    Good:
        # Training       (an index page with a toctree of four pages of 1,500–2,000 words)
    """
    if not page.is_markdown:
        return
    limit: int = option(ctx, "CQ012", "max-words", DEFAULT_MAX_WORDS)
    words = sum(len(_WORD.findall(_TAG.sub(_blank, text))) for _, text in prose_blocks(page))
    if words > limit:
        yield page.at_span(
            body_start(page),
            f"page has {words:,} words of prose (more than {limit:,}): split it into pages",
        )
