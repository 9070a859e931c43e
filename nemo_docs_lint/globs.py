"""Path patterns with Sphinx's semantics: `**` crosses folders, `*` and `?` do not."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str, sphinx: bool = False) -> re.Pattern[str]:
    """Translate a Sphinx-style glob into a regex over `/`-separated relative paths.

    By default `**/` also matches no folder at all (`**/x.md` matches `x.md`), as in Ruff and
    gitignore. With `sphinx=True` the translation is exactly Sphinx's (`sphinx.util.matching`):
    `**` is `.*` wherever it stands, so `**/x.md` needs at least one folder.
    """
    pattern = pattern.strip().removeprefix("./").lstrip("/")
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern[i : i + 2] == "**":
                if not sphinx and pattern[i + 2 : i + 3] == "/":  # `**/`: also no folder at all
                    out.append("(?:.*/)?")
                    i += 3
                    continue
                out.append(".*")
                i += 2
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^/" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def matches(path: str, pattern: str) -> bool:
    """Whether `path` or one of its parent folders matches `pattern`."""
    regex = compile_pattern(pattern)
    if regex.match(path):
        return True
    parts = path.split("/")
    return any(regex.match("/".join(parts[:i])) for i in range(1, len(parts)))


def first_match(path: str, patterns: Iterable[str]) -> str | None:
    return next((p for p in patterns if matches(path, p)), None)
