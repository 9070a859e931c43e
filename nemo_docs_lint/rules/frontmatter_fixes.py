"""Unsafe fixes of the FM rules: exact edits of the frontmatter's YAML text, nothing else.

Each fix changes only the bytes of one scalar or key (its quoting style kept) or removes one
list item with its separator; comments, order and the other values stay as written. They are
unsafe (`--unsafe-fixes`): they change what the page says, on a did-you-mean's guess.
"""

from __future__ import annotations

import json
import re

from ..model import Fix, Page, Span
from ..schema import SchemaProblem

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/+-]*")


def _text(page: Page, span: Span) -> str | None:
    if span.line != span.end_line:
        return None
    line = page.line_text(span.line)
    return line[span.column - 1 : span.end_column - 1]


def _scalar(old: str, new: str) -> str | None:
    """`new` written in `old`'s style: the same quotes, or plain when plain reads back the same."""
    if len(old) >= 2 and old[0] == old[-1] == '"':
        return json.dumps(new, ensure_ascii=False)
    if len(old) >= 2 and old[0] == old[-1] == "'":
        return "'" + new.replace("'", "''") + "'"
    if old[:1] in "\"'[{|>&*!%@`#":
        return None  # a form this fix does not rewrite
    import yaml  # here: a run that fixes nothing (or reads only stored findings) needs no YAML

    if _PLAIN.fullmatch(new) and yaml.safe_load(new) == new:
        return new
    return json.dumps(new, ensure_ascii=False)


def value_fix(page: Page, problem: SchemaProblem) -> Fix | None:
    """FM004: the one close allowed value in place of the value written."""
    position = page.frontmatter.positions.get(problem.path)
    if problem.suggestion is None or position is None:
        return None
    old = _text(page, position.value)
    new = None if old is None else _scalar(old, problem.suggestion)
    return None if new is None or old is None else Fix(position.value, old, new, safe=False)


def key_fix(page: Page, problem: SchemaProblem) -> Fix | None:
    """FM007: an unknown key renamed to the known one it misspells (that key being absent)."""
    position = page.frontmatter.positions.get(problem.path)
    if problem.suggestion is None or position is None or position.key is None:
        return None
    old = _text(page, position.key)
    new = None if old is None else _scalar(old, problem.suggestion)
    return None if new is None or old is None else Fix(position.key, old, new, safe=False)


def duplicate_fix(page: Page, problem: SchemaProblem) -> Fix | None:
    """FM009: the repeated list item removed, with the separator before it (`, x` in a flow
    list; the whole `- x` line in a block list)."""
    *parent, index = problem.path
    positions = page.frontmatter.positions
    item = positions.get(problem.path)
    before = positions.get((*parent, index - 1)) if isinstance(index, int) and index else None
    if item is None or before is None:
        return None
    start, end = before.value, item.value
    if start.end_line == end.line:  # flow list: from the end of the item before
        line = page.line_text(end.line)
        span = Span(end.line, start.end_column, end.line, end.end_column)
        old = line[start.end_column - 1 : end.end_column - 1]
        return Fix(span, old, "", safe=False) if old.lstrip().startswith(",") else None
    if end.line != end.end_line or start.end_line != end.line - 1:
        return None
    line = page.line_text(end.line)
    if not line.strip().startswith("-") or line.rstrip() != line[: end.end_column - 1].rstrip():
        return None
    previous = page.line_text(end.line - 1)
    span = Span(end.line - 1, len(previous) + 1, end.line, len(line) + 1)
    return Fix(span, "\n" + line, "", safe=False)
