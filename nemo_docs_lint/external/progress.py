"""A progress bar for the external check: shown only on an interactive terminal outside CI."""

from __future__ import annotations

import os
import sys
from typing import Any, Protocol


class ProgressSink(Protocol):
    def advance(self, failed: bool) -> None: ...

    def close(self) -> None: ...


class _Silent:
    def advance(self, failed: bool) -> None:
        pass

    def close(self) -> None:
        pass


class _RichBar:
    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._failed = 0
        self._progress: Any = Progress(
            TextColumn("checking URLs"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("urls", total=total, failed=0)
        self._progress.start()

    def advance(self, failed: bool) -> None:
        self._failed += failed
        self._progress.update(self._task, advance=1, failed=self._failed)

    def close(self) -> None:
        self._progress.stop()


def progress_bar(total: int, enabled: bool) -> ProgressSink:
    """A rich progress bar if asked for, stderr is a TTY and `CI` is unset; else a no-op."""
    if not enabled or total == 0 or os.environ.get("CI") or not sys.stderr.isatty():
        return _Silent()
    return _RichBar(total)
