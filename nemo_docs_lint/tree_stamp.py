"""The tree stamp: a whole-tree run that finds every folder and file of the tree as the run that
last served or stored its report left them, by stat alone, serves that report (`report_cache`)
without discovering, parsing or loading the lint state.

Layout: `<cache_dir>/stamp/<tree>-<selection>.bin`, a `cache_file.CacheFile` (HMAC-checked
with the user's key, replaced atomically) whose header binds it as the lint state's does
(`lint_state.state_binding`: format, tool version, the snapshot binding of the configuration
and the schemas' bytes, the selected rules and their code) and to the parser's code. Entries:

- `paths`: the folders the walk reached (`DocsIndex.folders`), then every file of the tree
  (`DocsIndex.files`), docs-root-relative, joined by NUL;
- `stamps`: their `(size, mtime_ns, ctime_ns, inode)` (`os.stat`, symlinks followed), packed
  (`_STAMP`), in that order;
- `state`: the checksum of the lint state the report is rendered from (`StoredReport.state`);
- `disk`: what that state's findings asked the disk beyond the tree (`disk_answers`);
- `counts`: the tree's documents and unreadable files (what the CLI's warnings count).

Why stat is enough: a folder's stamp changes when an entry is added, removed or renamed in it
(its mtime), so equal folder stamps mean the walk lists what it listed (the configuration that
drives it is in the header; symlinks are stat'ed through, so a retargeted one shows); a file's
stamp changes when it is written, even with its mtime set back (its ctime). As in git's index
and the tree snapshot (`parse_cache`), a stamp is taken only when every path was modified at
least `RACY_NS` before the run began (a file changed during the run, or just before it was read,
gets no stamp). Any doubt (a path that cannot be stat'ed, another stamp or header, a disk answer
that changed, a torn, forged or foreign file, no report stored for `state` under the run's
report key) and the run goes the usual way (`warm.check_warm`), which serves the report or
renders and stores it, and stamps the tree again.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from .cache_file import CacheFile
from .disk_answers import still_hold, valid_answers
from .index import DocsIndex
from .lint_state import state_binding
from .parse_cache import RACY_NS, parser_code_key
from .registry import Rule
from .report_cache import StoredReport

_FORMAT = "stamp:1"
_STAMP = struct.Struct("<QqqQ")  # size, mtime_ns, ctime_ns, inode


class TreeStamp(CacheFile):
    """The stamp of one docs tree for one configuration and rule selection."""

    def __init__(self, cache_dir: Path, docs_root: Path, binding: str, rules: list[Rule]) -> None:
        name, header = state_binding(docs_root, binding, rules)
        path = Path(cache_dir) / "stamp" / name
        super().__init__(cache_dir, path, (_FORMAT, *header, parser_code_key()))
        self.docs_root = docs_root
        self.counts = (0, 0)  # (documents, unreadable files) of the stamped tree, once it held
        self.holds_for: bytes | None = None  # the state whose stamp this run found holding

    def serve(self, report_key: str) -> StoredReport | None:
        """The report stored under `report_key` for the stamped state, when every stamp and
        disk answer holds again (the file must be loaded); None: the run goes the usual way."""
        paths, stamps = self.get("paths"), self.get("stamps")
        state, disk, counts = self.get("state"), self.get("disk"), self.get("counts")
        if type(paths) is not str or type(stamps) is not bytes:
            return None
        if type(state) is not bytes or not valid_answers(disk) or not _counts(counts):
            return None
        names = paths.split("\0")
        if len(stamps) != len(names) * _STAMP.size or not _same(self.docs_root, names, stamps):
            return None
        assert isinstance(disk, dict) and isinstance(counts, tuple)  # (checked above)
        if not still_hold(disk, self.docs_root):
            return None
        self.holds_for, self.counts = state, counts
        report = StoredReport.look_up(self.cache_dir, self.docs_root, report_key, state)
        return report if report.served is not None else None

    def take(self, index: DocsIndex, report: StoredReport, started_ns: int) -> None:
        """Stamp the tree of a run begun at `started_ns` whose report is `report` (served, or
        about to be stored); nothing when a path was modified within `RACY_NS` of the start or
        cannot be stat'ed, or when the stamp loaded holds already for that state."""
        if self.holds_for == report.state or not index.pages:
            return
        names = (*index.folders, *index.files)
        stamps = _stamps(self.docs_root, names, started_ns - RACY_NS)
        if stamps is None:
            return
        self.put("paths", "\0".join(names))
        self.put("stamps", stamps)
        self.put("state", report.state)
        self.put("disk", report.disk)
        self.put("counts", (len(index.pages), len(index.unreadable)))
        self.save()


def _same(root: Path, names: list[str], stamps: bytes) -> bool:
    """Whether every path's stamp is the one stored (stopping at the first that is not)."""
    base = os.path.join(root, "")
    pack, stat, size = _STAMP.pack, os.stat, _STAMP.size
    offset = 0
    for name in names:
        try:
            info = stat(base + name)
        except OSError:
            return False
        stamp = pack(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        if stamp != stamps[offset : offset + size]:
            return False
        offset += size
    return True


def _stamps(root: Path, names: tuple[str, ...], before_ns: int) -> bytes | None:
    """The packed stamps of the paths; None when one cannot be stat'ed or was modified after
    `before_ns`."""
    base = os.path.join(root, "")
    pack, stat = _STAMP.pack, os.stat
    found = []
    for name in names:
        try:
            info = stat(base + name)
        except OSError:
            return None
        if info.st_mtime_ns > before_ns:
            return None
        found.append(pack(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return b"".join(found)


def _counts(value: object) -> bool:
    return (
        type(value) is tuple
        and len(value) == 2
        and all(type(n) is int and n >= 0 for n in value)
        and value[0] > 0
    )
