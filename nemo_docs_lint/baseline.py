"""Baseline: record today's problems, then report only new ones.

An entry is keyed by rule code, repository-relative path and a fingerprint of the offending line's
normalised content plus the frontmatter key path (see `fingerprints`) — not by line number — so
inserting lines above a known problem keeps it known, while a new problem of the same code on
another line is reported. Identical keys are matched by count. The file is sorted JSON with no
timestamps, so it diffs cleanly in review.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import ConfigError
from .fileio import read_regular_text, write_atomic
from .fingerprints import Fingerprinter

if TYPE_CHECKING:
    from .config import Config
    from .index import DocsIndex
    from .model import Diagnostic

BASELINE_VERSION = 1
_SURROGATE = re.compile("[\ud800-\udfff]")
Key = tuple[str, str, str]  # (path, code, fingerprint)


@dataclass(frozen=True)
class BaselineOutcome:
    """The diagnostics left after the baseline, and how the baseline matched."""

    diagnostics: list[Diagnostic]
    known: int  # problems hidden because the baseline lists them
    fixed: int  # baseline entries that matched nothing (fixed, or changed beyond recognition)


def entries(
    diagnostics: list[Diagnostic], config: Config, index: DocsIndex
) -> list[dict[str, str]]:
    """One sorted entry per diagnostic."""
    fingerprinter = Fingerprinter(config, index)
    items = [
        {
            "code": d.code,
            "path": fingerprinter.repo_path(d),
            "fingerprint": fingerprinter.content_hash(d),
            "message": d.message,
        }
        for d in diagnostics
    ]
    items.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"], e["message"]))
    return items


def dumps(items: list[dict[str, str]]) -> str:
    """The baseline file's text: stable key order, one entry per problem."""
    document = {"version": BASELINE_VERSION, "tool": "nemo-docs-lint", "entries": items}
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    # A file name that is not UTF-8 holds lone surrogates: written as JSON `\\udcXX` escapes,
    # the file stays UTF-8 and reads back as the same path.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class Written:
    entries: int  # entries this run recorded
    kept: int  # entries of the old file outside this run (other files or rules), kept


def write(
    path: Path,
    diagnostics: list[Diagnostic],
    config: Config,
    index: DocsIndex,
    checked: Callable[[str, str], bool] | None = None,
) -> Written:
    """Write the baseline for `diagnostics` to `path`. With `checked(repo_path, code)` (what
    this run looked at), the entries of an existing file that it did not look at are kept, so a
    run over some files or some rules updates only their entries."""
    items = entries(diagnostics, config, index)
    kept: list[dict[str, str]] = []
    if checked is not None and Path(path).exists():
        kept = [e for e in _raw_entries(path) if not checked(str(e["path"]), str(e["code"]))]
    merged = sorted(
        items + kept, key=lambda e: (e["path"], e["code"], e["fingerprint"], e["message"])
    )
    write_atomic(path, dumps(merged))
    return Written(len(items), len(kept))


def _raw_entries(path: Path) -> list[dict[str, str]]:
    """The entries of an existing baseline, validated as `read` does."""
    read(path)  # raises ConfigError for a file that is not a baseline
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    keys = ("code", "path", "fingerprint", "message")
    return [{key: str(entry.get(key, "")) for key in keys} for entry in document["entries"]]


def read(path: Path) -> Counter[Key]:
    """The baseline's keys with their counts; a missing or malformed file is a ConfigError."""
    try:
        document = json.loads(read_regular_text(path))
    except FileNotFoundError as exc:
        raise ConfigError(
            f"baseline {path} does not exist (create it with --write-baseline {path})"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc}") from exc
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise ConfigError(f"baseline {path}: not a version {BASELINE_VERSION} baseline file")
    items = document.get("entries")
    if not isinstance(items, list):
        raise ConfigError(f"baseline {path}: `entries` must be a list")
    keys: Counter[Key] = Counter()
    for number, item in enumerate(items, 1):
        try:
            keys[(str(item["path"]), str(item["code"]), str(item["fingerprint"]))] += 1
        except (TypeError, KeyError) as exc:
            raise ConfigError(f"baseline {path}: entry {number} lacks {exc}") from exc
    return keys


def apply(
    path: Path,
    diagnostics: list[Diagnostic],
    config: Config,
    index: DocsIndex,
    checked: Callable[[str, str], bool] | None = None,
) -> BaselineOutcome:
    """Drop the diagnostics the baseline at `path` lists; count known and fixed entries.

    `checked(repo_path, code)` says whether this run looked for that problem at all (the rule ran,
    the file was in scope); unmatched entries it did not look for are not counted as fixed.
    """
    remaining = read(path)
    fingerprinter = Fingerprinter(config, index)
    kept = []
    known = 0
    for d in diagnostics:
        key = (fingerprinter.repo_path(d), d.code, fingerprinter.content_hash(d))
        if remaining[key] > 0:
            remaining[key] -= 1
            known += 1
        else:
            kept.append(d)
    fixed = sum(
        count
        for (entry_path, code, _), count in remaining.items()
        if checked is None or checked(entry_path, code)
    )
    return BaselineOutcome(kept, known, fixed)


def fixed_note(fixed: int) -> str:
    """The reminder shown when baseline entries no longer match anything."""
    entries_word = "entry is" if fixed == 1 else "entries are"
    return f"{fixed} baseline {entries_word} fixed; run --write-baseline to prune"
