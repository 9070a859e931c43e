"""Record the reports of one checkout and compare them with another's, byte for byte.

    python benchmarks/compare_outputs.py record CHECKOUT OUT_DIR
    python benchmarks/compare_outputs.py compare OLD_DIR NEW_DIR
    python benchmarks/compare_outputs.py check OLD_CHECKOUT [NEW_CHECKOUT]   # record both, compare

Each case runs `python -m nemo_docs_lint` with the checkout on `PYTHONPATH`, from the checkout's
root (the corpus from its parent folder, so relative paths in reports come out the same), with
`--no-cache` and no colour. Cases: the shared corpus (env NEMO_DOCS_LINT_CORPUS overrides) and
the checkout's `examples/docs`, each as console, JSON, SARIF, GitHub and Markdown reports, plus
`rules` and `rules --markdown`. Stdout, stderr and the exit code are recorded; `compare` prints
the cases that differ and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(
    os.environ.get(
        "NEMO_DOCS_LINT_CORPUS", REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
    )
).resolve()
FORMATS = ("console", "json", "sarif", "github", "markdown")


def cases(checkout: Path) -> dict[str, tuple[Path, list[str]]]:
    """Case name -> (working directory, CLI arguments)."""
    out: dict[str, tuple[Path, list[str]]] = {}
    trees = (("corpus", CORPUS.parent, CORPUS.name), ("examples", checkout, "examples/docs"))
    for tree, cwd, path in trees:
        for fmt in FORMATS:
            out[f"{tree}-{fmt}"] = (cwd, ["check", path, "--no-cache", "--format", fmt])
        out[f"{tree}-statistics"] = (cwd, ["check", path, "--no-cache", "--statistics"])
    out["rules"] = (checkout, ["rules"])
    out["rules-markdown"] = (checkout, ["rules", "--markdown"])
    return out


def record(checkout: Path, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "NEMO_DOCS"))}
    env.update(PYTHONPATH=str(checkout), NO_COLOR="1", COLUMNS="100", TERM="dumb")
    for name, (cwd, args) in cases(checkout).items():
        proc = subprocess.run(
            [sys.executable, "-m", "nemo_docs_lint", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            check=False,
        )
        (out_dir / f"{name}.stdout").write_bytes(proc.stdout)
        (out_dir / f"{name}.stderr").write_bytes(proc.stderr)
        (out_dir / f"{name}.rc").write_text(f"{proc.returncode}\n")


def compare(old: Path, new: Path) -> int:
    differ = []
    for path in sorted(old.iterdir()):
        other = new / path.name
        if not other.exists() or other.read_bytes() != path.read_bytes():
            differ.append(path.name)
    for name in differ:
        print(f"differs: {name}")
    total = len(list(old.iterdir()))
    print(f"{total - len(differ)}/{total} outputs identical")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("checkout", type=Path)
    rec.add_argument("out_dir", type=Path)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("old", type=Path)
    cmp_.add_argument("new", type=Path)
    chk = sub.add_parser("check")
    chk.add_argument("old_checkout", type=Path)
    chk.add_argument("new_checkout", type=Path, nargs="?", default=REPO)
    args = parser.parse_args()
    if args.command == "record":
        record(args.checkout.resolve(), args.out_dir)
        return 0
    if args.command == "compare":
        return compare(args.old, args.new)
    with tempfile.TemporaryDirectory() as tmp:
        record(args.old_checkout.resolve(), Path(tmp) / "old")
        record(args.new_checkout.resolve(), Path(tmp) / "new")
        return compare(Path(tmp) / "old", Path(tmp) / "new")


if __name__ == "__main__":
    sys.exit(main())
