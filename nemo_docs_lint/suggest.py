""" "Did you mean …?" suggestions for misspelt keys, values and codes."""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
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
    """`; did you mean 'x'?` or the empty string.

    A large tuple of choices gets a `Suggester` prepared once and kept for the next calls
    with the same tuple (a tree's labels, asked about by every undefined `{ref}`)."""
    if isinstance(choices, tuple) and len(choices) > Suggester.EXHAUSTIVE:
        return _prepared(choices).did_you_mean(word, quote)
    match = closest(word, choices)
    return f"; did you mean {quote}{match}{quote}?" if match else ""


_PREPARED: dict[int, tuple[tuple[str, ...], Suggester]] = {}


def _prepared(choices: tuple[str, ...]) -> Suggester:
    """The Suggester of this very tuple (by identity: hashing 5,000 labels per call would cost
    as much as the look-up saves); the tuple is kept with it, so its id cannot be reused."""
    found = _PREPARED.get(id(choices))
    if found is None or found[0] is not choices:
        if len(_PREPARED) >= 16:
            _PREPARED.clear()
        found = _PREPARED[id(choices)] = (choices, Suggester(choices))
    return found[1]


class Suggester:
    """`closest` over one fixed set of choices, prepared once for many look-ups.

    Exact and prefix matches are look-ups in a sorted list. Among many choices (more than
    `EXHAUSTIVE`), difflib compares the word only with the choices that share the most of its
    rarest three-letter pieces, visiting at most `BUDGET` index entries: thousands of broken
    references over thousands of labels stay near-linear instead of comparing every pair.
    """

    EXHAUSTIVE = 200
    BUDGET = 300
    CANDIDATES = 8

    def __init__(self, choices: Iterable[str], cutoff: float = 0.75) -> None:
        options = [c for c in choices if isinstance(c, str)]
        self._normalised = {_normalise(c): c for c in options}
        self._keys = sorted(self._normalised)
        self._cutoff = cutoff
        self._grams: dict[str, list[str]] | None = None

    def closest(self, word: str) -> str | None:
        """What `closest(word, choices)` returns (approximately, among many choices)."""
        if not self._keys or not isinstance(word, str):
            return None
        key = _normalise(word)
        found = self._normalised.get(key)
        if found is not None:
            return found
        singular = key[:-1] if key.endswith("s") else key
        if singular:
            start = bisect.bisect_left(self._keys, singular)
            end = bisect.bisect_left(self._keys, singular + "\U0010ffff")
            if end - start == 1:
                return self._normalised[self._keys[start]]
        pool = self._keys if len(self._keys) <= self.EXHAUSTIVE else self._candidates(key)
        match = difflib.get_close_matches(key, pool, n=1, cutoff=self._cutoff)
        return self._normalised[match[0]] if match else None

    def did_you_mean(self, word: str, quote: str = "'") -> str:
        match = self.closest(word)
        return f"; did you mean {quote}{match}{quote}?" if match else ""

    def _candidates(self, key: str) -> list[str]:
        if self._grams is None:
            self._grams = {}
            for choice in self._keys:
                for gram in _trigrams(choice):
                    self._grams.setdefault(gram, []).append(choice)
        postings = sorted((self._grams[g] for g in _trigrams(key) if g in self._grams), key=len)
        counts: Counter[str] = Counter()
        visited = 0
        for posting in postings:
            if visited + len(posting) > self.BUDGET and counts:
                break
            visited += len(posting)
            counts.update(posting[: self.BUDGET])
        return [choice for choice, _ in counts.most_common(self.CANDIDATES)]


def _trigrams(text: str) -> set[str]:
    padded = f"\0{text}\0"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}
