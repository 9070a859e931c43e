"""Inline suppressions written in the page as HTML comments.

    <!-- nemo-docs-lint: disable-next-line FM004 -->
    <!-- nemo-docs-lint: disable LNK001, LNK002 -->   ...   <!-- nemo-docs-lint: enable -->
    <!-- nemo-docs-lint: disable-file LNK001 -->

No codes means every code.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .model import Comment
from .selection import code_matches

SUPPRESSION_MARK = "nemo-docs-lint"  # the word every suppression comment starts with
_DIRECTIVE = re.compile(
    rf"^\s*{re.escape(SUPPRESSION_MARK)}\s*:\s*(disable-next-line|disable-file|disable|enable)\b(.*)$",
    re.S,
)


def has_suppressions(comments: tuple[Comment, ...]) -> bool:
    """Whether any comment may be a suppression (cheap: no parsing)."""
    return any(SUPPRESSION_MARK in comment.text for comment in comments)


@dataclass
class Suppressions:
    """The suppressions of one page: whole-file codes and per-line ranges."""

    file_codes: list[tuple[str, ...]] = field(default_factory=list)
    ranges: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)  # inclusive

    _lines: dict[int, list[tuple[str, ...]]] | None = field(default=None, repr=False)
    _regions: list[tuple[tuple[str, ...], list[int], list[int]]] = field(
        default_factory=list, repr=False
    )

    def suppresses(self, code: str, line: int) -> bool:
        """Whether a diagnostic of `code` on `line` is suppressed (a look-up per line and a
        bisection per code set: thousands of suppressions on one page stay cheap)."""
        if not self.file_codes and not self.ranges:
            return False

        def hit(codes: tuple[str, ...]) -> bool:
            return not codes or code_matches(code, codes)

        if any(hit(codes) for codes in self.file_codes):
            return True
        if self._lines is None:
            self._index()
        assert self._lines is not None
        if any(hit(codes) for codes in self._lines.get(line, ())):
            return True
        for codes, starts, ends in self._regions:
            at = bisect.bisect_right(starts, line) - 1
            if at >= 0 and line <= ends[at] and hit(codes):
                return True
        return False

    def _index(self) -> None:
        """Single lines by number; regions by code set, sorted (regions of one code set never
        overlap: `disable` opens one only when none is open)."""
        lines: dict[int, list[tuple[str, ...]]] = {}
        regions: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        for start, end, codes in self.ranges:
            if start == end:
                lines.setdefault(start, []).append(codes)
            else:
                regions.setdefault(codes, []).append((start, end))
        self._lines = lines
        for codes, spans in regions.items():
            spans.sort()
            merged: list[tuple[int, int]] = []
            for start, end in spans:  # merge, in case some do overlap
                if merged and start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                else:
                    merged.append((start, end))
            self._regions.append((codes, [a for a, _ in merged], [b for _, b in merged]))


def parse_suppressions(comments: tuple[Comment, ...], last_line: int) -> Suppressions:
    result = Suppressions()
    open_ranges: dict[tuple[str, ...], int] = {}
    for comment in comments:
        match = _DIRECTIVE.match(comment.text)
        if not match:
            continue
        action = match.group(1)
        codes = tuple(c for c in re.split(r"[\s,]+", match.group(2).strip()) if c)
        if action == "disable-file":
            result.file_codes.append(codes)
        elif action == "disable-next-line":
            target = comment.span.end_line + 1
            result.ranges.append((target, target, codes))
        elif action == "disable":
            open_ranges.setdefault(codes, comment.span.line)
        else:  # enable: closes the matching range, or every range when no codes are given
            closing = [key for key in open_ranges if not codes or key == codes]
            for key in closing:
                result.ranges.append((open_ranges.pop(key), comment.span.line, key))
    for codes, start in open_ranges.items():
        result.ranges.append((start, last_line, codes))
    return result
