"""Long differential fuzz run: MyST documents from the grammar in tests/markdown/myst_grammar.py,
fast scanner vs markdown-it-py (every link, label, heading, slug, toctree, comment, span).

Usage: python benchmarks/fuzz_scanner.py [--seconds 600] [--batches N [--start K]] [--batch 200]
[--show 3]
Runs batches of generated documents (batch k has seed k) until the time is up (or, with
--batches, exactly N batches from batch K: the same documents on every checkout, and two runs
splitting the batches between them use both cores); prints how many
documents ran, how many disagreed, and the smallest disagreeing documents.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "markdown"))

from myst_grammar import documents
from test_differential import _compare
from test_property import allowed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--batches", type=int, default=None, help="run exactly this many batches")
    ap.add_argument("--start", type=int, default=0, help="the first batch (split a run)")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--show", type=int, default=3)
    args = ap.parse_args()
    ran = 0
    bad: list[tuple[str, list[str]]] = []
    accepted = 0

    def check(text: str) -> None:
        nonlocal ran, accepted
        ran += 1
        problems = _compare(text)
        if problems and allowed(text):
            accepted += 1
        elif problems:
            bad.append((text, problems))

    deadline = time.monotonic() + args.seconds
    batch = args.start
    stop = None if args.batches is None else args.start + args.batches
    while batch < stop if stop is not None else time.monotonic() < deadline:
        run = settings(
            max_examples=args.batch,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(seed(batch)(given(documents)(check)))
        run()
        batch += 1
    print(
        f"{ran} documents, {len(bad)} disagreements, {accepted} more on the allow-list "
        f"(tests/markdown/test_property.py) ({batch - args.start} batches from {args.start})"
    )
    for text, problems in sorted(bad, key=lambda b: len(b[0]))[: args.show]:
        print("-" * 60)
        print(repr(text))
        for p in problems:
            print("  ", p)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
