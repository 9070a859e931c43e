"""Inline suppressions written in the page as HTML comments, with a strict grammar.

    [x](old.md) <!-- nemo-docs-lint: disable-line LNK001 -->
    <!-- nemo-docs-lint: disable-next-line FM004 -->
    <!-- nemo-docs-lint: disable LNK001, LNK002 -->   ...   <!-- nemo-docs-lint: enable -->
    <!-- nemo-docs-lint: disable-file LNK001 -- generated from the API, fixed upstream -->

No codes means every code; ` -- ` starts a free-text reason. A comment that starts with
`nemo-docs-lint` but breaks the grammar (an unknown directive or code, a missing `:`) suppresses
nothing and is reported (NDL003); a suppression that suppresses nothing is reported too (NDL004,
computed by the filter stage, which sees what each one hid).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Comment, Span
from .selection import SelectorError, code_matches, validate_selector
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .registry import Rule

SUPPRESSION_MARK = "nemo-docs-lint"  # the word every suppression comment starts with
INVALID_SUPPRESSION = "NDL003"  # the rules about the comments themselves (rules/tool.py) ...
UNUSED_SUPPRESSION = "NDL004"
ABOUT_SUPPRESSIONS = frozenset({INVALID_SUPPRESSION, UNUSED_SUPPRESSION})  # ... never suppressed
DIRECTIVES = ("disable-line", "disable-next-line", "disable", "enable", "disable-file")
_ATTEMPT = re.compile(rf"^\s*{re.escape(SUPPRESSION_MARK)}(?![\w-])\s*(?P<rest>.*)$", re.S)
_WORD = re.compile(r"[A-Za-z][\w-]*")
_NOTHING = "this comment suppresses nothing"


def has_suppressions(comments: tuple[Comment, ...]) -> bool:
    """Whether any comment may be a suppression (cheap: no parsing)."""
    return any(SUPPRESSION_MARK in comment.text for comment in comments)


@dataclass(frozen=True)
class Directive:
    """One well-formed suppression comment."""

    action: str  # one of DIRECTIVES
    codes: tuple[str, ...]  # empty: every code
    span: Span  # the comment

    @property
    def text(self) -> str:
        return " ".join((self.action, *self.codes)) if self.codes else self.action


@dataclass(frozen=True)
class Invalid:
    """A comment meant as a suppression that breaks the grammar (NDL003)."""

    span: Span
    message: str


def parse_directives(
    comments: tuple[Comment, ...], rules: Mapping[str, Rule]
) -> tuple[list[Directive], list[Invalid]]:
    """The page's suppression comments, well-formed or not; `rules` are the known codes."""
    directives, invalid = [], []
    for comment in comments:
        attempt = _ATTEMPT.match(comment.text)
        if attempt is None:
            continue
        rest = attempt["rest"].split(" -- ", 1)[0].strip()
        if not rest.startswith(":"):
            word = _WORD.match(rest)
            if word and word.group().lower().startswith(("disable", "enable")):
                message = f"missing `:` after `{SUPPRESSION_MARK}` ({_NOTHING})"
                invalid.append(Invalid(comment.span, message))
            continue  # prose that merely mentions the tool
        rest = rest[1:].strip()
        word = _WORD.match(rest)
        action = word.group() if word else ""
        if action not in DIRECTIVES:
            hint = did_you_mean(action, DIRECTIVES, "`")
            what = f"unknown directive `{action}`{hint}" if action else "no directive"
            known = f"the directives are {', '.join(DIRECTIVES)}"
            invalid.append(Invalid(comment.span, f"{what} ({known}; {_NOTHING})"))
            continue
        codes = tuple(c for c in re.split(r"[\s,]+", rest[len(action) :]) if c)
        problem = next((p for p in (_code_problem(c, rules) for c in codes) if p), None)
        if problem:
            invalid.append(Invalid(comment.span, f"{problem} ({_NOTHING})"))
            continue
        directives.append(Directive(action, codes, comment.span))
    return directives, invalid


def _code_problem(code: str, rules: Mapping[str, Rule]) -> str | None:
    try:
        validate_selector(code, dict(rules))
    except SelectorError as exc:
        hint = str(exc).split(";", 1)[1] if ";" in str(exc) else ""
        return f"unknown code `{code}`;{hint}" if hint else f"unknown code `{code}`"
    return None


_NARROW = 64  # entries spanning fewer lines are indexed line by line


@dataclass
class Entry:
    """What one directive suppresses: codes on lines `start`..`end` (inclusive)."""

    directive: Directive
    start: int
    end: int
    used: bool = False


@dataclass
class Suppressions:
    """The suppressions of one page, each remembering whether it hid anything."""

    entries: list[Entry] = field(default_factory=list)
    stray_enables: list[Directive] = field(default_factory=list)  # closed no `disable`
    # entries by line (narrow ones) and wide ones, built on the first look-up: a page with
    # many suppressions costs one pass, not one per diagnostic
    _by_line: dict[int, list[Entry]] = field(default_factory=dict, repr=False)
    _wide: list[Entry] = field(default_factory=list, repr=False)
    _indexed: int = field(default=-1, repr=False)

    def suppresses(self, code: str, line: int) -> bool:
        if self._indexed != len(self.entries):
            self._index()
        hit = False
        for entry in (*self._by_line.get(line, ()), *self._wide):
            codes = entry.directive.codes
            if entry.start <= line <= entry.end and (not codes or code_matches(code, codes)):
                entry.used = hit = True
        return hit

    def _index(self) -> None:
        self._by_line, self._wide = {}, []
        for entry in self.entries:
            if entry.end - entry.start < _NARROW:
                for number in range(entry.start, entry.end + 1):
                    self._by_line.setdefault(number, []).append(entry)
            else:
                self._wide.append(entry)
        self._indexed = len(self.entries)

    def unused(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.used]


def parse_suppressions(
    comments: tuple[Comment, ...], last_line: int, rules: Mapping[str, Rule]
) -> Suppressions:
    """The line ranges of the page's well-formed suppressions (invalid ones suppress nothing)."""
    directives, _ = parse_directives(comments, rules)
    result = Suppressions()
    open_ranges: dict[tuple[str, ...], Directive] = {}
    for directive in directives:
        span, action = directive.span, directive.action
        if action == "disable-file":
            result.entries.append(Entry(directive, 1, max(last_line, span.end_line)))
        elif action == "disable-line":
            result.entries.append(Entry(directive, span.line, span.end_line))
        elif action == "disable-next-line":
            result.entries.append(Entry(directive, span.end_line + 1, span.end_line + 1))
        elif action == "disable":
            open_ranges.setdefault(directive.codes, directive)
        else:  # enable: closes the matching range, or every range when no codes are given
            closing = [key for key in open_ranges if not directive.codes or key == directive.codes]
            if not closing:
                result.stray_enables.append(directive)
            for key in closing:
                opened = open_ranges.pop(key)
                result.entries.append(Entry(opened, opened.span.line, span.line))
    for opened in open_ranges.values():
        result.entries.append(Entry(opened, opened.span.line, max(last_line, opened.span.line)))
    return result


def stale(
    table: Suppressions, known: Iterable[str], ran: Container[str]
) -> list[tuple[Directive, str]]:
    """The page's suppressions that hid nothing, with why, among those whose every named rule
    ran (otherwise whether they are needed cannot be told); and `enable`s that closed nothing."""
    found = []
    for entry in table.unused():
        directive = entry.directive
        named = [c for c in known if not directive.codes or code_matches(c, directive.codes)]
        if all(code in ran for code in named):
            found.append((directive, f"`{directive.text}` suppresses nothing"))
    found += [(d, f"`{d.text}` closes no `disable`") for d in table.stray_enables]
    return found
