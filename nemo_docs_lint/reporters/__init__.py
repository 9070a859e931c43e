"""Report stage: turn the final diagnostics into output; reporters never decide what is wrong.

Reporters are chosen from a registry, as rules are: each module `reporters/<format>.py` registers
a `Reporter` (`base.py`) under its format name when imported, and `base.emit` imports only the
one asked for. `FORMATS` lists the built-in modules, in the order `--format` shows them; this
package itself imports nothing else, so the CLI can offer the formats without loading them.
"""

from __future__ import annotations

from typing import Any

FORMATS = ("console", "json", "sarif", "github", "markdown")


def __getattr__(name: str) -> Any:
    """`reporters.ReportContext`, `reporters.emit`, ...: the names of `base`, loaded on use."""
    if name.startswith("__") or name in FORMATS or name == "base":  # submodules: import them
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    base = importlib.import_module(f"{__name__}.base")
    try:
        return getattr(base, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
