"""Applying exact text edits (fixes, moves), changing nothing else; or showing them as a diff.

Positions refer to the file as read (BOM removed, any line ending counted once), so edits are
applied to the original text with its own line endings and BOM preserved; each file is written
atomically. A file whose text changed since the lint read it is left alone (when the caller
passes the texts as read), and an edit whose old text no longer matches is skipped.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .edits import Edit
from .fileio import write_atomic
from .index import DocsIndex
from .model import Diagnostic, Span

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class FixReport:
    fixed: tuple[Diagnostic, ...]
    files: tuple[str, ...]


@dataclass(frozen=True)
class EditReport:
    applied: tuple[Edit, ...]
    files: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # files left alone: unreadable or changed since read


def fix_edits(diagnostics: Iterable[Diagnostic]) -> list[tuple[Edit, Diagnostic]]:
    """Each diagnostic's fix as an edit of its file."""
    return [
        (Edit(d.path, d.fix.span, d.fix.old, d.fix.new), d)
        for d in diagnostics
        if d.fix is not None
    ]


def apply_fixes(
    docs_root: Path, diagnostics: list[Diagnostic], read: Mapping[str, str] | None = None
) -> FixReport:
    """Apply every fix, one file at a time; returns what was fixed.

    `read` maps a docs-root-relative path to the text the lint parsed (LF line endings, no
    BOM); a file that no longer reads the same is not touched.
    """
    pairs = fix_edits(diagnostics)
    by_edit = {id(edit): diagnostic for edit, diagnostic in pairs}
    report = apply_edits(docs_root, [edit for edit, _ in pairs], read)
    return FixReport(tuple(by_edit[id(edit)] for edit in report.applied), report.files)


def apply_edits(
    docs_root: Path, edits: Iterable[Edit], read: Mapping[str, str] | None = None
) -> EditReport:
    """Apply edits file by file (each file written atomically); returns what was applied."""
    applied: list[Edit] = []
    files: list[str] = []
    skipped: list[str] = []
    for path, items in sorted(_by_path(edits).items()):
        result = _edited(docs_root / path, items, None if read is None else read.get(path))
        if result is None:
            skipped.append(path)
            continue
        data, done = result
        if done:
            write_atomic(docs_root / path, data)
            applied.extend(done)
            files.append(path)
    return EditReport(tuple(applied), tuple(files), tuple(skipped))


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
        result = _edited(docs_root / source, by_path.get(path, []), expected)
        changed = result is not None and bool(result[1])
        if source == path and not changed:
            continue
        chunks.append(f"diff --git a/{source} b/{path}\n")
        if source != path:
            chunks.append(f"rename from {source}\nrename to {path}\n")
        if result is None or not changed:
            continue
        before = (docs_root / source).read_bytes().decode("utf-8")
        after = result[0].decode("utf-8")
        lines = difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"a/{source}",
            f"b/{path}",
        )
        for line in lines:
            chunks.append(
                line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            )
    return "".join(chunks)


def _by_path(edits: Iterable[Edit]) -> dict[str, list[Edit]]:
    table: dict[str, list[Edit]] = defaultdict(list)
    for edit in edits:
        table[edit.path].append(edit)
    return table


def _edited(path: Path, edits: list[Edit], expected: str | None) -> tuple[bytes, list[Edit]] | None:
    """The file's new bytes and the edits that applied; None when it cannot be edited."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    if expected is not None and _LINE_BREAK.sub("\n", body) != expected:
        return None  # changed since the lint read it: its positions no longer hold
    breaks = list(_LINE_BREAK.finditer(body))
    starts = [0] + [m.end() for m in breaks]
    newline = breaks[0].group(0) if breaks else "\n"
    located = []
    for edit in edits:
        span = edit.span
        if span.end_line > len(starts) or (span.end_line, span.end_column) < (
            span.line,
            span.column,
        ):
            continue
        start = starts[span.line - 1] + span.column - 1
        end = starts[span.end_line - 1] + span.end_column - 1
        if _LINE_BREAK.sub("\n", body[start:end]) != edit.old:
            continue  # the file changed since it was read
        located.append((start, end, edit))
    located.sort(key=lambda e: (e[0], e[1]), reverse=True)
    applied = []
    last_start = len(body) + 1
    for start, end, edit in located:
        if end > last_start:
            continue  # overlapping edits: keep the later one only
        body = body[:start] + edit.new.replace("\n", newline) + body[end:]
        last_start = start
        applied.append(edit)
    applied.reverse()
    return (bom + body).encode("utf-8"), applied


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
