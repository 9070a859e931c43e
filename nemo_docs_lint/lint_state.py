"""The linted state of a docs tree on disk: every rule's raw findings and what each page's
findings looked up, kept beside the tree snapshot so that a warm run re-checks only what changed
(`warm.py` decides what that is).

Layout: `<cache_dir>/state/<tree>-<selection>.bin` (one per binding and rule selection), a
`cache_file.CacheFile` (HMAC-checked with the user's key, replaced atomically) whose header
binds it to the format of what it holds, the tool version, the snapshot binding (the whole
configuration and the schemas' bytes, see `parse_cache.snapshot_binding`), the selected rules
and the code that checks them (size and mtime of every module of the package and of each rule's
module). Entries:

- `layout`: a digest of what the tree is made of (documents and their paths, the other files,
  unreadable files, twin sources) and of the other files' `(size, mtime_ns, ctime_ns, inode)`
  (rules read some: conf.py, included snippets, redirect lists), empty when one of those was
  modified too recently to trust its stat (git's racy rule, `parse_cache.RACY_NS`); another
  layout means a full check;
- `digests`: docname -> content digest key; `paths`: docname -> the paths of its findings;
  `pages`: group (`chunk_of` docname) -> `marshal({docname: (text signature digest, findings,
  look-ups)})`, the findings being the page rules' in rule order (`StoredPages`: a group is
  read when one of its pages is asked for, and written back as read when unchanged);
- `tree`: the tree rules' findings, in rule order, marshalled (a run serving a stored report
  reads none);
- `included`: the documents some page includes (`DocsIndex.included`) when the tree was last
  checked whole (a partial check changes no include: see `warm`);
- `about`: path -> `about.target_table` of the span starts of its findings (what pre-commit's
  report scope asks of every page with findings);
- `disk`: what the rules asked the disk beyond the tree's files (`disk_answers`: paths outside
  the docs root or folders, globs, files included from outside), asked again by the next run;
- `parses`: the encoded parse results of pages the snapshot file does not hold (changed since
  it was last written), so that the next change of such a page can be compared with it.

A run that re-checked a few pages (pre-commit) writes only what it changed of the file, beside it
(`CacheFile.delta_path`: ~20 KB instead of the 9 MB of a 10,000-page tree's state); a change of
over a quarter of the file rewrites it whole.

`marshal` builds only plain data; every value is type-checked before use, and anything
malformed makes the whole state ignored (the run checks everything and writes a new one).
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
import time
import zlib
from collections.abc import Iterable, KeysView
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from . import __version__
from .about import TargetTable
from .cache_file import CacheFile, code_stamp, format_key, tree_key
from .disk_answers import Answer, valid_answers
from .index import DocsIndex
from .lookups import Key, text_signature
from .model import Finding, Fix, Page, Span, slot_builder
from .parse_cache import RACY_NS
from .parse_codec import FORMAT_KEY as PARSE_FORMAT_KEY
from .registry import Rule

FORMAT_KEY = format_key(Finding, Span, Fix) + PARSE_FORMAT_KEY + ":page-groups:tree-marshalled"
CodedFindings = tuple[tuple[Any, ...], ...]  # (code, path, line, column, end line, end column,
# message, anchor, fix) each; fix: None or (line, column, end line, end column, old, new, safe)
PageRecord = tuple[str, bytes, CodedFindings, frozenset[Key]]
Found = list[tuple[str, Finding]]  # (rule code, finding), in rule order


class StateError(ValueError):
    """A stored value does not have the structure this module writes."""


CHUNKS = 256  # the page records are marshalled in this many groups, by a digest of docname


def chunk_of(docname: str) -> int:
    """The group whose blob holds the page's record (stable across runs and machines)."""
    return zlib.crc32(docname.encode("utf-8", "surrogateescape")) % CHUNKS


class StoredPages:
    """The page records of a state: each page's content digest and the paths of its findings
    at hand, the rest of its record (`PageRecord`) marshalled with the others of its group
    (`chunk_of`, ~40 pages of 10,000) and decoded when a page of the group is first asked
    for: a pre-commit run reads a few groups, a whole-tree run all, and a group left
    unchanged is written back as it was read."""

    def __init__(
        self, digests: dict[str, str], paths: dict[str, tuple[str, ...]], blobs: dict[int, bytes]
    ) -> None:
        self.digests = digests  # docname -> content digest key
        self.paths = paths  # docname -> the paths of its findings
        # group -> marshal({docname: (text signature digest, findings, look-ups)})
        self._blobs = blobs
        self._records: dict[str, PageRecord] = {}
        self._read: set[int] = set()  # the groups decoded
        self._changed: set[int] = set()  # the groups to marshal again

    @classmethod
    def of(cls, records: dict[str, PageRecord]) -> StoredPages:
        """The records of a run, to be marshalled."""
        found = cls({}, {}, {})
        for docname, record in records.items():
            found._add(docname, record)
        return found

    def keys(self) -> KeysView[str]:
        return self.digests.keys()

    def record(self, docname: str) -> PageRecord:
        """The page's record, decoded and checked with the others of its group (`check_shape`
        for their findings, whose paths must be their `paths`, in order); StateError when one
        is malformed."""
        record = self._records.get(docname)
        if record is None:
            self._decode([chunk_of(docname)])
            record = self._records.get(docname)
            if record is None:
                raise StateError("page record")
        return record

    def read_all(self) -> None:
        """Decode and check every record not read yet (see `record`)."""
        self._decode([chunk for chunk in self._blobs if chunk not in self._read])

    @property
    def blobs(self) -> dict[int, bytes]:
        """The groups marshalled, for the state file: the changed ones again."""
        found = dict(self._blobs)
        groups: dict[int, dict[str, tuple[Any, ...]]] = {chunk: {} for chunk in self._changed}
        for docname, record in self._records.items():
            group = groups.get(chunk_of(docname))
            if group is not None:
                group[docname] = record[1:]
        for chunk, group in groups.items():
            found[chunk] = marshal.dumps(group)
        return found

    def updated(self, records: dict[str, PageRecord]) -> StoredPages:
        """These pages with `records` in place of theirs (each group of theirs read already),
        the others' kept as read."""
        found = StoredPages(dict(self.digests), dict(self.paths), self._blobs)
        found._records = dict(self._records)
        found._read = set(self._read)
        for docname, record in records.items():
            if chunk_of(docname) not in found._read:
                raise StateError("page record not read")
            found._add(docname, record)
        return found

    def _add(self, docname: str, record: PageRecord) -> None:
        digest, _, findings, _ = record
        self.digests[docname] = digest
        self.paths[docname] = tuple(dict.fromkeys(map(_PATH, findings)))
        self._records[docname] = record
        self._changed.add(chunk_of(docname))

    def _decode(self, chunks: list[int]) -> None:
        """Decode and check the groups `chunks`, in bulk (column by column: 10,000 records in
        a few tens of milliseconds)."""
        names: list[Any] = []
        decoded: list[Any] = []
        for chunk in chunks:
            blob = self._blobs.get(chunk)
            if blob is None:
                continue
            try:
                group = marshal.loads(blob)
            except (EOFError, ValueError, TypeError) as exc:
                raise StateError("page records") from exc
            if type(group) is not dict:
                raise StateError("page records")
            names += group.keys()
            decoded += group.values()
        if not decoded:
            self._read.update(chunks)
            return
        if set(map(type, names)) != {str} or not self.digests.keys() >= set(names):
            raise StateError("page records")
        if set(map(type, decoded)) != {tuple} or set(map(len, decoded)) != {3}:
            raise StateError("page record")
        signatures, findings, lookups = zip(*decoded, strict=True)
        if set(map(type, signatures)) != {bytes} or set(map(type, lookups)) != {frozenset}:
            raise StateError("page record")
        if set(map(type, findings)) != {tuple}:
            raise StateError("findings")
        check_shape(chain(*findings))
        paths = self.paths
        if any(
            paths[name] != tuple(dict.fromkeys(map(_PATH, found)))
            for name, found in zip(names, findings, strict=True)
        ):
            raise StateError("finding paths")
        digests, records = self.digests, self._records
        for name, signature, found, looked_up in zip(
            names, signatures, findings, lookups, strict=True
        ):
            records[name] = (digests[name], signature, found, looked_up)
        self._read.update(chunks)


@dataclass
class Stored:
    """A state as read from disk: page records still encoded (decoded only when used), the
    tree rules' findings still marshalled and the target tables unchecked until `decode`."""

    layout: bytes
    pages: StoredPages
    tree: CodedFindings
    included: frozenset[str]
    about: dict[str, TargetTable]
    parses: dict[str, object]
    disk: dict[str, Answer]
    # `tree` as stored (None: made in this run), kept once decoded: marshal can give equal
    # findings other bytes (by how their objects are shared), and the state's delta compares
    # bytes, so unchanged findings are written back as they were read
    coded_tree: bytes | None = None
    tree_decoded: bool = True
    about_checked: bool = True

    def decode(self) -> None:
        """Decode the tree rules' findings and check the target tables (StateError when
        malformed), once: what a run that reads stored findings needs (one that serves a
        stored report needs neither)."""
        if not self.tree_decoded and self.coded_tree is not None:
            try:
                tree = marshal.loads(self.coded_tree)
            except (EOFError, ValueError, TypeError) as exc:
                raise StateError("tree") from exc
            if type(tree) is not tuple:
                raise StateError("tree")
            self.tree, self.tree_decoded = tree, True
        if not self.about_checked:
            if not _target_tables(self.about):
                raise StateError("about")
            self.about_checked = True


class LintState(CacheFile):
    """The state file of one docs tree for one configuration and rule selection (a run that
    re-checked a few pages writes what changed beside it: `CacheFile.delta_path`)."""

    DELTAS = True

    def __init__(self, cache_dir: Path, docs_root: Path, binding: str, rules: list[Rule]) -> None:
        name, header = state_binding(docs_root, binding, rules)
        super().__init__(cache_dir, Path(cache_dir) / "state" / name, header)

    def stored(self) -> Stored | None:
        """The state loaded, if it has the structure written by `store` (else None)."""
        layout = self.get("layout")
        tree, parses = self.get("tree"), self.get("parses")
        included, about = self.get("included"), self.get("about")
        if type(layout) is not bytes or type(tree) is not bytes or type(parses) is not dict:
            return None
        if type(included) is not frozenset or not all(type(d) is str for d in included):
            return None
        if type(about) is not dict:  # its tables are checked by `Stored.decode`
            return None
        pages = _stored_pages(self.get("digests"), self.get("paths"), self.get("pages"))
        if pages is None:
            return None
        disk = self.get("disk")
        if not valid_answers(disk):
            return None
        assert isinstance(disk, dict)
        return Stored(
            layout,
            pages,
            (),
            included,
            about,
            parses,
            disk,
            coded_tree=tree,
            tree_decoded=False,
            about_checked=False,
        )

    def store(self, state: Stored) -> None:
        """Replace the state with `state` (written by `save`)."""
        self.put("layout", state.layout)
        self.put("digests", state.pages.digests)
        self.put("paths", state.pages.paths)
        self.put("pages", state.pages.blobs)
        # decoded only when read (`Stored.decode`)
        tree = state.coded_tree if state.coded_tree is not None else marshal.dumps(state.tree)
        self.put("tree", tree)
        self.put("included", state.included)
        self.put("about", state.about)
        self.put("parses", state.parses)
        self.put("disk", state.disk)


def _stored_pages(digests: object, paths: object, blobs: object) -> StoredPages | None:
    """The page records as `store` writes them, checked in bulk (in C), or None (each group's
    records are checked when read: `StoredPages.record`)."""
    if type(digests) is not dict or type(paths) is not dict or type(blobs) is not dict:
        return None
    if digests.keys() != paths.keys():
        return None
    if not set(map(type, digests)) <= {str} or not set(map(type, digests.values())) <= {str}:
        return None
    if not set(map(type, blobs)) <= {int} or not set(map(type, blobs.values())) <= {bytes}:
        return None
    if not set(map(type, paths.values())) <= {tuple}:
        return None
    if not set(map(type, chain(*paths.values()))) <= {str}:
        return None
    return StoredPages(digests, paths, blobs)


def _target_tables(tables: dict[Any, Any]) -> bool:
    """Whether `tables` maps paths to `TargetTable`s (checked in bulk, in C)."""
    if not set(map(type, tables)) <= {str} or not set(map(type, tables.values())) <= {dict}:
        return False
    starts = [start for table in tables.values() for start in table]
    named = [paths for table in tables.values() for paths in table.values()]
    return (
        set(map(type, starts)) <= {tuple}
        and set(map(len, starts)) <= {2}
        and set(map(type, chain(*starts))) <= {int}
        and set(map(type, named)) <= {frozenset}
        and set(map(type, chain(*named))) <= {str}
    )


def valid_lookups(keys: frozenset[Key]) -> bool:
    """Whether a stored set of look-ups holds `(kind, value)` string pairs only."""
    return all(type(k) is tuple and len(k) == 2 and type(k[0]) is type(k[1]) is str for k in keys)


# --- findings ---------------------------------------------------------------------------------


def encode_findings(found: Found) -> CodedFindings:
    """Findings as plain tuples."""
    return tuple(
        (code, f.path, *_span(f.span), f.message, f.anchor, _fix(f.fix)) for code, f in found
    )


def _span(span: Span) -> tuple[int, int, int, int]:
    return span.line, span.column, span.end_line, span.end_column


def _fix(fix: Fix | None) -> tuple[Any, ...] | None:
    return None if fix is None else (*_span(fix.span), fix.old, fix.new, fix.safe)


def check_shape(rows: Iterable[object]) -> None:
    """Whether stored findings are tuples of the encoded length with a text path (what
    choosing findings by path reads of them): StateError when not."""
    found: tuple[Any, ...] = tuple(rows)
    if not found:
        return
    if set(map(type, found)) != {tuple} or set(map(len, found)) != {9}:
        raise StateError("finding")
    if set(map(type, map(_PATH, found))) != {str}:
        raise StateError("finding")


_PATH = itemgetter(1)


def check_rows(rows: Iterable[object], codes: frozenset[str]) -> None:
    """Whether stored findings have the structure `encode_findings` writes, for rules among
    `codes`: StateError when not. Checked column by column (C loops: 31,000 findings in about
    10 ms)."""
    found: tuple[Any, ...] = tuple(rows)
    if not found:
        return
    check_shape(found)
    code, _, line, column, end_line, end_column, message, anchor, fix = zip(*found, strict=True)
    try:
        known = codes.issuperset(code)
    except TypeError:  # an unhashable code
        known = False
    if not known:
        raise StateError("finding")
    if set(map(type, chain(message, anchor))) != {str}:
        raise StateError("finding")
    if set(map(type, chain(line, column, end_line, end_column))) != {int}:
        raise StateError("span")
    for item in fix:
        if item is not None:
            _decode_fix(item)


def decode_rows(rows: CodedFindings) -> Found:
    """`encode_findings` reversed, for findings `check_rows` accepted."""
    finding, span = _FINDING, _SPAN
    return [
        (
            code,
            finding(
                path,
                span(line, column, end_line, end_column),
                message,
                None if fix is None else _decode_fix(fix),
                anchor,
            ),
        )
        for code, path, line, column, end_line, end_column, message, anchor, fix in rows
    ]


_FINDING, _SPAN = slot_builder(Finding), slot_builder(Span)


def decode_findings(coded: object, codes: frozenset[str]) -> Found:
    """`encode_findings` reversed, for rules among `codes`; StateError when malformed."""
    if type(coded) is not tuple:
        raise StateError("findings")
    check_rows(coded, codes)
    return decode_rows(coded)


def _texts(*values: object) -> bool:
    return all(type(value) is str for value in values)


def _decode_span(*numbers: object) -> Span:
    if not all(type(n) is int for n in numbers):
        raise StateError("span")
    return Span(*numbers)  # type: ignore[arg-type]  # checked to be ints just above


def _decode_fix(fix: object) -> Fix:
    if type(fix) is not tuple or len(fix) != 7:
        raise StateError("fix")
    line, column, end_line, end_column, old, new, safe = fix
    if not _texts(old, new) or type(safe) is not bool:
        raise StateError("fix")
    return Fix(_decode_span(line, column, end_line, end_column), old, new, safe)


# --- what the state is valid for --------------------------------------------------------------


def state_binding(docs_root: Path, binding: str, rules: list[Rule]) -> tuple[str, tuple[Any, ...]]:
    """The file name and the header of the state of `rules` under `binding` (the snapshot's):
    one file per selection too (a hook's `--select LNK` beside full runs keeps both warm), the
    header naming the format, the tool version, the binding, the rules and their code."""
    codes = tuple(rule.code for rule in rules)
    selection = hashlib.blake2b(marshal.dumps((binding, codes)), digest_size=6).hexdigest()
    name = f"{tree_key(docs_root)}-{selection}.bin"
    return name, (FORMAT_KEY, __version__, binding, codes, code_key(rules))


def layout_digest(index: DocsIndex) -> bytes:
    """A digest of what the tree is made of: documents (docname, path, in order), the other
    files and their stat, unreadable files and twin sources; empty (matching no stored layout)
    when another file's stat cannot be trusted."""
    documents = tuple((docname, page.path) for docname, page in index.pages.items())
    unreadable = tuple((path, repr(problem)) for path, problem in index.unreadable)
    sources = {page.path for page in index.pages.values()}
    sources.update(path for pair in index.duplicate_sources for path in pair)
    sources.update(path for path, _ in index.unreadable)
    stamps = _stamps(index, sources)
    if stamps is None:
        return b""
    data = (documents, tuple(index.files), stamps, unreadable, tuple(index.duplicate_sources))
    return hashlib.blake2b(marshal.dumps(data), digest_size=16).digest()


def _stamps(index: DocsIndex, sources: set[str]) -> tuple[tuple[int, int, int, int], ...] | None:
    """`(size, mtime_ns, ctime_ns, inode)` of every file of the tree that is no source
    (document, twin, unreadable source: those are in the layout already); None when one was
    modified within `RACY_NS` of now, or cannot be read."""
    now = time.time_ns()
    found = []
    root = str(index.docs_root)
    for path in index.files:
        if path in sources:
            continue
        try:
            info = os.stat(os.path.join(root, path))
        except OSError:
            return None
        if info.st_mtime_ns + RACY_NS > now:
            return None
        found.append((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return tuple(found)


def text_digest(page: Page) -> bytes:
    """A digest of what tree rules read of the page's text itself (`lookups.text_signature`)."""
    return hashlib.blake2b(marshal.dumps(text_signature(page)), digest_size=8).digest()


def code_key(rules: list[Rule]) -> str:
    """A digest of the code that produced the findings: size and mtime of every module of the
    package and of each rule's own module (a rule family from another package)."""
    files = set(_package_files())
    for rule in rules:
        module = sys.modules.get(rule.check.__module__)
        path = getattr(module, "__file__", None)
        if path:
            files.add(path)
    return code_stamp((path, path) for path in sorted(files))


@functools.cache
def _package_files() -> tuple[str, ...]:
    root = Path(__file__).parent
    return tuple(str(path) for path in root.rglob("*.py"))
