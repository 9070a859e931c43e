"""`--fix`: apply the exact text edits that diagnostics carry, changing nothing else.

Positions refer to the file as read (BOM removed, any line ending counted once), so edits are
applied to the original text with its own line endings and BOM preserved; each file is written
atomically. A file whose text changed since the lint read it is left alone (when the caller
passes the texts as read), and an edit whose old text no longer matches is skipped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .fileio import write_atomic
from .model import Diagnostic

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class FixReport:
    fixed: tuple[Diagnostic, ...]
    files: tuple[str, ...]


def apply_fixes(
    docs_root: Path, diagnostics: list[Diagnostic], read: Mapping[str, str] | None = None
) -> FixReport:
    """Apply every fix, one file at a time; returns what was fixed.

    `read` maps a docs-root-relative path to the text the lint parsed (LF line endings, no
    BOM); a file that no longer reads the same is not touched.
    """
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        if diagnostic.fix is not None:
            by_path[diagnostic.path].append(diagnostic)
    fixed: list[Diagnostic] = []
    files: list[str] = []
    for path, items in sorted(by_path.items()):
        done = _fix_file(docs_root / path, items, None if read is None else read.get(path))
        if done:
            fixed.extend(done)
            files.append(path)
    return FixReport(tuple(fixed), tuple(files))


def _fix_file(path: Path, diagnostics: list[Diagnostic], expected: str | None) -> list[Diagnostic]:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    if expected is not None and _LINE_BREAK.sub("\n", body) != expected:
        return []  # changed since the lint read it: its positions no longer hold
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(body)]
    edits = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is None:
            continue
        span = fix.span
        if span.line != span.end_line or span.line > len(starts):
            continue
        start = starts[span.line - 1] + span.column - 1
        end = starts[span.line - 1] + span.end_column - 1
        if body[start:end] != fix.old:
            continue  # the file changed since it was read
        edits.append((start, end, fix.new, diagnostic))
    edits.sort(key=lambda e: e[0], reverse=True)
    applied = []
    last_start = len(body) + 1
    for start, end, new, diagnostic in edits:
        if end > last_start:
            continue  # overlapping edits: keep the later one only
        body = body[:start] + new + body[end:]
        last_start = start
        applied.append(diagnostic)
    if applied:
        write_atomic(path, (bom + body).encode("utf-8"))
    return applied
