"""Helpers for the tests that move files: findings keyed across a move, byte-exact checks."""

from __future__ import annotations

import re
from pathlib import Path


def keyed(diagnostics: list[dict], moved: dict[str, str] | None = None, prefix: str = "") -> set:
    """(path, code, line, message) of each diagnostic, paths (also in messages) as after `moved`.

    Columns are left out: a column moves when a target before it on the line is rewritten.
    `prefix` is what the report puts before a docs-root-relative path (`docs/`).
    """
    moved = moved or {}
    renames: list[tuple[str, str]] = []
    for old, new in moved.items():
        o, n = old.removeprefix(prefix), new.removeprefix(prefix)
        renames.append((f"`{o}`", f"`{n}`"))
        if o.endswith(".md") and n.endswith(".md"):
            renames.append((f"`{o[:-3]}`", f"`{n[:-3]}`"))

    def message(text: str) -> str:
        for o, n in renames:
            text = text.replace(o, n)
        return text

    return {
        (moved.get(d["path"], d["path"]), d["code"], d["line"], message(d["message"]))
        for d in diagnostics
    }


def reference_regions(root: Path) -> dict[str, list[tuple[int, int]]]:
    """Docs-root-relative path -> (start, end) offsets of every reference target in the file."""
    from nemo_docs_lint.engine import LintRequest, build_index, resolve_config

    config = resolve_config(LintRequest(paths=(root,), use_cache=False))
    index = build_index(config, use_cache=False)
    regions: dict[str, list[tuple[int, int]]] = {}
    for page in index.pages.values():
        starts = [0]
        for line in page.lines:
            starts.append(starts[-1] + len(line) + 1)
        spans = [ref.span for ref in page.body.references]
        spans += [e.span for t in page.body.toctrees for e in t.entries]
        regions[page.path] = [
            (starts[s.line - 1] + s.column - 1, starts[s.line - 1] + s.end_column - 1)
            for s in spans
        ]
        # {include} arguments are not references of the index; they are targets all the same
        for number, line in enumerate(page.lines):
            if "{include}" in line:
                at = line.index("}") + 2
                regions[page.path].append((starts[number] + at, starts[number] + len(line)))
    return regions


def assert_only_targets_changed(
    before: dict[str, bytes], after: dict[str, bytes], moved: dict[str, str], regions: dict
) -> None:
    back = {new: old for old, new in moved.items()}
    assert set(after) == {moved.get(p, p) for p in before}
    for path, data in after.items():
        old = before[back.get(path, path)]
        if old == data or not path.endswith(".md"):
            assert old == data, path
            continue
        allowed = regions[back.get(path, path).removeprefix("docs/")]
        # positions count from after the BOM, as the parser's do
        assert data.startswith(b"\xef\xbb\xbf") == old.startswith(b"\xef\xbb\xbf"), path
        text_before, text_after = old.decode("utf-8-sig"), data.decode("utf-8-sig")
        assert _only_regions_differ(text_before, text_after, allowed), path


def _only_regions_differ(before: str, after: str, regions: list[tuple[int, int]]) -> bool:
    """Whether `after` is `before` with only the text of `regions` replaced (a region may grow
    lines: a glob's documents listed after it)."""
    pattern, last = [], 0
    for start, end in sorted(set(regions)):
        if start < last:
            continue
        pattern.append(re.escape(before[last:start]))
        pattern.append("(.*?)")
        last = end
    pattern.append(re.escape(before[last:]))
    return re.fullmatch("".join(pattern), after, re.S) is not None
