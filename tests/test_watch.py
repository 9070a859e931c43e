"""`--watch`, end to end: a real process, real file changes, only the changes printed."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import GOOD_PAGE, subprocess_env, write_tree

pytest.importorskip("watchfiles", reason="--watch needs watchfiles: pip install -e '.[test]'")

WARN = GOOD_PAGE.replace("---\n\n#", "owner: me\n---\n\n#")  # FM007 at 9:1


class Lines:
    """The process's stdout, line by line, read on a thread so that waits can time out."""

    def __init__(self, stream) -> None:
        self._queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=lambda: [self._queue.put(x) for x in stream], daemon=True).start()

    def until(self, pattern: str, timeout: float = 30) -> list[str]:
        """The lines read up to and including the first that matches `pattern`."""
        got: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no line matching {pattern!r}; read {self.seen!r}")
            try:
                line = self._queue.get(timeout=remaining).rstrip("\n")
            except queue.Empty:
                continue
            self.seen.append(line)
            got.append(line)
            if re.search(pattern, line):
                return got

    def rest(self, wait: float = 1.0) -> list[str]:
        """The lines seen so far and those arriving within `wait` seconds of quiet."""
        while True:
            try:
                self.seen.append(self._queue.get(timeout=wait).rstrip("\n"))
            except queue.Empty:
                return self.seen


def _stop(process: subprocess.Popen[str], messages: Lines) -> int:
    """SIGINT, then its exit code; when it does not exit within 30 s, its threads' stacks
    (faulthandler, on SIGABRT) in the failure."""
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        process.wait(timeout=30)
        stderr = "\n".join(messages.rest())
        raise AssertionError(f"no exit within 30 s of SIGINT; stderr:\n{stderr}") from None


def test_watch_prints_only_what_changed(tmp_path: Path) -> None:
    docs = write_tree(
        tmp_path / "docs",
        {
            "conf.py": "",
            "index.md": GOOD_PAGE + "\n```{toctree}\nguide\nz\n```\n",
            "guide.md": GOOD_PAGE,
            "z.md": WARN,
        },
    )
    # A child inherits an ignored SIGINT (as a shell script's background job has it, and so
    # everything it starts), never a handler: with one here while the child starts, the
    # child's Ctrl-C works however the test run was started.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "nemo_docs_lint", "docs", "--watch", "--select", "FM,LNK"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**subprocess_env(), "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"},
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    lines, messages = Lines(process.stdout), Lines(process.stderr)
    try:
        first = lines.until(r"^Found ")
        messages.until(r"^nemo-docs-lint: watching docs for changes \(Ctrl-C to stop\)$")
        assert first[0] == "docs/z.md:9:1: warning FM007 unknown key `owner`"
        assert first[-1] == "Found 1 problem (1 warning) in 1 file; 3 files checked."

        # a change that adds a problem: only that problem is printed, marked new
        (docs / "guide.md").write_text(GOOD_PAGE + "\n[gone](missing.md)\n")
        change = lines.until(r"^\+ ")
        assert re.fullmatch(
            r"\[\d\d:\d\d:\d\d\] docs/guide\.md changed: 1 new, 0 fixed; "
            r"2 problems \(1 error, 1 warning\)",
            change[-2],
        ), change
        assert (
            change[-1]
            == "+ docs/guide.md:15:8: error LNK001 link target `missing.md` does not exist"
        )

        # a change that fixes one: printed as fixed, the untouched one is not repeated
        (docs / "z.md").write_text(GOOD_PAGE)
        fixed = lines.until(r"^- ")
        assert re.search(r"docs/z\.md changed: 0 new, 1 fixed; 1 problem \(1 error\)$", fixed[-2])
        assert fixed[-1] == "- docs/z.md:9:1: warning FM007 unknown key `owner`"
        assert not any("LNK001" in line for line in fixed)
    finally:
        code = _stop(process, messages)
    assert code == 0, messages.seen
    assert not any("Traceback" in line for line in messages.seen)
