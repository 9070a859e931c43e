"""Compare the CQ rules with markdownlint's rules that check the same things, file and line.

    python benchmarks/markdownlint_compare.py [DOCS] [--markdownlint PATH] [--show N]

markdownlint-cli2 (`npm install --prefix /tmp/mdl markdownlint-cli2`; found on PATH, in
/tmp/mdl, or given with --markdownlint / MARKDOWNLINT_CLI2) runs with only MD001, MD025,
MD040, MD045 and MD059 enabled, on every `*.md` below DOCS; nemo-docs-lint runs the matching CQ
rules on the same tree. For each pair the script prints how many findings both report (same
file and line), and those only one of them reports. Where they differ, the reasons are usually:
files conf.py excludes (not documents, so not linted by us), headings inside directive bodies
(MyST rubrics, which markdownlint takes for headings of the page), code fences inside
directives (markdownlint sees a directive as one code block), generic alt text such as `image`
(CQ003 reports it, MD045 only missing alt), and MD025 counting frontmatter `title:`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
PAIRS = {"MD001": "CQ002", "MD025": "CQ001", "MD040": "CQ006", "MD045": "CQ003", "MD059": "CQ004"}
_LINE = re.compile(r"^(?P<path>\S+?):(?P<line>\d+)(?::\d+)? (?:error |warning )?(?P<code>MD\d{3})")


def find_markdownlint(given: str | None) -> str:
    for candidate in (
        given,
        os.environ.get("MARKDOWNLINT_CLI2"),
        shutil.which("markdownlint-cli2"),
        "/tmp/mdl/node_modules/.bin/markdownlint-cli2",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("markdownlint-cli2 not found: npm install --prefix /tmp/mdl markdownlint-cli2")


def markdownlint(tool: str, docs: Path) -> dict[str, set[tuple[str, int]]]:
    """MDxxx -> {(path, line)} as markdownlint-cli2 reports them."""
    config = {"config": {"default": False, **{code: True for code in PAIRS}}}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / ".markdownlint-cli2.jsonc"
        path.write_text(json.dumps(config))
        run = subprocess.run(
            [tool, "--config", str(path), "**/*.md"],
            cwd=docs,
            capture_output=True,
            text=True,
            check=False,
        )
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for line in (run.stdout + run.stderr).splitlines():
        m = _LINE.match(line)
        if m:
            found[m["code"]].add((m["path"], int(m["line"])))
    return found


def ours(docs: Path) -> dict[str, set[tuple[str, int]]]:
    """CQxxx -> {(path, line)} from nemo-docs-lint's JSON report."""
    codes = ",".join(PAIRS.values())
    argv = [sys.executable, "-m", "nemo_docs_lint", str(docs), "--select", codes]
    run = subprocess.run(
        [*argv, "--no-cache", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    root = docs.resolve()
    for d in json.loads(run.stdout)["diagnostics"]:
        path = Path(d["path"])
        relative = (REPO / path).resolve().relative_to(root) if not path.is_absolute() else path
        found[d["code"]].add((Path(relative).as_posix(), d["line"]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("docs", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--markdownlint", help="path of markdownlint-cli2")
    parser.add_argument("--show", type=int, default=10, help="list up to N differences per side")
    args = parser.parse_args()
    theirs, mine = markdownlint(find_markdownlint(args.markdownlint), args.docs), ours(args.docs)
    print(f"{'markdownlint':<12} {'ours':<6} {'both':>5} {'only md':>8} {'only ours':>10}")
    for md, cq in PAIRS.items():
        a, b = theirs.get(md, set()), mine.get(cq, set())
        print(f"{md:<12} {cq:<6} {len(a & b):>5} {len(a - b):>8} {len(b - a):>10}")
        for label, items in ((f"only {md}", a - b), (f"only {cq}", b - a)):
            for path, line in sorted(items)[: args.show]:
                print(f"    {label}: {path}:{line}")


if __name__ == "__main__":
    main()
