"""Renames as an editor asks for them: a label with all its uses; files and folders about to move.

File moves are the edits module's (`edits.edits_before_move`, what `mv` computes before it
moves), named where each file stands before the move: an editor applies the edits of
`workspace/willRenameFiles`, then moves the files.
"""

from __future__ import annotations

from collections.abc import Iterable

from .edits import Edit, Moves, edits_before_move
from .index import DocsIndex, normalise_label
from .model import Page, Span
from .navigate import Navigator


def rename_label(index: DocsIndex, label: str, new_name: str) -> list[Edit]:
    """Edits renaming the (normalised) `label` at its definitions and every use."""
    navigator = Navigator(index)
    key = normalise_label(label)
    edits = [
        Edit(site.path, site.label.span, site.label.name, new_name)
        for site in index.labels.get(key, ())
    ]
    for location in navigator.label_uses(key):
        page = index.by_path[location.path]
        old = _text(page, location.span)
        prefix = "#" if old.startswith("#") else ""
        edits.append(Edit(location.path, location.span, old, prefix + new_name))
    return edits


def rename_files(index: DocsIndex, renames: Iterable[tuple[str, str]]) -> list[Edit]:
    """Edits that keep every reference working when files or folders move (old -> new,
    docs-root-relative), each naming its file where it stands before the move."""
    moves = moves_of(index.files, renames)
    back = {new: old for old, new in moves.files.items()}
    edits = edits_before_move(index, moves)
    return [Edit(back.get(e.path, e.path), e.span, e.old, e.new) for e in edits]


def moves_of(files: Iterable[str], renames: Iterable[tuple[str, str]]) -> Moves:
    """Renamed files and folders (a folder carries every one of `files` below it; the more
    specific rename wins) as `Moves`."""
    requested = sorted(renames, key=lambda pair: pair[0].count("/"))
    known = list(files)
    moved: dict[str, str] = {}
    folders: dict[str, str] = {}
    for old, new in requested:
        below = {path: new + path[len(old) :] for path in known if path.startswith(old + "/")}
        if below:
            folders[old] = new
            moved.update(below)
        else:
            moved[old] = new
    return Moves(moved, folders)


def _text(page: Page, span: Span) -> str:
    if span.line != span.end_line:
        return ""
    return page.line_text(span.line)[span.column - 1 : span.end_column - 1]
