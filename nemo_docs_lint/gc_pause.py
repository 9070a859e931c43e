"""The one place the cyclic garbage collector is switched off, and why.

A lint builds ~50 long-lived objects per page (pages, spans, references, findings), none of them
in cycles: the cyclic GC would scan the heap again and again while they are created (~40 % of
decoding a warm 10k-page tree; ~0.5-0.7 s of a warm 10k-page lint) and find ~1,500 garbage
objects. Reference counting still frees everything that is dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic GC off inside the block (nesting is fine: the outermost block restores it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze() -> None:
    """Hand every object that exists now to the permanent generation, so that later collections
    (reporting, interpreter exit) do not rescan what a large lint built."""
    gc.freeze()


_USUAL_THRESHOLDS = gc.get_threshold()

# A command-line process: start-up imports create ~40,000 objects (functions, classes, the
# dataclasses' generated methods), none of them garbage; at the default threshold of 700
# allocations the collector runs ~60 times over them (~10 ms of the ~180 ms import CPU).
PROCESS_THRESHOLDS = (50_000, 20, 20)


def for_a_process() -> None:
    """Collect seldom (`PROCESS_THRESHOLDS`) in a process of the console script: the young
    generation is collected every 50,000 allocations instead of 700 (memory stays bounded)."""
    gc.set_threshold(*PROCESS_THRESHOLDS)


def as_usual() -> None:
    """Python's own thresholds again, for what runs long (`--watch`, the language server)."""
    gc.set_threshold(*_USUAL_THRESHOLDS)
