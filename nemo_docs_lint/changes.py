"""The change set: the paths a user named, and what git says was renamed or deleted.

One bounded call, `git diff --name-status -z -M HEAD`, covers the staged and the work-tree
changes relative to the last commit. Without git, outside a repository, before the first commit
or when git takes too long, the change set is empty and `notes` says why (`--verbose`).
Paths are docs-root-relative posix paths; changes outside the docs root are dropped.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

GIT_TIMEOUT = 10.0  # seconds: a status of a huge repository, not a hang


@dataclass(frozen=True)
class ChangeSet:
    """What changed: named paths, renames (old -> new) and deletions, docs-root-relative."""

    named: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    deleted: tuple[str, ...] = ()
    touched: tuple[str, ...] = ()  # added or modified (tracked files)
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def moves(self) -> dict[str, str]:
        return dict(self.renamed)

    @property
    def gone(self) -> frozenset[str]:
        """Paths that no longer exist: deleted, or renamed away."""
        return frozenset(self.deleted) | {old for old, _ in self.renamed}

    def __bool__(self) -> bool:
        return bool(self.renamed or self.deleted)

    def below(self, folder: str, named: Iterable[str] = ()) -> ChangeSet:
        """This repository-relative change set as seen from `folder` (a docs root): paths
        relative to it, what lies outside dropped, a rename out of it a deletion."""
        prefix = "" if folder in ("", ".") else folder.rstrip("/") + "/"
        moves, gone = [], []
        for old, new in self.renamed:
            old_rel, new_rel = _strip(old, prefix), _strip(new, prefix)
            if old_rel is not None and new_rel is not None:
                moves.append((old_rel, new_rel))
            elif old_rel is not None:
                gone.append(old_rel)
        gone += [p for p in (_strip(d, prefix) for d in self.deleted) if p is not None]
        other = sorted(p for p in (_strip(t, prefix) for t in self.touched) if p is not None)
        note = f"change set: {len(moves)} renamed, {len(gone)} deleted, {len(other)} other changes"
        return ChangeSet(
            tuple(named), tuple(sorted(moves)), tuple(sorted(gone)), tuple(other), (note,)
        )


def read_changes(
    docs_root: Path,
    repo_root: Path | None,
    named: Iterable[str] = (),
    timeout: float = GIT_TIMEOUT,
) -> ChangeSet:
    """Ask git (once) what was renamed or deleted under `docs_root` since HEAD."""
    named = tuple(named)
    if repo_root is None:
        return ChangeSet(named, notes=("change set: not in a git repository; renames unknown",))
    git = shutil.which("git")
    if git is None:
        return ChangeSet(named, notes=("change set: git is not installed; renames unknown",))
    command = [git, "-c", "core.quotepath=off", "diff", "--name-status", "-z", "-M", "HEAD", "--"]
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE")}
    try:
        done = subprocess.run(
            command,
            cwd=repo_root,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ChangeSet(named, notes=(f"change set: git took over {timeout:g} s; skipped",))
    except OSError as exc:
        return ChangeSet(named, notes=(f"change set: cannot run git: {exc}",))
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = error[-1] if error else f"exit code {done.returncode}"
        return ChangeSet(named, notes=(f"change set: git diff failed ({reason}); renames unknown",))
    prefix = _docs_prefix(docs_root, repo_root)
    if prefix is None:
        return ChangeSet(named, notes=("change set: the docs root is outside the repository",))
    renamed, deleted, touched = parse_name_status(done.stdout.decode("utf-8", "surrogateescape"))
    whole = ChangeSet((), tuple(renamed), tuple(deleted), tuple(touched))
    return whole.below(prefix, named)


def parse_name_status(output: str) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Renames, deletions and other changes (added, modified, copied: the new path) of
    `git diff --name-status -z` output."""
    fields = output.split("\0")
    renamed: list[tuple[str, str]] = []
    deleted: list[str] = []
    touched: list[str] = []
    i = 0
    while i < len(fields):
        status = fields[i]
        if not status:
            i += 1
            continue
        letter = status[0]
        if letter in "RC":
            if i + 2 >= len(fields) or not fields[i + 1] or not fields[i + 2]:
                break  # truncated output: nothing invented
            old, new = fields[i + 1], fields[i + 2]
            if letter == "R":
                renamed.append((old, new))
            else:
                touched.append(new)
            i += 3
            continue
        if i + 1 < len(fields) and fields[i + 1]:
            (deleted if letter == "D" else touched).append(fields[i + 1])
        i += 2
    return renamed, deleted, touched


def _docs_prefix(docs_root: Path, repo_root: Path) -> str | None:
    try:
        relative = docs_root.resolve().relative_to(repo_root.resolve())
    except ValueError:
        return None
    text = relative.as_posix()
    return "" if text == "." else text + "/"


def _strip(path: str, prefix: str) -> str | None:
    if not prefix:
        return path
    return path[len(prefix) :] if path.startswith(prefix) else None


def folder_moves(renamed: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Folders that moved as a whole: every file renamed keeps its name below a new folder.

    `a/x.md -> b/x.md` and `a/sub/y.md -> b/sub/y.md` give `a -> b` (and `a/sub -> b/sub`).
    A folder whose files went to different places is not a folder move.
    """
    candidates: dict[str, set[str]] = {}
    for old, new in renamed:
        old_parts, new_parts = old.split("/"), new.split("/")
        # Walk up while the tails agree: each level is a candidate folder mapping.
        i, j = len(old_parts) - 1, len(new_parts) - 1
        while i > 0 and j > 0 and old_parts[i] == new_parts[j]:
            folder = "/".join(old_parts[:i])
            candidates.setdefault(folder, set()).add("/".join(new_parts[:j]))
            i, j = i - 1, j - 1
    return {folder: next(iter(new)) for folder, new in candidates.items() if len(new) == 1}


def map_folder(path: str, folders: Mapping[str, str]) -> str | None:
    """Where a folder (or a path below a moved folder) went; None when it did not move."""
    probe = path
    while probe and probe != ".":
        if probe in folders:
            return folders[probe] + path[len(probe) :]
        probe = posixpath.dirname(probe)
    return None


def changed_docs_roots(
    cwd: Path, timeout: float = GIT_TIMEOUT
) -> tuple[list[tuple[Path, ChangeSet]], list[str]]:
    """Docs trees (folders with conf.py) that hold a path git shows changed, deleted or renamed
    away, each with its change set: what `--changed` lints when given no path (pre-commit, a
    commit that only deletes). One git call serves the lints that follow."""
    from .config import find_project_root

    repo_root = find_project_root(cwd.resolve())
    base = repo_root or cwd
    changes = read_changes(base, repo_root, timeout=timeout)
    roots = set()
    for path in sorted(changes.gone | set(changes.touched) | {n for _, n in changes.renamed}):
        folder = base / posixpath.dirname(path)
        for candidate in (folder, *folder.parents):
            if (candidate / "conf.py").is_file():
                roots.add(candidate)
                break
            if candidate == repo_root:
                break
    found = [(root, changes.below(root.relative_to(base).as_posix())) for root in sorted(roots)]
    return found, list(changes.notes)
