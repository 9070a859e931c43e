"""`--fix`: apply the exact text edits that diagnostics carry, changing nothing else.

Positions refer to the file as read (BOM removed, any line ending counted once); the edits are
applied by `fileio.apply_edits`, which keeps the BOM, the line endings and every other byte,
and writes through `fileio.write_atomic` (symlinks, hard links, owner and mode kept; a real file
outside the repository refused). A file whose text changed since the lint read it is left alone
(when the caller passes the texts as read), and an edit whose old text no longer matches is
skipped.

One real file may be reached by several docs paths (a folder symlink walked as Sphinx does):
its links resolve differently from each, so it is fixed through one path only — the one without
a symlink when there is one, else the first — and a second `--fix` changes nothing.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .fileio import Edit, apply_edits
from .model import Diagnostic


@dataclass(frozen=True)
class FixReport:
    fixed: tuple[Diagnostic, ...]
    files: tuple[str, ...]
    failed: tuple[tuple[str, str], ...] = ()  # (path, why it could not be written)


def apply_fixes(
    docs_root: Path,
    diagnostics: list[Diagnostic],
    read: Mapping[str, str] | None = None,
    within: Path | None = None,
) -> FixReport:
    """Apply every fix, one file at a time; returns what was fixed and what failed.

    `read` maps a docs-root-relative path to the text the lint parsed (LF line endings, no
    BOM); a file that no longer reads the same is not touched. `within` (the repository) bounds
    where a symlinked page's real file may be written.
    """
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        if diagnostic.fix is not None:
            by_path[diagnostic.path].append(diagnostic)
    fixed: list[Diagnostic] = []
    files: list[str] = []
    failed: list[tuple[str, str]] = []
    for path in _one_path_per_file(docs_root, by_path, read or ()):
        items = by_path[path]
        edits = [_edit(d) for d in items]
        expected = None if read is None else read.get(path)
        try:
            done = apply_edits(docs_root / path, expected, edits, within=within)
        except OSError as exc:
            failed.append((path, exc.strerror or str(exc)))
            continue
        if done:
            fixed.extend(items[i] for i in done)
            files.append(path)
    return FixReport(tuple(fixed), tuple(files), tuple(failed))


def _edit(diagnostic: Diagnostic) -> Edit:
    fix = diagnostic.fix
    assert fix is not None
    span = fix.span
    return Edit(span.line, span.column, span.end_line, span.end_column, fix.old, fix.new)


def _one_path_per_file(
    docs_root: Path, by_path: Mapping[str, object], pages: Iterable[str]
) -> list[str]:
    """The paths of `by_path` to fix, sorted. Of several docs paths (`pages`) to one real file
    only one is fixed: the one reached without a symlinked folder, else the first in order."""
    root = os.path.realpath(docs_root)
    chosen: dict[str, str] = {}
    for path in sorted({*by_path, *pages}):
        real = os.path.realpath(os.path.join(root, path))
        if real not in chosen or (
            _direct(root, path, real) and not _direct(root, chosen[real], real)
        ):
            chosen[real] = path
    return sorted(path for path in chosen.values() if path in by_path)


def _direct(root: str, path: str, real: str) -> bool:
    """Whether the docs path's folder is the real file's folder (no folder symlink between)."""
    return os.path.dirname(real) == os.path.dirname(os.path.join(root, path))
