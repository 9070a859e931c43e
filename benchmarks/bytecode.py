"""Timed runs see the package as an installed copy does: compiled to bytecode.

pip compiles a package's modules when it installs it. A checkout run under
`PYTHONDONTWRITEBYTECODE=1` (set by some sandboxes and CI images) would instead compile every
module again in every timed run: about 90 ms of a 0.35 s corpus lint.
"""

from __future__ import annotations

import compileall
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "nemo_docs_lint"


@functools.cache
def compile_package() -> None:
    """Write the package's `.pyc` files once per benchmark process (py_compile writes them
    whatever `PYTHONDONTWRITEBYTECODE` says)."""
    compileall.compile_dir(PACKAGE, quiet=1)
