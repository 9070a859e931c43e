"""Writing files safely: atomic replace, so readers never see half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(
    path: Path, text: str | bytes, encoding: str = "utf-8", *, durable: bool = True
) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`.

    `durable=False` skips the fsync: for caches, whose checksum catches a torn file and which
    are only slower to rebuild when lost."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode(encoding) if isinstance(text, str) else text
    mode = _default_mode()  # a new file gets the usual permissions, not mkstemp's 0600
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode & 0o7777  # an existing file keeps its own
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _default_mode() -> int:
    """0o666 less the process umask (read without changing it where /proc allows)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
