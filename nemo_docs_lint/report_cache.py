"""Stored reports: a whole-tree run that finds nothing changed since the stored lint state serves
the report an earlier such run rendered, instead of decoding, filtering and rendering 31,000
findings again.

Layout: `<cache_dir>/report/<tree>-<key>.bin`, one per report key (`report_key`: the format, the
report options, the current folder, the request, the Python version):

    MAGIC  hmac-sha256-hex(user's cache key, rest)[:32]  "\\n"  rest
    rest = meta length (8 hex digits)  marshal((format, version, key, state, exit code))  report

where `state` is the checksum of the lint state the report was rendered from
(`CacheFile.digest`; the state's header binds it to the tool version, the configuration, the
schemas' bytes, the rule selection and the rules' code). The report's bytes are kept as they
are, not marshalled: storing a 10 MB report costs one checksum and one write.

A report is stored by a run that changed nothing (the lint state file it checked against is left as
it was, so its checksum names exactly the state the report came from) or by a run that wrote the
lint state its findings are (bound to the checksum of what it wrote; not when the write failed, nor
for a state no run can find unchanged), and served only to a run that again finds nothing changed
against a state with that checksum (`warm.check_warm`: same layout, every page's content digest the
same, every disk answer still holding). A report file that is torn, forged (another key) or
malformed is ignored, and the run renders its report as usual. The CLI asks for it only for reports
that depend on nothing else (JSON, SARIF, console text written to a file; no scope, baseline, fixes,
network rules, standard input or watching).
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .cache_file import cache_key, prepare_folder, tree_key
from .disk_answers import Answer
from .fileio import read_regular, write_atomic

MAGIC = b"NDLREPORT1 "
_FORMAT = "report:2"
_DIGEST_HEX = 32
_LENGTH_HEX = 8


def report_key(*parts: object) -> str:
    """The key of a report: what it depends on besides the lint state (`repr` of `parts`, with
    the Python version, whose text escapes could differ)."""
    return repr((sys.version, *parts))


@dataclass
class StoredReport:
    """What a whole-tree run may do with the report: serve the stored one (`served`: exit code
    and report bytes), or store the one it renders (`store`)."""

    cache_dir: Path
    path: Path
    key: str
    state: bytes  # the checksum of the lint state the run found unchanged, or wrote
    served: tuple[int, bytes] | None = None
    # what that state's findings asked the disk beyond the tree (`disk_answers`; `tree_stamp`
    # keeps them)
    disk: dict[str, Answer] = field(default_factory=dict)

    @classmethod
    def look_up(cls, cache_dir: Path, docs_root: Path, key: str, state: bytes) -> StoredReport:
        """The stored report for `key`, served when it was rendered from `state`."""
        digest = hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=8)
        path = Path(cache_dir) / "report" / f"{tree_key(docs_root)}-{digest.hexdigest()}.bin"
        found = cls(Path(cache_dir), path, key, state)
        try:
            raw = read_regular(path)
        except OSError:
            return found
        found.served = _parse(raw, (_FORMAT, __version__, key, state))
        return found

    def store(self, code: int, chunks: Sequence[bytes]) -> None:
        """Keep the report this run rendered, in `chunks` (never raises: a report that cannot
        be stored is only rendered again next time)."""
        meta = marshal.dumps((_FORMAT, __version__, self.key, self.state, code))
        length = b"%08x" % len(meta)
        signature = hmac.new(cache_key(), length + meta, "sha256")
        for chunk in chunks:
            signature.update(chunk)
        digest = signature.hexdigest()[:_DIGEST_HEX].encode()
        try:
            if prepare_folder(self.cache_dir, self.path):
                parts = [MAGIC + digest + b"\n" + length + meta, *chunks]
                write_atomic(self.path, parts, durable=False)
        except OSError:
            pass


def _parse(raw: bytes, header: tuple[object, ...]) -> tuple[int, bytes] | None:
    """(exit code, report) of a report file written for `header`, or None."""
    head = len(MAGIC) + _DIGEST_HEX + 1
    if not raw.startswith(MAGIC) or raw[head - 1 : head] != b"\n":
        return None
    view = memoryview(raw)
    expected = hmac.new(cache_key(), view[head:], "sha256").hexdigest()[:_DIGEST_HEX]
    if not hmac.compare_digest(raw[len(MAGIC) : head - 1], expected.encode()):
        return None
    length_field = raw[head : head + _LENGTH_HEX]
    if len(length_field) != _LENGTH_HEX or not length_field.isalnum():
        return None
    try:
        length = int(length_field, 16)
        meta = marshal.loads(view[head + _LENGTH_HEX : head + _LENGTH_HEX + length])
    except (ValueError, EOFError, TypeError):
        return None
    if type(meta) is not tuple or len(meta) != len(header) + 1 or meta[:-1] != header:
        return None
    code = meta[-1]
    if type(code) is not int:
        return None
    return code, raw[head + _LENGTH_HEX + length :]
