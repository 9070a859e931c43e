"""Stored reports: a whole-tree run that finds nothing changed since the stored lint state serves
the report an earlier such run rendered, instead of decoding, filtering and rendering 31,000
findings again.

Layout: `<cache_dir>/report/<tree>-<key>.bin`, one per report key (`report_key`: the format, the
report options, the current folder, the request, the Python version), a `cache_file.CacheFile`
(HMAC-checked with the user's key, replaced atomically) holding one entry: `(state, exit code,
report bytes)`, where `state` is the checksum of the lint state file the report was rendered
from (`CacheFile.digest`; the state's header binds it to the tool version, the configuration,
the schemas' bytes, the rule selection and the rules' code).

A report is stored only by a run that changed nothing (the lint state file it checked against
is left as it was, so its checksum names exactly the state the report came from), and served
only to a run that again finds nothing changed against a state with that checksum
(`warm.check_warm`: same layout, every page's content digest the same, every disk answer still
holding). A report file that is torn, forged (another key) or malformed is ignored, and the
run renders its report as usual. The CLI asks for it only for reports that depend on nothing
else (JSON, SARIF, console text written to a file; no scope, baseline, fixes, network rules,
standard input or watching).
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .cache_file import CacheFile, tree_key

_FORMAT = "report:1"


def report_key(*parts: object) -> str:
    """The key of a report: what it depends on besides the lint state (`repr` of `parts`, with
    the Python version, whose text escapes could differ)."""
    return repr((sys.version, *parts))


class ReportCache(CacheFile):
    """The stored report of one tree for one report key."""

    def __init__(self, cache_dir: Path, docs_root: Path, key: str) -> None:
        digest = hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=8)
        path = Path(cache_dir) / "report" / f"{tree_key(docs_root)}-{digest.hexdigest()}.bin"
        super().__init__(cache_dir, path, (_FORMAT, __version__, key))


@dataclass
class StoredReport:
    """What a run that changed nothing may do with the report: serve the stored one
    (`served`: exit code and report bytes), or store the one it renders (`store`)."""

    cache: ReportCache
    state: bytes  # the checksum of the lint state the run found unchanged
    served: tuple[int, bytes] | None = None

    @classmethod
    def look_up(cls, cache_dir: Path, docs_root: Path, key: str, state: bytes) -> StoredReport:
        """The stored report for `key`, served when it was rendered from `state`."""
        cache = ReportCache(cache_dir, docs_root, key)
        cache.load()
        found = cls(cache, state)
        entry = cache.get("report")
        if type(entry) is tuple and len(entry) == 3:
            rendered_from, code, text = entry
            if rendered_from == state and type(code) is int and type(text) is bytes:
                found.served = (code, text)
        return found

    def store(self, code: int, text: bytes) -> None:
        """Keep the report this run rendered (a run that changed nothing), unless it is stored."""
        if self.served == (code, text):
            return
        self.cache.put("report", (self.state, code, text))
        self.cache.save()
