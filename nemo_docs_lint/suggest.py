""" "Did you mean …?" suggestions for misspelt keys, values and codes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def _normalise(word: str) -> str:
    return re.sub(r"[\s_]+", "-", word.strip().lower())


def closest(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The one choice close to `word` (`howto` → `how-to`, `Data Scientists` →
    `data-scientist-focused`), or None when nothing is close."""
    options = [c for c in choices if isinstance(c, str)]
    if not options or not isinstance(word, str):
        return None
    normalised = {_normalise(c): c for c in options}
    key = _normalise(word)
    if key in normalised:
        return normalised[key]
    singular = key[:-1] if key.endswith("s") else key
    prefixed = [c for n, c in normalised.items() if n.startswith(singular) and singular]
    if len(prefixed) == 1:
        return prefixed[0]
    match = difflib.get_close_matches(key, list(normalised), n=1, cutoff=cutoff)
    return normalised[match[0]] if match else None


def did_you_mean(word: str, choices: Iterable[str], quote: str = "'") -> str:
    """`; did you mean 'x'?` or the empty string."""
    match = closest(word, choices)
    return f"; did you mean {quote}{match}{quote}?" if match else ""
