"""Reading and writing files safely: every file the linter reads or writes goes through here.

- `read_regular(path)` reads a regular file only: a named pipe, a socket or a device would block
  or never end, so it is an `OSError` instead.
- `write_atomic(path, data)` replaces a file's bytes so that readers never see half a file, and
  keeps what the user made of it: a symlink stays a symlink (its target is written), hard links
  stay linked, owner and mode are kept. With `within`, a target outside that folder (a symlink
  leading out of the repository) is refused.
- `apply_edits(path, expected, edits)` applies exact text edits to one file after checking the
  file still holds the text they were computed from, changing no other byte (BOM and line
  endings included).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

_OPEN_READ = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class NotRegularFile(OSError):
    """A path that is a named pipe, socket, device or folder where a file was expected."""


class OutsideError(OSError):
    """A write whose real target (through symlinks) lies outside the allowed folder."""


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"


def ensure_regular(path: str | Path) -> None:
    """Raise OSError unless `path` is a regular file that can be opened for reading."""
    os.close(_open_regular(path))


def _open_regular(path: str | Path) -> int:
    fd = os.open(path, _OPEN_READ)  # O_NONBLOCK: opening a FIFO with no writer returns at once
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRegularFile(
            errno.EINVAL, f"not a regular file ({file_kind(info.st_mode)})", str(path)
        )
    return fd


def read_regular(path: str | Path) -> bytes:
    """The bytes of a regular file; never blocks (a FIFO is refused, not opened for long)."""
    fd = open_regular(path)
    try:
        info = os.fstat(fd)
        chunks = []
        while chunk := os.read(fd, max(info.st_size + 1, 1 << 16)):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def open_regular(path: str | Path) -> int:
    """A blocking descriptor of a regular file open for reading (see `read_regular`)."""
    fd = _open_regular(path)
    os.set_blocking(fd, True)
    return fd


def read_regular_text(path: str | Path, encoding: str = "utf-8") -> str:
    """`read_regular` decoded (raises OSError or UnicodeDecodeError)."""
    return read_regular(path).decode(encoding)


def write_atomic(
    path: str | Path,
    data: str | bytes | Iterable[str] | Iterable[bytes | memoryview],
    encoding: str = "utf-8",
    within: Path | None = None,
    *,
    durable: bool = True,
) -> None:
    """Make `path` hold exactly `data`, atomically; raises OSError (nothing changed then).

    `durable=False` skips the fsync: for caches, whose checksum catches a torn file and which
    are only slower to rebuild when lost, and for reports, which the next run renders again.
    `data` may be an iterable of text (or byte) chunks (a large report), written one by one so
    that the whole text is never held at once.

    A symlink is followed and its real target written (refused with `OutsideError` when that
    lies outside `within`). The new bytes go to a temporary file beside the target, which gets
    the target's mode and owner and is renamed over it; a file with several hard links, or
    whose owner cannot be kept, is rewritten in place instead (a copy of the old bytes is kept
    beside it until the write is done), so that the links and the owner survive.
    """
    target = Path(os.path.realpath(path))
    if within is not None and not _is_within(target, Path(os.path.realpath(within))):
        raise OutsideError(
            errno.EPERM, f"the real file {target} is outside {within}; not written", str(path)
        )
    chunks: Iterable[str] | Iterable[bytes | memoryview] | None = None
    if isinstance(data, str):
        payload = data.encode(encoding)
    elif isinstance(data, bytes):
        payload = data
    else:
        chunks, payload = data, b""
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(
            errno.EINVAL, f"not a regular file ({file_kind(info.st_mode)})", str(path)
        )
    if info is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    if info is not None and info.st_nlink > 1:
        _rewrite_in_place(target, _joined(chunks, encoding) if chunks is not None else payload)
        return
    import tempfile  # here: a run that writes nothing does not import it

    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if chunks is None:
                handle.write(payload)
            else:
                for chunk in chunks:
                    handle.write(chunk.encode(encoding) if isinstance(chunk, str) else chunk)
            handle.flush()
            if info is not None and not _keep_owner(handle.fileno(), info):
                handle.close()
                payload = read_regular(temp) if chunks is not None else payload
                os.unlink(temp)
                _rewrite_in_place(target, payload)
                return
            os.fchmod(handle.fileno(), (info.st_mode & 0o7777) if info else _default_mode())
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _joined(chunks: Iterable[str] | Iterable[bytes | memoryview], encoding: str) -> bytes:
    return b"".join(c.encode(encoding) if isinstance(c, str) else c for c in chunks)


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _keep_owner(fd: int, info: os.stat_result) -> bool:
    """Give the temporary file the original's owner; False when that is not allowed."""
    if (info.st_uid, info.st_gid) == (os.getuid(), os.getgid()):
        return True
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError:
        return False
    return True


def _rewrite_in_place(target: Path, payload: bytes) -> None:
    """Overwrite the file's own inode (keeps hard links, owner, mode); a backup of the old
    bytes stays beside it while the write is in flight, removed once it is on disk."""
    old = read_regular(target)
    backup = target.with_name(f".{target.name}.nemo-docs-lint-backup")
    write_atomic(backup, old)
    with open(target, "r+b") as handle:
        handle.write(payload)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
    os.unlink(backup)


def _default_mode() -> int:
    """0o666 less the process umask (read without changing it where /proc allows)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `old` by `new` at 1-based (line, column)-(line, end_column) of the text as read.

    Positions count the text as the linter reads it: BOM removed, any line ending one
    character. `old` must be what stands there, else the edit is not applied.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    old: str
    new: str


def apply_edits(
    path: str | Path, expected: str | None, edits: Sequence[Edit], within: Path | None = None
) -> list[int]:
    """Apply `edits` to the file at `path`; return the indexes of the edits applied.

    `expected` is the text the edits were computed from (LF line endings, no BOM); when the file
    no longer reads the same, nothing is written and nothing applied. An edit whose `old` text
    does not stand at its position, or that overlaps an edit after it, is skipped; every other
    byte of the file is kept. Raises OSError when the file cannot be read or written.
    """
    result = edited_bytes(read_regular(path), expected, edits)
    if result is None or not result[1]:
        return []
    write_atomic(path, result[0], within=within)
    return result[1]


def edited_bytes(
    raw: bytes, expected: str | None, edits: Sequence[Edit]
) -> tuple[bytes, list[int]] | None:
    """What `apply_edits` would write, and the indexes of the edits it applies; None when the
    bytes are not UTF-8 or no longer read as `expected`. An edit may span lines: its old text
    is compared with any line ending read as one, and a line break in its new text is written
    as the file's own (its first line ending)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    if expected is not None and _LINE_BREAK.sub("\n", body) != expected:
        return None  # changed since the lint read it: the positions no longer hold
    breaks = list(_LINE_BREAK.finditer(body))
    starts = [0] + [m.end() for m in breaks]
    newline = breaks[0].group(0) if breaks else "\n"
    located = []
    for number, edit in enumerate(edits):
        if not 1 <= edit.line <= edit.end_line <= len(starts) or edit.column < 1:
            continue
        start = starts[edit.line - 1] + edit.column - 1
        end = starts[edit.end_line - 1] + edit.end_column - 1
        if start > end or _LINE_BREAK.sub("\n", body[start:end]) != edit.old:
            continue
        located.append((start, end, number))
    located.sort(reverse=True)
    pieces: list[str] = []
    applied: list[int] = []
    cursor = len(body)
    for start, end, number in located:
        if end > cursor:
            continue  # overlaps an edit after it: keep the later one only
        pieces.append(body[end:cursor])
        pieces.append(edits[number].new.replace("\n", newline))
        cursor = start
        applied.append(number)
    pieces.append(body[:cursor])
    return (bom + "".join(reversed(pieces))).encode("utf-8"), sorted(applied)
