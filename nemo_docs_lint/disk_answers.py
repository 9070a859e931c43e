"""What the rules asked the disk beyond the tree's own files, and whether the answers still hold.

The warm check (`warm.py`) reuses findings while the tree's layout (its documents and files,
`lint_state.layout_digest`) is unchanged. But a link may name a path outside the docs root or a
folder, a glob may match one, and an `{include}` may read a file outside the tree: those change
without the layout changing. Each such answer is logged here while the index is asked, stored
with the state, and asked again by the next run; any other answer means a full check.
"""

from __future__ import annotations

import glob
import os
import time
from pathlib import Path

# "e:<path>" -> exists; "g:<pattern>" -> matches anything; "r:<path>" -> (size, mtime_ns,
# ctime_ns, inode) of a file read, or None when it could not be stat'ed.
Answer = bool | tuple[int, int, int, int] | None


class DiskAnswers:
    """The log of one index's disk look-ups outside the files of the tree."""

    __slots__ = ("answers",)

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}

    def exists(self, root: Path, relpath: str) -> bool:
        found = os.path.exists(root / relpath)
        self.answers["e:" + relpath] = found
        return found

    def matches(self, root: Path, pattern: str) -> bool:
        found = bool(glob.glob(str(root / pattern)))
        self.answers["g:" + pattern] = found
        return found

    def read(self, root: Path, relpath: str) -> None:
        """Log the stat of a file about to be read (before the read, so a change during it
        shows next time)."""
        self.answers["r:" + relpath] = _stamp(root / relpath)


def still_hold(answers: dict[str, Answer], root: Path) -> bool:
    """Whether the disk gives every logged answer again (a stamp too recent to trust never
    holds: git's racy rule, as in the tree snapshot)."""
    from .parse_cache import RACY_NS

    for key, answer in answers.items():
        kind, path = key[:2], key[2:]
        if kind == "e:":
            again: Answer = os.path.exists(root / path)
        elif kind == "g:":
            again = bool(glob.glob(str(root / path)))
        else:
            again = _stamp(root / path)
            if again is not None and again[1] + RACY_NS > time.time_ns():
                return False
        if again != answer:
            return False
    return True


def valid_answers(value: object) -> bool:
    """Whether a stored value has the shape `DiskAnswers.answers` has."""
    if type(value) is not dict:
        return False
    for key, answer in value.items():
        if type(key) is not str or key[:2] not in ("e:", "g:", "r:"):
            return False
        if key[:2] == "r:":
            if answer is not None and not (
                type(answer) is tuple
                and len(answer) == 4
                and all(type(n) is int and n >= 0 for n in answer)
            ):
                return False
        elif type(answer) is not bool:
            return False
    return True


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
