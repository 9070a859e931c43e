"""The tree snapshot: every page's parse result and file record in one file, trusted by `stat` as
git's index is.

Layout: `<cache_dir>/parse/<tree>.bin`, where `<tree>` hashes the docs root: a
`cache_file.CacheFile` whose header binds it to the codec's format key, the tool version, the
parser's code (`parser_code_key`: an edited scanner never serves the old one's parse results),
the heading-anchor depth and `binding` (a digest of the configuration and the schemas' contents,
see `snapshot_binding`). The file is a checksummed head and the parse entries after it
(`_SPLIT`: the head holds each entry's length and digest, so a run reads, checks and decodes
only the entries it uses; one whose bytes are not those of its digest is refused and its page
parsed again from its text). Three kinds of entries:

- `<content digest>:<md|rst>` -> the encoded parse result (`parse_codec`), marshalled on its
  own (bytes: a run decodes only the pages it reads), shared by every file with that content (a
  renamed or copied page is not parsed again);
- `file:<path>` -> `(size, mtime_ns, ctime_ns, inode, checked_ns, digest key, facts)`: what the
  file was when it was last read, and when that was; `facts` (`model.TextFacts`) are what a run
  asks of the text without reading it (its line count and length, which marks it holds);
- `folder:<path>` -> `(mtime_ns, ctime_ns, inode, listed_ns, names, kinds)`: a folder's
  listing as the discover stage walks it (`discover.Listing`: the names not excluded, in order,
  and whether each is a file, a folder or a symlink, which every walk follows again), trusted
  as a file's record is: while the folder's `(mtime_ns, ctime_ns, inode)` are the same (adding,
  removing or renaming an entry gives a folder a new mtime and ctime; the ctime shows it even
  when the mtime was set back) and that mtime lies `RACY_NS` before the listing.

No text is stored. A file whose `(size, mtime_ns, ctime_ns, inode)` equal its record is not read
(as in git, the ctime catches a file rewritten with its old size and mtime set back, even into a
freed inode); its text
is read from disk only when something asks for it (`parse.LazyPage`), and must then hash to the
recorded digest (else the run starts again trusting no record: see `engine.lint`). As in git
("racy git"), a record is trusted only when the file's mtime lies at least `RACY_NS` before the
moment the record was made (a file changed within the clock's granularity of being read looks
unchanged by stat), and only when the text's UTF-8 length is the file's size (files with a BOM or
CR line endings are always read). Any doubt means the file is read and hashed. A file with a bad
checksum or another header is ignored and replaced at the end of the run; a run that changed
little of it writes what changed beside it (`CacheFile.DELTAS`, see `ParseCache.DELTA_SHARE`);
an entry that fails validation is parsed again from its text. `marshal` only builds plain data
(never runs code), the checksum catches torn or corrupted files, and every decoded
value is type-checked before use. (`schema_cache` keeps the frontmatter schema problems in
`<cache_dir>/schema/<tree>.bin` the same way.)
"""

from __future__ import annotations

import functools
import hashlib
import importlib.machinery
import marshal
import os
import weakref
from itertools import accumulate, repeat
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from . import __version__
from .cache_file import CacheFile, checksum, code_stamp, tree_key
from .discover import KINDS, Listing
from .fileio import open_regular, read_regular
from .frontmatter_block import head_digest
from .model import TextFacts, text_facts
from .parse_codec import FORMAT_KEY

if TYPE_CHECKING:
    from .config import Config

__all__ = [
    "RACY_NS",
    "CacheFile",
    "FileRecord",
    "ParseCache",
    "parser_code_key",
    "snapshot_binding",
    "tree_key",
]

# A file modified less than this before it was read is hashed on the next run even when stat
# says it is unchanged: coarse file-system clocks (FAT: 2 s) and writes racing the read.
RACY_NS = 2_000_000_000
_FILE = "file:"
_FOLDER = "folder:"
_NOT_NAMES = frozenset(("", ".", ".."))
# what the entries are
_LAYOUT = "records-without-text with ctime and frontmatter head, entries marshalled one by one"
# The snapshot's file (`CacheFile`'s own layout, whole under one checksum, is read too):
#   SPLIT  checksum(head)  " "  len(head) in 12 digits  "\n"  head  parse entries
# head: marshal((*header, records and listings, parse entry keys, their lengths, their digests))
_SPLIT = b"NDLSNAP1 "
_CHECKSUM_HEX = 32  # `cache_file.checksum`'s length
_LENGTH_DIGITS = 12
_ENTRY_DIGEST = 16  # blake2b of each parse entry's bytes
_LINE = len(_SPLIT) + _CHECKSUM_HEX + 1 + _LENGTH_DIGITS + 1


class _Entries:
    """The parse entries after a snapshot file's head, each read from the file (still open:
    the one whose head was read) when first used, or all at once once `READ_ALL_AFTER` were;
    a stored entry is `(entries, position)`, read and checked by `load_entry`."""

    __slots__ = ("__weakref__", "data", "digests", "fd", "offsets", "reads", "start")

    READ_ALL_AFTER = 64

    def __init__(
        self, start: int, lengths: tuple[int, ...], digests: bytes, data: bytes | None = None
    ) -> None:
        self.fd = -1
        self.start = start  # where the first entry stands in the file
        self.offsets = [0, *accumulate(lengths)]
        self.digests = digests
        self.data = data  # every entry, once read at once
        self.reads = 0

    def hold(self, fd: int) -> None:
        """Read the entries from `fd`, closed when no stored entry is left."""
        self.fd = fd
        weakref.finalize(self, os.close, fd)

    def chunk(self, position: int) -> bytes:
        """The entry's bytes as the file holds them now (checked by its digest: `load_entry`)."""
        begin, end = self.offsets[position], self.offsets[position + 1]
        if self.data is None:
            self.reads += 1
            if self.reads <= self.READ_ALL_AFTER:
                return self._pread(end - begin, begin)
            self.data = self._pread(self.offsets[-1], 0)
        return self.data[begin:end]

    def digest(self, position: int) -> bytes:
        return self.digests[_ENTRY_DIGEST * position : _ENTRY_DIGEST * (position + 1)]

    def _pread(self, length: int, offset: int) -> bytes:
        try:
            return os.pread(self.fd, length, self.start + offset)
        except OSError:
            return b""


StoredEntry = tuple[_Entries, int]  # a parse entry still in the snapshot file
_DIGEST_KEY_LENGTH = 32 + 3  # `<32 hex>:md`, `<32 hex>:rst`
_HEAD_DIGEST = 16  # `frontmatter_block.head_digest`, of a page with a block

FileRecord = tuple[int, int, int, int, int, str, TextFacts]
# size, mtime_ns, ctime_ns, inode, checked_ns, digest key, facts

# The package's modules (and folders of modules) whose code makes a parse result: the page body
# scanner, frontmatter, reading a file, the model and its codec.
PARSER_CODE = (
    "markdown",
    "frontmatter.py",
    "frontmatter_block.py",
    "schema.py",
    "source.py",
    "fileio.py",
    "suppressions.py",
    "parse.py",
    "parse_codec.py",
    "model.py",
)


def parser_code_key(root: Path = Path(__file__).parent) -> str:
    """A digest of the parser's code under the package folder `root`: the name, size and mtime
    of each module of `PARSER_CODE` (`cache_file.code_stamp`, as `lint_state.code_key` stamps
    the rules' code). A folder's compiled modules count as its sources do (the mypyc build's
    extension modules, rewritten by every install of a build)."""
    paths: list[Path] = []
    for name in PARSER_CODE:
        path = root / name
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.name.endswith(_MODULE_SUFFIXES))
        else:
            paths.append(path)
    return code_stamp((path.relative_to(root).as_posix(), path) for path in paths)


_MODULE_SUFFIXES = (".py", *importlib.machinery.EXTENSION_SUFFIXES)


_code_key = functools.cache(parser_code_key)  # (the code this process runs: stamped once)


class ParseCache(CacheFile):
    """The snapshot of one docs tree for one tool version, depth and configuration."""

    def __init__(
        self, cache_dir: Path, docs_root: Path, heading_anchor_depth: int, binding: str = ""
    ) -> None:
        path = Path(cache_dir) / "parse" / f"{tree_key(docs_root)}.bin"
        header = (FORMAT_KEY, _LAYOUT, __version__, _code_key(), heading_anchor_depth, binding)
        super().__init__(cache_dir, path, header)
        self.depth = heading_anchor_depth
        self.trusted = 0  # files whose text came from their record, unread
        self.folders_trusted = 0  # folders whose listing came from their record, unlisted
        self.replaced = 0  # bad entries replaced after the save (see `save_replaced`)
        self.whole = False  # whether the file loaded was in the whole-file layout
        self._fd = -1  # the file `_read` read the head of, for `_parse`
        self._file_size = 0  # the size of the file `_parse` found valid

    # A save that changed little (a pre-commit run's page) writes the change beside the file
    # instead of its ~24 MB (10,000 pages). The delta is read whole by every run (its parse
    # entries inline), so one that outgrows this share makes the save write the file whole.
    DELTAS = True
    DELTA_SHARE = 0.02

    def _read(self) -> bytes:
        """The first line and the head of a snapshot file in the layout above (its parse
        entries are read from the file, kept open, when used), or a whole file of another."""
        fd = open_regular(self.path)
        try:
            line = _read_exactly(fd, _LINE)
            length = line[len(_SPLIT) + _CHECKSUM_HEX + 1 : -1]
            if line.startswith(_SPLIT) and len(line) == _LINE and length.isdigit():
                head = _read_exactly(fd, int(length))
                self._fd, fd = fd, -1
                return line + head
            return line + _read_exactly(fd, os.fstat(fd).st_size + 1)
        finally:
            if fd >= 0:
                os.close(fd)

    def _parse(self, raw: bytes) -> dict[str, object] | None:
        """The entries of a snapshot file (`raw`: what `_read` gave, or the whole file), each
        parse entry as a `StoredEntry` (read and checked against its digest by `load_entry`,
        when used); None when the head does not pass its checksum or is not of the layout
        above."""
        fd, self._fd = self._fd, -1
        if not raw.startswith(_SPLIT):
            self.whole = self._dirty = True  # written split by this run's save
            return super()._parse(raw)
        entries, stored = self._split(raw, fd)
        if stored is not None and fd >= 0:
            stored.hold(fd)
        elif fd >= 0:
            os.close(fd)
        return entries

    def _split(self, raw: bytes, fd: int) -> tuple[dict[str, object] | None, _Entries | None]:
        line = raw[len(_SPLIT) : _LINE]
        length = line[_CHECKSUM_HEX + 1 : -1]
        if len(line) != _LINE - len(_SPLIT) or line[_CHECKSUM_HEX :: _LENGTH_DIGITS + 1] != b" \n":
            return None, None
        if not length.isdigit() or _LINE + int(length) > len(raw):
            return None, None
        view = memoryview(raw)
        head = view[_LINE : _LINE + int(length)]
        digest = checksum(head)
        if line[:_CHECKSUM_HEX] != digest:
            return None, None
        content = self._entries_of(head)
        if content is None:
            return None, None
        entries, keys, lengths, digests = content
        start = _LINE + len(head)
        if fd < 0:  # the whole file given
            stored = _Entries(0, lengths, digests, raw[start:])
            size = len(raw) - start
        else:
            stored = _Entries(start, lengths, digests)
            size = os.fstat(fd).st_size - start
        if stored.offsets[-1] != size or min(lengths, default=0) < 0:
            return None, None
        positions = zip(repeat(stored), range(len(keys)), strict=False)
        entries.update(zip(keys, positions, strict=True))
        self.digest = digest
        self._file_size = start + stored.offsets[-1]
        return entries, stored

    def _entries_of(
        self, head: memoryview
    ) -> tuple[dict[str, object], tuple[str, ...], tuple[int, ...], bytes] | None:
        """The head's records and listings, and the keys, lengths and digests of the parse
        entries after it, if it holds this header and values of those types."""
        try:
            content = marshal.loads(head)
        except (EOFError, ValueError, TypeError):
            return None
        size = len(self.header)
        if type(content) is not tuple or len(content) != size + 4 or content[:size] != self.header:
            return None
        entries, keys, lengths, digests = content[size:]
        if type(entries) is not dict or not all(type(key) is str for key in entries):
            return None
        if type(keys) is not tuple or type(lengths) is not tuple or type(digests) is not bytes:
            return None
        if len(keys) != len(lengths) or len(digests) != _ENTRY_DIGEST * len(keys):
            return None
        if not set(map(type, keys)) <= {str} or not set(map(type, lengths)) <= {int}:
            return None
        return entries, keys, lengths, digests

    def _file_bytes(self) -> tuple[bytes, list[bytes | memoryview]]:
        """The snapshot file in the layout above, in chunks written one by one (not joined: a
        100,000-page snapshot is 250 MB): each parse entry's bytes after the head, with its
        digest in it (an entry read from the file keeps the digest it was stored with: a
        damaged one stays refused)."""
        records: dict[str, object] = {}
        keys: list[str] = []
        lengths: list[int] = []
        digests: list[bytes] = []
        chunks: list[bytes | memoryview] = []
        chunk: bytes | memoryview
        for key, value in self._new.items():
            if type(value) is bytes:
                chunk, digest = value, hashlib.blake2b(value, digest_size=_ENTRY_DIGEST).digest()
            elif _stored_entry(value):
                chunk, digest = value[0].chunk(value[1]), value[0].digest(value[1])
            else:
                records[key] = value
                continue
            keys.append(key)
            lengths.append(len(chunk))
            digests.append(digest)
            chunks.append(chunk)
        head = marshal.dumps(
            (*self.header, records, tuple(keys), tuple(lengths), b"".join(digests))
        )
        checked = checksum(head)
        line = _SPLIT + checked + b" %0*d\n" % (_LENGTH_DIGITS, len(head))
        return checked, [line, head, *chunks]

    def unchanged(self, relpath: str, info: os.stat_result) -> tuple[str, TextFacts] | None:
        """`(digest key, text facts)` of a file stat says is unchanged since its record; None
        when there is no valid record or any doubt (the caller reads the file)."""
        key = _FILE + relpath
        if key not in self._old:
            return None
        record = self._old[key]
        if not _valid_record(record):
            self._old.pop(key, None)
            self.invalid += 1
            self._dirty = True
            return None
        size, mtime_ns, ctime_ns, inode, checked_ns, digest_key, facts = record
        if (
            size != info.st_size
            or mtime_ns != info.st_mtime_ns
            or ctime_ns != info.st_ctime_ns
            or inode != info.st_ino
        ):
            return None
        if mtime_ns + RACY_NS > checked_ns:
            return None
        self._new[key] = record
        self.trusted += 1
        return digest_key, facts

    def former(self, relpath: str, text: str) -> tuple[object, TextFacts] | None:
        """The stored parse entry of the file's text as last recorded, with that text's facts,
        when its frontmatter was made of the same head as `text`'s (`head_digest`): the
        frontmatter it holds is then `text`'s. None when there is no such record or entry."""
        record = self._old.get(_FILE + relpath)
        if not _valid_record(record):
            return None
        facts = record[6]
        if not facts[3] or facts[3] != head_digest(text):
            return None
        entry = self._old.get(record[5])
        return None if entry is None else (entry, facts)

    def listing(self, rel_dir: str, info: os.stat_result) -> Listing | None:
        """The listing of a folder stat says is unchanged since it was made (see the layout
        above); None when there is no valid one or any doubt (the caller lists the folder)."""
        key = _FOLDER + rel_dir
        record = self._old.get(key)
        if record is None:
            return None
        if not _valid_listing(record):
            self._old.pop(key, None)
            self.invalid += 1
            self._dirty = True
            return None
        mtime_ns, ctime_ns, inode, listed_ns, names, kinds = record
        if (
            mtime_ns != info.st_mtime_ns
            or ctime_ns != info.st_ctime_ns
            or inode != info.st_ino
            or mtime_ns + RACY_NS > listed_ns
        ):
            return None
        self._new[key] = record
        self.folders_trusted += 1
        return names, kinds

    def remember(
        self, rel_dir: str, info: os.stat_result, listed_ns: int, listing: Listing
    ) -> None:
        """Keep a folder's listing just made (`info`: its stat taken before listing it).
        Worth a save only when the next run can trust it (a folder changed within the racy
        window is listed again anyway)."""
        entry = (info.st_mtime_ns, info.st_ctime_ns, info.st_ino, listed_ns, *listing)
        key = _FOLDER + rel_dir
        if info.st_mtime_ns + RACY_NS <= listed_ns and self._old.get(key) != entry:
            self._dirty = True
        self._new[key] = entry

    def record(
        self, relpath: str, info: os.stat_result, checked_ns: int, digest_key: str, text: str
    ) -> None:
        """Remember what a file read in this run was (`info`: its stat after the read). A text
        whose UTF-8 form is not the file's bytes (a BOM, CR line endings) is recorded as read
        at time 0: never trusted, always read again. Worth a save only when the next run can
        trust it (a new parse result is, `put`)."""
        if len(text.encode("utf-8")) != info.st_size:
            checked_ns = 0
        entry: FileRecord = (
            info.st_size,
            info.st_mtime_ns,
            info.st_ctime_ns,
            info.st_ino,
            checked_ns,
            digest_key,
            text_facts(text),
        )
        key = _FILE + relpath
        if info.st_mtime_ns + RACY_NS <= checked_ns and self._old.get(key) != entry:
            self._dirty = True
        self._new[key] = entry

    def put(self, key: str, entry: object) -> None:
        """Store an encoded parse result (marshalled on its own: see the layout above)."""
        super().put(key, marshal.dumps(entry))  # type: ignore[arg-type]  # codec output: tuples

    def replace(self, key: str, entry: object) -> None:
        """A stored entry was found bad when decoded: keep `entry` instead (`save_replaced`)."""
        if self.get(key) is not None:
            self.reject(key)
        self.put(key, entry)
        self.replaced += 1

    def save_replaced(self) -> bool:
        """Write the file again when entries were replaced after `save` (a damaged or forged
        snapshot: once per run, at its end)."""
        if not self.replaced:
            return False
        self.replaced = 0
        return CacheFile.save(self)

    def _size_of(self, raw: bytes) -> int:
        return self._file_size or len(raw)  # `raw` holds no parse entry in this layout

    def _delta_wanted(self) -> bool:
        """A file of the whole-file layout is written in this one, and a file with bad
        entries is written whole (healed), not patched."""
        return super()._delta_wanted() and not self.whole and not self.invalid


def load_entry(stored: object) -> object | None:
    """A stored parse entry unmarshalled (not yet validated); None when it does not load, or
    its bytes in the snapshot file are not those it was stored with (its digest)."""
    if _stored_entry(stored):
        entries, position = stored
        view = entries.chunk(position)
        if hashlib.blake2b(view, digest_size=_ENTRY_DIGEST).digest() != entries.digest(position):
            return None
        stored = view
    elif type(stored) is not bytes:
        return None
    try:
        entry: object = marshal.loads(stored)
    except (EOFError, ValueError, TypeError):
        return None
    return entry


def _read_exactly(fd: int, size: int) -> bytes:
    """`size` bytes of the file, fewer only at its end."""
    chunks = []
    while size > 0 and (chunk := os.read(fd, size)):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _stored_entry(value: object) -> TypeGuard[StoredEntry]:
    """Whether a value is a parse entry still in the snapshot file (none that marshal can
    build: it never makes an `_Entries`)."""
    return type(value) is tuple and len(value) == 2 and type(value[0]) is _Entries


def _valid_record(record: object) -> TypeGuard[FileRecord]:
    """Whether a decoded file record has the shape and types `FileRecord` says."""
    if type(record) is not tuple or len(record) != 7:
        return False
    size, mtime_ns, ctime_ns, inode, checked_ns, digest_key, facts = record
    # Written out, without generators: 10,000 records checked on every run.
    if not (
        type(size) is int
        and type(mtime_ns) is int
        and type(ctime_ns) is int
        and type(inode) is int
        and type(checked_ns) is int
        and min(size, mtime_ns, ctime_ns, inode, checked_ns) >= 0
        and type(digest_key) is str
        and len(digest_key) in (_DIGEST_KEY_LENGTH, _DIGEST_KEY_LENGTH + 1)
        and type(facts) is tuple
        and len(facts) == 4
    ):
        return False
    lines, length, marks, head = facts
    return (
        type(lines) is int
        and type(length) is int
        and type(marks) is int
        and min(lines, length, marks) >= 0
        and type(head) is bytes
        and len(head) in (0, _HEAD_DIGEST)
    )


def _valid_listing(
    record: object,
) -> TypeGuard[tuple[int, int, int, int, tuple[str, ...], str]]:
    """Whether a decoded folder listing has the shape and types the layout says: names that
    are one path step each, one known kind per name."""
    if type(record) is not tuple or len(record) != 6:
        return False
    mtime_ns, ctime_ns, inode, listed_ns, names, kinds = record
    return (
        type(mtime_ns) is int
        and type(ctime_ns) is int
        and type(inode) is int
        and type(listed_ns) is int
        and mtime_ns >= 0
        and type(names) is tuple
        and type(kinds) is str
        and len(names) == len(kinds)
        and not kinds.strip(KINDS)
        and _path_steps(names)
    )


def _path_steps(names: tuple[object, ...]) -> bool:
    """Whether every name is a string that names one entry of a folder (checked in C: the
    names of 2,000 folders on every run)."""
    try:
        joined = "\0".join(names)  # type: ignore[arg-type]  # TypeError unless all are str
    except TypeError:
        return False
    return (
        "/" not in joined
        and joined.count("\0") == max(len(names) - 1, 0)
        and _NOT_NAMES.isdisjoint(names)
    )


def snapshot_binding(config: Config) -> str:
    """A digest of what the snapshot's contents are valid for: the whole configuration (docs
    root, conf.py settings, selection, options, ...) and the bytes of every schema it names."""
    settings = {
        name: value
        for name, value in vars(config).items()
        if name not in ("use_cache", "cache_dir")  # how the snapshot is used, not what it holds
    }
    digest = hashlib.blake2b(repr(sorted(settings.items())).encode(), digest_size=16)
    from .schema import default_schema_path

    schemas = {config.schema or default_schema_path()} | {path for _, path in config.schemas}
    for path in sorted(str(p) for p in schemas if p is not None):
        try:
            digest.update(path.encode() + b"\0" + read_regular(path) + b"\0")
        except OSError:
            digest.update(path.encode() + b"\0missing\0")
    return digest.hexdigest()
