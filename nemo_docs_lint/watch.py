"""`--watch`: lint, then re-lint whenever a file of the tree (or the config) changes, printing
only what changed since the last run: the problems that appeared (`+`) and went away (`-`).

Problems are matched across runs by their content fingerprint (code, file, the offending line's
text), not by line number, so inserting lines above a problem does not report it again.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .config import CACHE_DIRNAME, ConfigError
from .engine import LintRequest, lint
from .fingerprints import Fingerprinter
from .model import Diagnostic, LintResult
from .reporters import ReportContext
from .reporters.console import Line, diagnostic_line, write_lines
from .words import problems

DEBOUNCE_MS = 200  # editors save through a temporary file and a rename: one change, not three
READY_MS = 300  # the watcher wakes this often when nothing changes (the first wake: it is up)


def _keyed(result: LintResult) -> dict[str, Diagnostic]:
    """Each diagnostic by `fingerprint:occurrence` (stable when lines above it move)."""
    prints = Fingerprinter(result.config, result.index).partial_fingerprints(result.diagnostics)
    return dict(zip(prints, result.diagnostics, strict=True))


def changes(before: LintResult, after: LintResult, changed: Iterable[str], cwd: Path) -> list[Line]:
    """The lines that report one re-run: a heading, then new (+) and fixed (-) problems."""
    old, new = _keyed(before), _keyed(after)
    added = sorted((new[k] for k in new.keys() - old.keys()), key=lambda d: d.sort_key)
    gone = sorted((old[k] for k in old.keys() - new.keys()), key=lambda d: d.sort_key)
    names = sorted(changed)
    what = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    now = after.diagnostics
    state = problems(now) if now else "no problems"
    heading: Line = [
        (time.strftime("[%H:%M:%S] "), "dim"),
        (f"{what} changed: {len(added)} new, {len(gone)} fixed; {state}", None),
    ]
    after_report, before_report = ReportContext(after, cwd), ReportContext(before, cwd)
    return [
        heading,
        *(diagnostic_line(after_report, d, "+ ") for d in added),
        *(diagnostic_line(before_report, d, "- ") for d in gone),
    ]


def watch(
    request: LintRequest,
    first: LintResult,
    *,
    echo: Callable[[str], None],
) -> None:
    """Re-lint on every change until interrupted (Ctrl-C)."""
    import watchfiles

    config, cwd = first.config, Path.cwd()
    roots = [config.docs_root]
    if config.config_path is not None and not config.config_path.is_relative_to(config.docs_root):
        roots.append(config.config_path)
    shown = [_shown(root, cwd) for root in roots]
    previous, ready = first, False
    for batch in watchfiles.watch(
        *roots,
        watch_filter=_filter(),
        debounce=DEBOUNCE_MS,
        raise_interrupt=False,
        rust_timeout=READY_MS,
        yield_on_timeout=True,  # an empty batch: the watcher is up (and nothing changed)
    ):
        if not ready:
            echo(f"nemo-docs-lint: watching {', '.join(shown)} for changes (Ctrl-C to stop)")
            ready = True
        if not batch:
            continue
        changed = {_shown(Path(path), cwd) for _, path in batch}
        try:
            current = lint(request)
        except ConfigError as exc:
            for line in str(exc).splitlines():
                echo(f"nemo-docs-lint: error: {line}")
            continue
        write_lines(changes(previous, current, changed, cwd), sys.stdout)
        previous = current


def _filter() -> Callable[[Any, str], bool]:
    """watchfiles' default filter (no .git, editors' swap files, ...) minus our own caches."""
    import watchfiles

    default = watchfiles.DefaultFilter()

    def keep(change: Any, path: str) -> bool:
        return CACHE_DIRNAME not in Path(path).parts and default(change, path)

    return keep


def _shown(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix() or "."
    except ValueError:
        return str(path)
