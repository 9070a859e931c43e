"""Applying exact text edits (fixes, moves), changing nothing else; or showing them as a diff.

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

import difflib
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import fileio
from .edits import Edit
from .index import DocsIndex
from .model import Diagnostic, Span


@dataclass(frozen=True)
class FixReport:
    fixed: tuple[Diagnostic, ...]
    files: tuple[str, ...]
    failed: tuple[tuple[str, str], ...] = ()  # (path, why it could not be written)


@dataclass(frozen=True)
class EditReport:
    applied: tuple[Edit, ...]
    files: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # files left alone: changed since read, or not UTF-8
    failed: tuple[tuple[str, str], ...] = ()  # (path, why it could not be read or written)


def fix_edits(diagnostics: Iterable[Diagnostic]) -> list[tuple[Edit, Diagnostic]]:
    """Each diagnostic's fix as an edit of its file."""
    return [
        (Edit(d.path, d.fix.span, d.fix.old, d.fix.new), d)
        for d in diagnostics
        if d.fix is not None
    ]


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
    pairs = fix_edits(diagnostics)
    by_edit = {id(edit): diagnostic for edit, diagnostic in pairs}
    report = apply_edits(docs_root, [edit for edit, _ in pairs], read, within)
    fixed = tuple(by_edit[id(edit)] for edit in report.applied)
    return FixReport(fixed, report.files, report.failed)


def apply_edits(
    docs_root: Path,
    edits: Iterable[Edit],
    read: Mapping[str, str] | None = None,
    within: Path | None = None,
) -> EditReport:
    """Apply edits file by file (each file written atomically); returns what was applied."""
    by_path = _by_path(edits)
    applied: list[Edit] = []
    files: list[str] = []
    skipped: list[str] = []
    failed: list[tuple[str, str]] = []
    for path in _one_path_per_file(docs_root, by_path, read or ()):
        items = by_path[path]
        expected = None if read is None else read.get(path)
        try:
            done = fileio.apply_edits(docs_root / path, expected, _text_edits(items), within)
        except OSError as exc:
            failed.append((path, exc.strerror or str(exc)))
            continue
        if done:
            applied.extend(items[i] for i in done)
            files.append(path)
        else:
            skipped.append(path)
    return EditReport(tuple(applied), tuple(files), tuple(skipped), tuple(failed))


def unified_diff(
    docs_root: Path,
    edits: Iterable[Edit],
    read: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
) -> str:
    """The edits as one git-style unified diff; nothing is written.

    `sources` maps a new path to the path the file has now (a move not yet done): such a file
    is shown as a rename (`rename from`/`rename to`), with or without changes.
    """
    sources = sources or {}
    by_path = _by_path(edits)
    chunks: list[str] = []
    for path in sorted(set(by_path) | set(sources)):
        source = sources.get(path, path)
        expected = None if read is None else read.get(source)
        try:
            raw = fileio.read_regular(docs_root / source)
        except OSError:
            continue
        result = fileio.edited_bytes(raw, expected, _text_edits(by_path.get(path, [])))
        changed = result is not None and bool(result[1])
        if source == path and not changed:
            continue
        chunks.append(f"diff --git a/{source} b/{path}\n")
        if source != path:
            chunks.append(f"rename from {source}\nrename to {path}\n")
        if result is None or not changed:
            continue
        lines = difflib.unified_diff(
            raw.decode("utf-8").splitlines(keepends=True),
            result[0].decode("utf-8").splitlines(keepends=True),
            f"a/{source}",
            f"b/{path}",
        )
        for line in lines:
            chunks.append(
                line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            )
    return "".join(chunks)


def _text_edits(edits: Iterable[Edit]) -> list[fileio.Edit]:
    return [
        fileio.Edit(e.span.line, e.span.column, e.span.end_line, e.span.end_column, e.old, e.new)
        for e in edits
    ]


def _by_path(edits: Iterable[Edit]) -> dict[str, list[Edit]]:
    table: dict[str, list[Edit]] = defaultdict(list)
    for edit in edits:
        table[edit.path].append(edit)
    return table


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


@dataclass(frozen=True)
class FixPlan:
    """Everything `--fix` would change: rename edits (git's renames) and the diagnostics' fixes."""

    renames: tuple[Edit, ...]
    fixes: tuple[tuple[Edit, Diagnostic], ...]

    @property
    def edits(self) -> list[Edit]:
        return [*self.renames, *(edit for edit, _ in self.fixes)]


def plan_fixes(
    index: DocsIndex,
    diagnostics: Iterable[Diagnostic],
    renamed: Iterable[tuple[str, str]] = (),
    unsafe: bool = False,
) -> FixPlan:
    """Rename-aware edits for git's renames, then each (safe, or also unsafe) fix that does
    not overlap one of them: a rename knows where a link must point; a did-you-mean guesses."""
    from .edits import edits_after_move, moves_after

    renamed = list(renamed)
    renames = edits_after_move(index, moves_after(index, renamed)) if renamed else []
    taken: dict[str, list[Span]] = defaultdict(list)
    for edit in renames:
        taken[edit.path].append(edit.span)
    chosen = [d for d in diagnostics if d.fix is not None and (unsafe or d.fix.safe)]
    fixes = [
        (edit, d)
        for edit, d in fix_edits(chosen)
        if not any(_overlaps(edit.span, span) for span in taken.get(edit.path, ()))
    ]
    return FixPlan(tuple(renames), tuple(fixes))


def _overlaps(a: Span, b: Span) -> bool:
    return a.line == b.line and a.column < b.end_column and b.column < a.end_column
