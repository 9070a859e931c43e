"""Counted nouns for every summary line, so no output says "1 files" or "1 baseline entries"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module at start-up: no model code then
    from .model import Diagnostic


def plural(count: int, word: str) -> str:
    """`1 file`, `2 files`, `1 baseline entry`, `3 baseline entries` (the last word inflects)."""
    if count == 1:
        return f"{count} {word}"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return f"{count} {word[:-1]}ies"
    return f"{count} {word}s"


def problems(diagnostics: Iterable[Diagnostic]) -> str:
    """`3 problems (2 errors, 1 warning)`, most severe first, absent severities left out."""
    from .model import Severity

    by_severity = Counter(d.severity for d in diagnostics)
    parts = [plural(by_severity[s], s.value) for s in reversed(Severity) if by_severity[s]]
    return f"{plural(sum(by_severity.values()), 'problem')} ({', '.join(parts)})"
