"""Micro-benchmark: per-page parse time of the fast path vs the markdown-it-py reference.

Usage: python benchmarks/parse_bench.py [DOCS_DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from pathlib import Path

from nemo_docs_lint.frontmatter import parse_frontmatter
from nemo_docs_lint.markdown import parse_markdown
from nemo_docs_lint.markdown.reference import parse_markdown_reference

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared/corpus/nemo-rl-refactor/docs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("docs", nargs="?", default=os.environ.get("NEMO_DOCS_LINT_CORPUS", DEFAULT))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    pages = []
    for p in sorted(Path(args.docs).rglob("*.md")):
        text = p.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        pages.append((text, parse_frontmatter(text).body_start_line))
    print(f"{len(pages)} pages, {sum(len(t) for t, _ in pages) / 1e6:.2f} MB")
    # As in production (`parse.parse_tree`): no cyclic GC while pages are parsed.
    gc.disable()
    for name, fn in (("fast", parse_markdown), ("reference", parse_markdown_reference)):
        t0 = time.perf_counter()
        for text, start in pages:
            fn(text, start, 5)
        first = time.perf_counter() - t0
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for text, start in pages:
                fn(text, start, 5)
            best = min(best, time.perf_counter() - t0)
        print(
            f"{name:>9}: first pass {first * 1000:7.1f} ms total, "
            f"best {best * 1000:7.1f} ms total = {best * 1000 / len(pages):.3f} ms/page"
        )


if __name__ == "__main__":
    main()
