"""One on-disk cache file: plain-data entries by string key, checksummed, replaced atomically.

    MAGIC  hmac-sha256-hex(user's cache key, payload)[:32]  "\\n"  marshal((*header, entries))

The checksum is keyed with a random secret kept outside every docs tree (`cache_key`, in the
user's cache folder, readable by the user alone): a cache file that arrives with a repository, or
that anyone but the user wrote, fails the checksum like a corrupted one, so a forged entry can
never be trusted. The header names what the entries are valid for (a format key, the tool's
version, ...); a file with a bad checksum or another header is ignored (and replaced at the end
of the run). `marshal` only builds plain data (never runs code), the checksum catches torn or
corrupted files, and the caller checks every entry's structure before use.

Writes go to a temporary file in the same folder, then `os.replace` (`fileio.write_atomic`): two
runs sharing the cache each leave a complete file behind (the last one wins). The file is
rewritten only when something changed, and only entries used in this run are kept, so entries of
deleted pages are pruned.

A format key is derived from the classes whose fields the entries hold (`format_key`): changing
a model class changes the key, so nobody bumps a version number by hand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import hashlib
import hmac
import marshal
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .fileio import read_regular, write_atomic

MAGIC = b"NDLPARSE2 "
_DIGEST_HEX = 32
_KEY_BYTES = 32
_GITIGNORE = "# Created by nemo-docs-lint; safe to delete.\n*\n"


def code_stamp(files: Iterable[tuple[str, str | Path]]) -> str:
    """A digest of code files, `(name, path)` each: the name, size and mtime of every file that
    exists (what binds a cache to the code that filled it, without reading that code)."""
    stamps = []
    for name, path in files:
        try:
            info = os.stat(path)
        except OSError:
            continue
        stamps.append((name, info.st_size, info.st_mtime_ns))
    return hashlib.blake2b(repr(stamps).encode(), digest_size=16).hexdigest()


def format_key(*classes: type) -> str:
    """A digest of the classes' shapes: each dataclass's field names and types, each enum's
    values. Cached entries built from these classes are valid while the key is the same."""
    shapes = []
    for cls in classes:
        if dataclasses.is_dataclass(cls):
            shape = [(f.name, str(f.type)) for f in dataclasses.fields(cls)]
        elif issubclass(cls, enum.Enum):
            shape = [(member.name, str(member.value)) for member in cls]
        else:
            raise TypeError(f"{cls!r} is neither a dataclass nor an enum")
        shapes.append((cls.__qualname__, shape))
    return hashlib.blake2b(repr(shapes).encode(), digest_size=8).hexdigest()


class CacheFile:
    """One file of plain-data entries by string key, valid for one `header` (format, versions).

    The layout, checksum, atomic replacement and pruning described above are shared by every
    on-disk cache of the linter; callers choose the file and the header.
    """

    def __init__(self, cache_dir: Path, path: Path, header: tuple[Any, ...]) -> None:
        self.cache_dir = Path(cache_dir)
        self.path = path
        self.header = header
        self._old: dict[str, object] = {}
        self._new: dict[str, object] = {}
        self._dirty = False
        self.hits = 0
        self.misses = 0
        self.invalid = 0  # entries (or whole files) found corrupt or stale and ignored
        self.written = False  # whether `save` replaced the file in this run
        self.digest: bytes | None = None  # the checksum of the file loaded, when it was valid
        self._base: dict[str, object] = {}  # the entries of the file, before its delta
        self._base_digest: bytes | None = None
        self._base_size = 0  # the size of its payload

    def __len__(self) -> int:
        """Entries loaded from disk (before this run's changes)."""
        return len(self._old)

    # --- reading ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the cache file; anything unreadable or not matching is ignored."""
        try:
            raw = self._read()
        except OSError:
            self._dirty = True
            return
        entries = self._parse(raw)
        if entries is None:
            self.invalid += 1
            self._dirty = True
            return
        self._old = self._base = entries
        self._base_digest, self._base_size = self.digest, self._size_of(raw)
        if self.DELTAS:
            self._load_delta()

    def _read(self) -> bytes:
        """The bytes `_parse` reads (a named pipe in the file's place: refused, not read)."""
        return read_regular(self.path)

    def _size_of(self, raw: bytes) -> int:
        """The size of the file `raw` was read from (what `DELTA_SHARE` is a share of)."""
        return len(raw)

    # A subclass whose saves change little of a large file (`LintState`) sets this: a save
    # that changed under `DELTA_SHARE` of the file writes only what changed, beside it.
    DELTAS = False
    DELTA_SHARE = 0.25

    @property
    def delta_path(self) -> Path:
        """Where the changes since the file was last written whole are kept:

            MAGIC  checksum  "\\n"  marshal((*header, file's checksum, whole, nested, removed))

        `whole`: key -> entry; `nested`: key -> (changed items, removed keys) of an entry that
        is a dict in the file and after the change; `removed`: keys. Bound to the file by its
        checksum: a delta of another version of the file (another process rewrote it) is
        ignored, as is one that fails the checksum or is not of this shape."""
        return self.path.with_name(self.path.name + ".delta")

    def _load_delta(self) -> None:
        try:
            raw = read_regular(self.delta_path)
        except OSError:
            return
        content = self._payload(raw)
        if content is None or len(content) != len(self.header) + 4:
            return
        base, whole, nested, removed = content[len(self.header) :]
        if content[: len(self.header)] != self.header or base != self._base_digest:
            return
        entries = _applied(self._base, whole, nested, removed)
        if entries is not None:
            self._old = entries
            self.digest = base + b":" + raw[len(MAGIC) : len(MAGIC) + _DIGEST_HEX]

    def _payload(self, raw: bytes) -> tuple[Any, ...] | None:
        """The unmarshalled content of a file in the layout above, if its checksum holds."""
        head = len(MAGIC) + _DIGEST_HEX + 1
        if not raw.startswith(MAGIC) or raw[head - 1 : head] != b"\n":
            return None
        payload = memoryview(raw)[head:]
        if raw[len(MAGIC) : head - 1] != checksum(payload):
            return None
        try:
            content = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        return content if type(content) is tuple else None

    def _parse(self, raw: bytes) -> dict[str, object] | None:
        head = len(MAGIC) + _DIGEST_HEX + 1
        if not raw.startswith(MAGIC) or raw[head - 1 : head] != b"\n":
            return None
        payload = memoryview(raw)[head:]  # not a copy of 30 MB
        digest = checksum(payload)
        if raw[len(MAGIC) : head - 1] != digest:
            return None
        entries = self._entries(payload)
        if entries is not None:
            self.digest = digest
        return entries

    def _entries(self, payload: bytes | memoryview) -> dict[str, object] | None:
        """The entries of a checked payload, if it holds this header and entries by key."""
        try:
            content = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        if type(content) is not tuple or len(content) != len(self.header) + 1:
            return None
        entries = content[-1]
        if content[:-1] != self.header or type(entries) is not dict:
            return None
        if not all(type(key) is str for key in entries):
            return None
        return entries

    def get(self, key: str) -> object | None:
        """The stored entry for `key` (not yet validated: the caller checks its structure)."""
        entry = self._old.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self._new[key] = entry
        return entry

    def loaded(self, key: str) -> object | None:
        """The entry for `key` the file held when loaded (not validated; no hit counted)."""
        return self._old.get(key)

    def used(self, key: str) -> object | None:
        """The entry for `key` this run looked up or stored (not validated; no hit counted)."""
        return self._new.get(key)

    def on_disk(self, key: str) -> object | None:
        """The entry for `key` the file holds after this run: this run's when `save` wrote it,
        else the one loaded (not validated; no hit counted)."""
        return (self._new if self.written else self._old).get(key)

    def not_on_disk(self, keys: Iterable[str]) -> list[str]:
        """Those of `keys` (in order) for which `on_disk` has no entry, found in bulk."""
        held = self._new if self.written else self._old
        return [key for key in keys if key not in held]

    def reject(self, key: str) -> None:
        """The entry of `key` failed validation: forget it; a fresh `put` replaces it."""
        self.hits -= 1
        self.misses += 1
        self.invalid += 1
        self._new.pop(key, None)
        self._old.pop(key, None)
        self._dirty = True

    def keep_unused(self) -> None:
        """Keep the entries this run did not use (a run that had no reason to look them up)."""
        for key, entry in self._old.items():
            self._new.setdefault(key, entry)

    # --- writing ------------------------------------------------------------------------------

    def put(self, key: str, entry: object) -> None:
        self._new[key] = entry
        self._dirty = True

    def save(self) -> bool:
        """Write the entries used in this run (pruning the rest) if anything changed.

        Never raises: a cache that cannot be written only makes the next run slower.
        """
        if not self._dirty and self._new.keys() == self._old.keys():
            return False
        if self.DELTAS and self._delta_wanted() and self._save_delta():
            return True
        try:
            digest, data = self._file_bytes()
        except ValueError:  # an entry marshal cannot hold; drop the cache rather than fail
            return False
        try:
            if not self._prepare_folder():
                return False
            write_atomic(self.path, data, durable=False)
        except OSError:
            self.digest = None
            return False
        if self.DELTAS:
            with contextlib.suppress(OSError):
                os.unlink(self.delta_path)
        self.written = True
        self.digest = digest
        return True

    def _file_bytes(self) -> tuple[bytes, bytes | list[bytes | memoryview]]:
        """The checksum and the bytes of the file `save` writes (the layout above), whole or in
        chunks; raises ValueError when an entry cannot be marshalled."""
        payload = marshal.dumps((*self.header, self._new))
        digest = checksum(payload)
        return digest, MAGIC + digest + b"\n" + payload

    def _delta_wanted(self) -> bool:
        """Whether this save may write a delta (else the file is written whole): only beside
        a valid file."""
        return self._base_digest is not None

    def _save_delta(self) -> bool:
        """Write what this run's entries change of the file as loaded (`delta_path`), when
        that is under `DELTA_SHARE` of it; False: the file is to be written whole."""
        base = self._base
        whole: dict[str, object] = {}
        nested: dict[str, tuple[dict[Any, Any], tuple[Any, ...]]] = {}
        for key, entry in self._new.items():
            before = base.get(key, _MISSING)
            if before is entry or before == entry:
                continue
            if type(before) is dict and type(entry) is dict:
                changed = {k: v for k, v in entry.items() if before.get(k, _MISSING) != v}
                nested[key] = (changed, tuple(before.keys() - entry.keys()))
            else:
                whole[key] = entry
        removed = tuple(base.keys() - self._new.keys())
        try:
            payload = marshal.dumps((*self.header, self._base_digest, whole, nested, removed))
        except ValueError:
            return False
        if len(payload) > self._base_size * self.DELTA_SHARE:
            return False
        digest = checksum(payload)
        try:
            write_atomic(self.delta_path, MAGIC + digest + b"\n" + payload, durable=False)
        except OSError:
            return False
        self.written = True
        assert self._base_digest is not None
        self.digest = self._base_digest + b":" + digest
        return True

    def _prepare_folder(self) -> bool:
        return prepare_folder(self.cache_dir, self.path)


def prepare_folder(cache_dir: Path, path: Path) -> bool:
    """Create the cache folder (with a .gitignore) and the folder of `path` in it; refuse
    under a read-only-marked folder (raises OSError when one cannot be made)."""
    if not cache_dir.is_dir():
        parent = cache_dir.parent
        # Write bits all off marks a folder read-only even for root (e.g. a shared corpus).
        if not parent.is_dir() or not parent.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP):
            return False
        cache_dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            (cache_dir / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
    path.parent.mkdir(exist_ok=True)
    return True


_MISSING = object()


def _applied(
    base: dict[str, object], whole: object, nested: object, removed: object
) -> dict[str, object] | None:
    """`base` with a delta's changes (see `CacheFile.delta_path`), or None when the delta is
    not of that shape."""
    if type(whole) is not dict or type(nested) is not dict or type(removed) is not tuple:
        return None
    if not all(type(key) is str for key in (*whole, *nested, *removed)):
        return None
    entries = dict(base)
    for key in removed:
        entries.pop(key, None)
    entries.update(whole)
    for key, change in nested.items():
        before = entries.get(key)
        if type(before) is not dict or type(change) is not tuple or len(change) != 2:
            return None
        changed, gone = change
        if type(changed) is not dict or type(gone) is not tuple:
            return None
        after = dict(before)
        try:
            for item in gone:
                after.pop(item, None)
        except TypeError:  # an unhashable key
            return None
        after.update(changed)
        entries[key] = after
    return entries


def checksum(payload: bytes | memoryview) -> bytes:
    """The hex checksum of a cache file's payload, keyed with the user's `cache_key`."""
    # HMAC-SHA256 runs on the CPU's SHA extensions: half the time of keyed blake2b on a 70 MB
    # snapshot (0.11 s against 0.20 s here).
    return hmac.new(cache_key(), payload, "sha256").hexdigest()[:_DIGEST_HEX].encode()


@functools.cache
def cache_key() -> bytes:
    """The user's secret cache key: 32 random bytes in `$XDG_CACHE_HOME/nemo-docs-lint/cache-key`
    (`~/.cache/...`), created on first use with mode 0600. Where no such file can be read or
    made, a fresh key for this process alone: caches then only serve the run that wrote them,
    which is slower but never wrong."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "nemo-docs-lint" / "cache-key"
    with contextlib.suppress(OSError):
        key = read_regular(path)
        if len(key) == _KEY_BYTES:
            return key
    key = os.urandom(_KEY_BYTES)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
    with contextlib.suppress(OSError):  # another process may have won the race: use its key
        stored = read_regular(path)
        if len(stored) == _KEY_BYTES:
            return stored
    return key


def tree_key(docs_root: Path) -> str:
    """The file name stem of a docs tree's cache files."""
    return hashlib.blake2b(str(docs_root).encode(), digest_size=8).hexdigest()
