"""Scaling benchmark: the fast scanner on inputs that once made it quadratic or exponential.

For each case, parse a page built from n units and from 10n units; the ratio of the CPU
times should stay near 10 (near-linear). Usage: python benchmarks/scaling_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

from nemo_docs_lint.markdown import parse_markdown

# name: (page builder for n units, n)
CASES: dict[str, tuple[Callable[[int], str], int]] = {
    "nested brackets [[[…x…]]](y.md)": (lambda n: "[" * n + "x" + "]" * n + "(y.md)\n", 10_000),
    "identical headings": (lambda n: "# Same\n\n" * n, 2_000),
    "reference definitions": (lambda n: "".join(f"[l{i}]: t{i}.md\n" for i in range(n)), 5_000),
    "<!-- runs in a paragraph": (lambda n: "x " + "<!--" * n + "\n", 10_000),
    "<!-- runs opening an HTML block": (lambda n: "<!--" * n + "\n", 10_000),
    "<!-- lines": (lambda n: "<!--\n" * n, 10_000),
    "unclosed <? and <a in a paragraph": (lambda n: "x" + " <?  <a" * n + "\n", 5_000),
    "duplicate labels": (lambda n: "(same)=\n" * n, 5_000),
    "links in one paragraph": (lambda n: "[a](b.md) " * n + "\n", 5_000),
    "reference links, definitions below": (
        lambda n: "[a [r] b](c.md) [x][r] " * n + "\n\n[r]: t.md\n",
        2_000,
    ),
    "bodies each defining a label": (
        lambda n: "".join(
            f":::{{note}}\n[r{i}]: t.md\n\n[a [r{i}]](c.md) [r0]\n:::\n" for i in range(n)
        ),
        1_000,
    ),
    "spans and bracketed text in one paragraph": (lambda n: "[a]{#x} [b] [c [d]" * n + "\n", 2_000),
    "headings with markup": (
        lambda n: "".join(f"# T `c` [x](y.md) {i}\n" for i in range(n)),
        2_000,
    ),
}


def _cpu(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # as in production (`parse.parse_tree`)
        t0 = time.process_time()
        parse_markdown(text, 1, 3)
        best = min(best, time.process_time() - t0)
        gc.enable()
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{'case':<36} {'n':>7} {'t(n) ms':>9} {'t(10n) ms':>10} {'ratio':>6}")
    worst = 0.0
    for name, (build, n) in CASES.items():
        small = _cpu(build(n), args.repeat)
        large = _cpu(build(10 * n), args.repeat)
        ratio = large / small if small else float("inf")
        worst = max(worst, ratio)
        print(f"{name:<36} {n:>7} {small * 1000:>9.1f} {large * 1000:>10.1f} {ratio:>6.1f}")
    print(f"worst ratio {worst:.1f} (near-linear: at most ~12)")


if __name__ == "__main__":
    main()
