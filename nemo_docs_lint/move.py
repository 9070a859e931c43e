"""`mv`: move pages, assets and folders of a docs tree, and rewrite every reference to them.

A plan turns the requested moves (files or folders, one by one or from a migration map) into a
move of every file below the docs root that changes place; the edits are computed from the
index of the tree before the move (`edits.edits_before_move`). Executing moves each file (with
`git mv` when git tracks it), then applies the edits, each file written atomically.
"""

from __future__ import annotations

import csv
import os
import posixpath
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .edits import Edit, Moves
from .fileio import read_regular

if TYPE_CHECKING:
    from .config import Config
    from .index import DocsIndex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class MoveError(ValueError):
    """A move that cannot be done: a missing source, a taken target, a bad map file."""


@dataclass(frozen=True)
class Plan:
    """What moves: the requested (old, new) pairs and every file they carry, docs-relative."""

    requested: tuple[tuple[str, str], ...]
    files: dict[str, str]  # every file that moves: old -> new
    folders: dict[str, str]  # folders moved as a whole: old -> new

    @property
    def moves(self) -> Moves:
        return Moves(self.files, self.folders)


def load_map(path: Path) -> list[tuple[str, str]]:
    """A migration map: a two-column CSV (`old,new`; a header row is allowed) or TOML
    (`"old" = "new"`, top level). Paths are as `mv` takes them: relative to the current folder."""
    try:
        text = read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MoveError(f"cannot read the map {path}: {exc}") from exc
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise MoveError(f"{path}: not valid TOML: {exc}") from exc
        pairs = []
        for old, new in data.items():
            if not isinstance(new, str):
                raise MoveError(f'{path}: `{old}` must map to a path string ("old" = "new")')
            pairs.append((old, new))
        return pairs
    pairs = []
    for number, row in enumerate(csv.reader(text.splitlines()), 1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) != 2 or not all(cells):
            raise MoveError(f"{path}:{number}: expected two columns, old path and new path")
        if number == 1 and [c.lower() for c in cells] in (["old", "new"], ["from", "to"]):
            continue
        pairs.append((cells[0], cells[1]))
    if not pairs:
        raise MoveError(f"{path}: the map lists no moves")
    return pairs


def make_plan(docs_root: Path, pairs: list[tuple[Path, Path]]) -> Plan:
    """Check each move and list every file it carries (the more specific move wins)."""
    requested: list[tuple[str, str]] = []
    for old, new in pairs:
        old_rel = _inside(docs_root, old, "source")
        if not (docs_root / old_rel).exists():
            raise MoveError(f"{old}: no such file or folder")
        new_rel = _inside(docs_root, new, "target")
        if (docs_root / new_rel).is_dir() and not (docs_root / new_rel).is_symlink():
            new_rel = posixpath.join(new_rel, posixpath.basename(old_rel))
        if old_rel in (".", "") or new_rel == old_rel:
            raise MoveError(f"{old} -> {new}: nothing to move")
        if new_rel.startswith(old_rel + "/"):
            raise MoveError(f"{old} -> {new}: cannot move a folder into itself")
        requested.append((old_rel, new_rel))
    sources = [source for source, _ in requested]
    if len(set(sources)) != len(sources):
        raise MoveError("the same path is moved twice")
    folders = {a: b for a, b in requested if (docs_root / a).is_dir()}
    files: dict[str, str] = {}
    for source, target in sorted(requested, key=lambda pair: pair[0].count("/")):
        if source in folders:
            for path in _files_below(docs_root / source):
                files[posixpath.join(source, path)] = posixpath.join(target, path)
        else:
            files[source] = target
    taken: dict[str, str] = {}
    for source, target in files.items():
        if target in taken:
            raise MoveError(f"{taken[target]} and {source} would both move to {target}")
        taken[target] = source
        if (docs_root / target).exists() and target not in files:
            raise MoveError(f"{target} exists already")
    return Plan(tuple(requested), files, folders)


def execute(docs_root: Path, repo_root: Path | None, plan: Plan) -> None:
    """Move every file of the plan (`git mv` for files git tracks), then drop emptied folders.

    A move that fails undoes the ones done before it (in reverse), then raises: the tree is as
    it was, not half moved.
    """
    tracked = _tracked(docs_root, repo_root, plan.files)
    git = shutil.which("git")
    # Through temporary names when a target is also a source (a swap, a chain).
    steps: list[tuple[str, str, bool]] = []
    second: list[tuple[str, str, bool]] = []
    for old, new in sorted(plan.files.items()):
        if new in plan.files:
            temporary = f"{old}.nemo-docs-lint-move"
            steps.append((old, temporary, old in tracked))
            second.append((temporary, new, old in tracked))
        else:
            second.append((old, new, old in tracked))
    done: list[tuple[str, str, bool]] = []
    try:
        for old, new, is_tracked in steps + second:
            _move_one(docs_root, old, new, is_tracked, git)
            done.append((old, new, is_tracked))
    except (MoveError, OSError):
        for old, new, is_tracked in reversed(done):
            _move_one(docs_root, new, old, is_tracked, git)
        for _old, new, _is_tracked in done:
            _remove_empty(docs_root, posixpath.dirname(new))
        raise
    for folder in sorted({posixpath.dirname(old) for old in plan.files}, key=len, reverse=True):
        _remove_empty(docs_root, folder)


def _move_one(docs_root: Path, old: str, new: str, tracked: bool, git: str | None) -> None:
    target = docs_root / new
    target.parent.mkdir(parents=True, exist_ok=True)
    if tracked and git is not None:
        done = subprocess.run(
            [git, "mv", "--", old, new], cwd=docs_root, capture_output=True, check=False
        )
        if done.returncode == 0:
            return
        reason = done.stderr.decode("utf-8", "replace").strip()
        raise MoveError(f"git mv {old} {new} failed: {reason}")
    os.rename(docs_root / old, target)


def _remove_empty(docs_root: Path, folder: str) -> None:
    while folder:
        try:
            (docs_root / folder).rmdir()
        except OSError:
            return
        folder = posixpath.dirname(folder)


def _tracked(docs_root: Path, repo_root: Path | None, files: dict[str, str]) -> set[str]:
    """Which of the files git tracks (one `git ls-files` call); none without git."""
    git = shutil.which("git")
    if repo_root is None or git is None or not files:
        return set()
    try:
        done = subprocess.run(
            [git, "ls-files", "-z", "--", *sorted(files)],
            cwd=docs_root,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return set()
    if done.returncode != 0:
        return set()
    return {p for p in done.stdout.decode("utf-8", "surrogateescape").split("\0") if p}


def _files_below(folder: Path) -> list[str]:
    found = []
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            found.append(Path(parent, name).relative_to(folder).as_posix())
    return sorted(found)


def _inside(docs_root: Path, path: Path, what: str) -> str:
    absolute = Path(os.path.normpath(path.absolute()))
    try:
        return absolute.relative_to(docs_root).as_posix()
    except ValueError:
        raise MoveError(f"{path}: the {what} is outside the docs tree {docs_root}") from None


@dataclass
class Prepared:
    """A checked plan with the index it was computed on and the edits it needs."""

    config: Config
    index: DocsIndex
    plan: Plan
    edits: list[Edit]

    @property
    def read(self) -> dict[str, str]:
        """New path -> the text the edits were computed on."""
        moves = self.plan.moves
        return {moves.file(p.path): p.text for p in self.index.pages.values()}

    @property
    def read_before(self) -> dict[str, str]:
        """Path now -> the text the edits were computed on."""
        return {p.path: p.text for p in self.index.pages.values()}

    @property
    def summary(self) -> str:
        """`3 files moved, 12 references rewritten in 5 files`."""
        moved, edits = len(self.plan.files), len(self.edits)
        files = len({edit.path for edit in self.edits})
        return (
            f"{moved} file{'s' if moved != 1 else ''} moved, "
            f"{edits} reference{'s' if edits != 1 else ''} rewritten in "
            f"{files} file{'s' if files != 1 else ''}"
        )

    def listing(self) -> list[str]:
        """`--dry-run`: each requested move, then each rewrite (`path:line:col: `old` -> `new``)."""
        lines = [f"{old} -> {new}" for old, new in self.plan.requested]
        for edit in self.edits:
            where = f"{edit.path}:{edit.span.line}:{edit.span.column}"
            lines.append(f"  {where}: `{edit.old}` -> `{edit.new}`")
        return lines

    def diff(self) -> str:
        """`--diff`: the moves and rewrites as one git-style diff; nothing is written."""
        from .fix import unified_diff

        back = {new: old for old, new in self.plan.files.items()}
        return unified_diff(self.config.docs_root, self.edits, self.read_before, back)

    @property
    def moved_docs(self) -> dict[str, str]:
        """Old docname -> new docname of every document that moves."""
        pages = self.index.by_path
        found = {}
        for old, new in self.plan.files.items():
            page = pages.get(old)
            if page is not None:
                found[page.docname] = posixpath.splitext(new)[0]
        return found


def prepare(
    pairs: list[tuple[Path, Path]],
    root: Path | None = None,
    config_file: Path | None = None,
    use_cache: bool = True,
) -> Prepared:
    """Find the docs tree, index it, check the moves and compute every edit they need."""
    from .edits import edits_before_move
    from .engine import LintRequest, build_index_with_texts, resolve_config

    if not pairs:
        raise MoveError("nothing to move: give OLD NEW or --map FILE")
    docs_root = root.resolve() if root is not None else _docs_root([old for old, _ in pairs])
    config = resolve_config(LintRequest(paths=(docs_root,), config_file=config_file))
    plan = make_plan(config.docs_root, pairs)
    index = build_index_with_texts(config, use_cache=use_cache, bodies=True)
    return Prepared(config, index, plan, edits_before_move(index, plan.moves))


def _docs_root(sources: list[Path]) -> Path:
    """The docs tree holding every source: the nearest folder above them with a conf.py."""
    roots = set()
    for source in sources:
        absolute = Path(os.path.normpath(source.absolute()))
        found = next((f for f in absolute.parents if (f / "conf.py").is_file()), None)
        if found is None:
            raise MoveError(f"{source}: no conf.py above it; say where the docs are with --root")
        roots.add(found)
    if len(roots) > 1:
        raise MoveError("the moves belong to different docs trees; move each tree's separately")
    return roots.pop()
