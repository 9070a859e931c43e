"""Tree-level costs grow near-linearly: each case at size n and 10n, CPU time of the lint alone.

    python benchmarks/tree_scaling_bench.py [--runs 3] [--case NAME ...] [--scale 1.0]

Every case writes a docs tree whose size is one number n, then times `engine.lint` in this
process (`--no-cache`, every default rule; CPU seconds, `time.process_time`, median of `--runs`)
at n and at 10n. The ratio of the two must stay at most 12 (linear: 10; quadratic: 100).
Cases: the per-tree work an adversarial or just very large tree can make superlinear.

- `duplicate-labels`: one page defining the label `dup` n times (LNK006 n - 1 times)
- `did-you-mean-labels`: n labels and n `{ref}`s to misspellings of them (LNK003 + hint)
- `did-you-mean-anchors`: one page with n headings and n `#fragment`s misspelling them
- `empty-sections`: one page with n empty sections (CQ011) and n sections holding only raw
  HTML, which CQ011 reads from the page's text
- `glob-toctrees`: n pages in folders of 10, each with a `:glob:` toctree of its folder
- `broken-links`: n pages, each linking a missing page (LNK001, unique-file look-up)
- `duplicate-toctree-entries`: one toctree listing each of n pages twice (TOC004; TOC005 looks
  each page up in its section index's entries)
- `orphans`: n pages that no toctree lists (TOC002)
- `suppressions`: one page with n broken links, each after a `disable-next-line` comment, and
  n `disable`/`enable` regions

The machine may be shared: read CPU seconds, and rerun a case that looks off.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nemo_docs_lint.engine import LintRequest, lint  # noqa: E402

MAX_RATIO = 12.0


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def duplicate_labels(n: int) -> dict[str, str]:
    return {"index.md": "".join(f"(dup)=\n## Heading {i}\n\n" for i in range(n))}


def did_you_mean_labels(n: int) -> dict[str, str]:
    labels = "".join(f"(label-{i})=\n## Heading {i}\n\n" for i in range(n))
    refs = "".join(f"{{ref}}`labl-{i}`\n\n" for i in range(n))
    return {"index.md": "# Home\n\n" + labels + refs}


def did_you_mean_anchors(n: int) -> dict[str, str]:
    headings = "".join(f"## Section number {i}\n\n" for i in range(n))
    links = "".join(f"[x](#section-numbr-{i})\n\n" for i in range(n))
    return {"conf.py": "myst_heading_anchors = 3\n", "index.md": "# Home\n\n" + headings + links}


def empty_sections(n: int) -> dict[str, str]:
    sections = "".join(f"## Empty {i}\n\n## Raw {i}\n\n<br>\n\n" for i in range(n))
    return {"index.md": "# Home\n\n" + sections}


def glob_toctrees(n: int) -> dict[str, str]:
    files = {"index.md": "# Home\n\n```{toctree}\n:glob:\n*/index\n```\n"}
    for i in range(n):
        folder = f"f{i // 10}"
        if i % 10 == 0:
            files[f"{folder}/index.md"] = f"# {folder}\n\n```{{toctree}}\n:glob:\n*\n```\n"
        else:
            files[f"{folder}/p{i}.md"] = f"# Page {i}\n"
    return files


def broken_links(n: int) -> dict[str, str]:
    return {f"p{i}.md": f"# Page {i}\n\n[x](missing-{i}.md) [y](p{i + 1}.md)\n" for i in range(n)}


def duplicate_toctree_entries(n: int) -> dict[str, str]:
    entries = "".join(f"p{i}\np{i}\n" for i in range(n))
    files = {"index.md": f"# Home\n\n```{{toctree}}\n{entries}```\n"}
    files.update({f"p{i}.md": f"# Page {i}\n" for i in range(n)})
    return files


def orphans(n: int) -> dict[str, str]:
    return {"index.md": "# Home\n", **{f"p{i}.md": f"# Page {i}\n" for i in range(n)}}


def suppressions(n: int) -> dict[str, str]:
    lines = "".join(
        f"<!-- nemo-docs-lint: disable-next-line LNK001 -->\n[x](gone-{i}.md)\n\n"
        f"<!-- nemo-docs-lint: disable LNK001 -->\n[y](gone-{i}.md)\n"
        "<!-- nemo-docs-lint: enable -->\n\n"
        for i in range(n)
    )
    return {"index.md": "# Home\n\n" + lines}


CASES: dict[str, tuple[Callable[[int], dict[str, str]], int]] = {
    "duplicate-labels": (duplicate_labels, 2000),
    "did-you-mean-labels": (did_you_mean_labels, 500),
    "did-you-mean-anchors": (did_you_mean_anchors, 500),
    "empty-sections": (empty_sections, 1000),
    "glob-toctrees": (glob_toctrees, 300),
    "broken-links": (broken_links, 300),
    "duplicate-toctree-entries": (duplicate_toctree_entries, 300),
    "orphans": (orphans, 300),
    "suppressions": (suppressions, 500),
}


def cpu_seconds(docs: Path, runs: int) -> tuple[float, int]:
    """Median CPU seconds of a lint of `docs`, and its number of diagnostics."""
    times, count = [], 0
    for _ in range(runs):
        start = time.process_time()
        result = lint(LintRequest(paths=(docs,), use_cache=False), cwd=docs.parent)
        times.append(time.process_time() - start)
        count = len(result.diagnostics)
    return statistics.median(times), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    args = parser.parse_args()
    failed = False
    for name in args.case or list(CASES):
        make, base = CASES[name]
        small = max(1, int(base * args.scale))
        rows = []
        for n in (small, small * 10):
            with tempfile.TemporaryDirectory() as tmp:
                docs = Path(tmp) / "docs"
                _write(docs, make(n))
                rows.append((n, *cpu_seconds(docs, args.runs)))
        (n1, t1, d1), (n2, t2, d2) = rows
        ratio = t2 / max(t1, 1e-3)
        verdict = "ok" if ratio <= MAX_RATIO else f"SUPERLINEAR (> {MAX_RATIO:g}x)"
        failed |= ratio > MAX_RATIO
        print(
            f"{name:<27} n={n1:>6}: {t1:6.2f} s ({d1:>6} diagnostics)  "
            f"n={n2:>6}: {t2:6.2f} s ({d2:>6})  x{ratio:5.1f}  {verdict}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
