"""Path patterns with Sphinx's semantics: `**` crosses folders, `*` and `?` do not.

A pattern becomes a `Glob`: a regular expression when it has at most two unbounded wildcards
(whatever the backtracking, at most quadratic in the path's length), else an automaton that
reads each character once (`a*a*a*…*x` would take the regex engine exponential time). A
malformed pattern (`[z-a]`) is a `GlobError` naming it, never an `re.error`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


class GlobError(ValueError):
    """A pattern that is not a valid glob (a bad character range or class)."""


# Token kinds; a token is (kind, payload) with payload a character or a compiled class.
_LIT, _ONE, _CLASS, _STAR, _DSTAR, _DSLASH = range(6)
_UNBOUNDED = (_STAR, _DSTAR, _DSLASH)
_REGEX = {_ONE: "[^/]", _STAR: "[^/]*", _DSTAR: ".*", _DSLASH: "(?:.*/)?"}
MAX_REGEX_WILDCARDS = 2
_MEMO_LIMIT = 4096  # automaton transitions kept per pattern (cleared beyond: memory stays bounded)


@dataclass(eq=False)
class Glob:
    """A compiled pattern: `match(path)` says whether the whole `/`-separated path matches."""

    pattern: str
    regex: re.Pattern[str] | None  # None: matched by the automaton
    tokens: tuple[tuple[int, object], ...] = ()
    _steps: dict[tuple[frozenset[int], str], frozenset[int]] = field(default_factory=dict)

    def match(self, path: str) -> bool:
        if self.regex is not None:
            return self.regex.match(path) is not None
        steps, tokens, accept = self._steps, self.tokens, len(self.tokens)
        states = _closure(tokens, (0,))
        for char in path:
            key = (states, char)
            after = steps.get(key)
            if after is None:
                if len(steps) > _MEMO_LIMIT:
                    steps.clear()
                after = steps[key] = _step(tokens, states, char)
            if not after:
                return False
            states = after
        return accept in states


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str, sphinx: bool = False) -> Glob:
    """Compile a Sphinx-style glob over `/`-separated relative paths (raises GlobError).

    By default `**/` also matches no folder at all (`**/x.md` matches `x.md`), as in Ruff and
    gitignore. With `sphinx=True` the translation is exactly Sphinx's (`sphinx.util.matching`):
    `**` is `.*` wherever it stands, so `**/x.md` needs at least one folder.
    """
    tokens = _tokens(pattern.strip().removeprefix("./").lstrip("/"), sphinx)
    if sum(kind in _UNBOUNDED for kind, _ in tokens) > MAX_REGEX_WILDCARDS:
        return Glob(pattern, None, tokens)
    parts = []
    for kind, payload in tokens:
        if kind == _LIT:
            parts.append(re.escape(str(payload)))
        elif kind == _CLASS:
            assert isinstance(payload, re.Pattern)
            parts.append(payload.pattern)
        else:
            parts.append(_REGEX[kind])
    return Glob(pattern, re.compile("".join(parts) + r"\Z"), tokens)


def _tokens(pattern: str, sphinx: bool) -> tuple[tuple[int, object], ...]:
    """Sphinx's `_translate_pattern`, as tokens; adjacent wildcards merge into the widest."""
    out: list[tuple[int, object]] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        i += 1
        if c == "*":
            if i < n and pattern[i] == "*":
                i += 1
                if not sphinx and i < n and pattern[i] == "/":  # `**/`: also no folder at all
                    i += 1
                    _push(out, (_DSLASH, None))
                else:
                    _push(out, (_DSTAR, None))
            else:
                _push(out, (_STAR, None))
        elif c == "?":
            out.append((_ONE, None))
        elif c == "[":
            j = i
            if j < n and pattern[j] == "!":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:
                out.append((_LIT, c))
                continue
            body = pattern[i:j].replace("\\", "\\\\")
            i = j + 1
            if body.startswith("!"):
                body = "^/" + body[1:]  # a negated class never matches a folder separator
            elif body.startswith("^"):
                body = "\\" + body
            try:
                out.append((_CLASS, re.compile(f"[{body}]")))
            except re.error as exc:
                raise GlobError(f"invalid glob `{pattern}`: {exc.msg} in `[{body}]`") from exc
        else:
            out.append((_LIT, c))
    return tuple(out)


def _push(out: list[tuple[int, object]], token: tuple[int, object]) -> None:
    """Append a wildcard, merging it with a wildcard just before it (`***`, `*/**` stay)."""
    if out and out[-1][0] in _UNBOUNDED:
        previous = out[-1][0]
        if previous == token[0] == _STAR:
            return
        if _DSTAR in (previous, token[0]):
            out[-1] = (_DSTAR, None)  # `.*` next to any wildcard is `.*`
            return
    out.append(token)


def _closure(tokens: Sequence[tuple[int, object]], states: Iterable[int]) -> frozenset[int]:
    """The states reachable without reading a character: wildcards may match nothing."""
    found = set()
    for state in states:
        while state not in found:
            found.add(state)
            if 0 <= state < len(tokens) and tokens[state][0] in _UNBOUNDED:
                state += 1
            else:
                break
    return frozenset(found)


def _step(tokens: Sequence[tuple[int, object]], states: frozenset[int], c: str) -> frozenset[int]:
    after = []
    for state in states:
        if state < 0:  # inside a `**/` that has read characters: it ends only at a `/`
            after.append(state)
            if c == "/":
                after.append(~state + 1)
            continue
        if state == len(tokens):
            continue
        kind, payload = tokens[state]
        if kind == _LIT:
            if c == payload:
                after.append(state + 1)
        elif kind == _ONE:
            if c != "/":
                after.append(state + 1)
        elif kind == _CLASS:
            assert isinstance(payload, re.Pattern)
            if payload.match(c):
                after.append(state + 1)
        elif kind == _STAR:
            if c != "/":
                after.append(state)
        elif kind == _DSTAR:
            after.append(state)
        else:  # _DSLASH: nothing (the closure), or any characters ending with a `/`
            after.append(~state)
            if c == "/":
                after.append(state + 1)
    return _closure(tokens, after)


class GlobSet:
    """Several globs matched together: the regex ones in one alternation, the rest one by one."""

    def __init__(self, globs: Iterable[Glob]) -> None:
        globs = list(globs)
        regexes = [g.regex.pattern for g in globs if g.regex is not None]
        self._regex = re.compile("|".join(f"(?:{r})" for r in regexes)) if regexes else None
        self._automata = [g for g in globs if g.regex is None]

    def match(self, path: str) -> bool:
        if self._regex is not None and self._regex.match(path):
            return True
        return any(glob.match(path) for glob in self._automata)


def check_patterns(patterns: Iterable[str], where: str, sphinx: bool = False) -> None:
    """Compile every pattern; a bad one is a GlobError whose message starts with `where`."""
    for pattern in patterns:
        try:
            compile_pattern(pattern, sphinx)
        except GlobError as exc:
            raise GlobError(f"{where}: {exc}") from exc


def matches(path: str, pattern: str) -> bool:
    """Whether `path` or one of its parent folders matches `pattern`."""
    glob = compile_pattern(pattern)
    if glob.match(path):
        return True
    parts = path.split("/")
    return any(glob.match("/".join(parts[:i])) for i in range(1, len(parts)))


def first_match(path: str, patterns: Iterable[str]) -> str | None:
    return next((p for p in patterns if matches(path, p)), None)
