"""A virtual environment running the compiled scanner (mypyc), built from this checkout:

    python benchmarks/compiled_env.py DIR        # prints DIR/bin/python

The tracked files of the working tree are copied to a scratch folder and built there with
`HATCH_BUILD_HOOKS_ENABLE=1 pip wheel` (the mypyc hook in pyproject.toml: hatch-mypyc compiles
in place, so never in the checkout an editable install runs); DIR gets a fresh venv with that
wheel and its dependencies. Benchmarks then run it as any interpreter, e.g.
`DIR/bin/python benchmarks/precommit_bench.py` (their runs start in a scratch folder, so
`-m nemo_docs_lint` imports the installed, compiled package). Needs a C compiler and the
Python headers; pip fetches hatch-mypyc and mypy into the isolated build environment.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMPILED = (  # some of the modules the hook compiles
    "nemo_docs_lint.markdown.blocks",
    "nemo_docs_lint.markdown.inline",
    "nemo_docs_lint.parse_codec",
)


def copy_checkout(repo: Path, dest: Path) -> None:
    """The working-tree versions of `repo`'s tracked files, into `dest`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=repo, check=True, capture_output=True
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = repo / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def build_wheel(repo: Path, out: Path, python: str = sys.executable, isolated: bool = True) -> Path:
    """Build the compiled wheel of `repo` into the folder `out`; return its path. Not
    `isolated`: with the build tools `python` has (hatchling, hatch-mypyc, mypy, setuptools:
    the test extra's), nothing fetched."""
    with tempfile.TemporaryDirectory(prefix="ndl-compiled-") as scratch:
        source = Path(scratch) / "src"
        copy_checkout(repo, source)
        env = dict(os.environ, HATCH_BUILD_HOOKS_ENABLE="1")
        command = [python, "-m", "pip", "wheel", "--quiet", "--no-deps", str(source)]
        if not isolated:
            command.append("--no-build-isolation")
        result = subprocess.run(
            [*command, "--wheel-dir", str(out)], env=env, capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(f"the compiled build failed:\n{result.stdout}{result.stderr}")
    wheels = sorted(out.glob("nemo_docs_lint-*.whl"), key=lambda path: path.stat().st_mtime)
    if not wheels or wheels[-1].name.endswith("-none-any.whl"):
        raise RuntimeError(f"no compiled wheel in {out}")
    return wheels[-1]


def is_compiled(python: str | Path, env: dict[str, str] | None = None) -> bool:
    """Whether `python` (with `env`) imports the scanner's modules as extension modules."""
    probe = (
        "import importlib, importlib.machinery as m; suffixes = tuple(m.EXTENSION_SUFFIXES); "
        f"print(all(importlib.import_module(n).__file__.endswith(suffixes) for n in {COMPILED!r}))"
    )
    # From the filesystem root: `-c` puts the current folder first on the path.
    result = subprocess.run(
        [str(python), "-c", probe], cwd="/", env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip() == "True"


def make_env(target: Path, repo: Path = REPO) -> Path:
    """A fresh venv at `target` (an earlier one replaced, nothing else) with the compiled build
    of `repo`; its interpreter."""
    if target.exists():
        if any(target.iterdir()) and not (target / "pyvenv.cfg").is_file():
            raise SystemExit(f"{target} is neither empty nor a venv: not replacing it")
        shutil.rmtree(target)
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    wheel = build_wheel(repo, target / "wheel", str(python))
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    if not is_compiled(python):
        raise RuntimeError(f"{python} does not import the compiled scanner")
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", type=Path, help="the venv folder to create (replaced)")
    args = parser.parse_args()
    print(make_env(args.target.resolve()))


if __name__ == "__main__":
    main()
