"""Intersphinx inventories from the network (`--external`), cached on disk like link results.

Each `intersphinx_mapping` entry without a readable local file is fetched from its URL (the
default is `<base URI>/objects.inv`) once per `cache-ttl`; a failure is reported, not raised.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

from ..inventory import Inventory, InventoryError, parse_inventory
from .settings import ExternalSettings


def inventory_urls(uri: str, locations: tuple[str, ...]) -> list[str]:
    """The URLs an entry's inventory may be fetched from, in order (`""`: the default)."""
    urls = []
    for location in locations:
        if not location:
            urls.append(uri.rstrip("/") + "/objects.inv")
        elif "://" in location:
            urls.append(location)
    return urls


def fetch_inventory(urls: list[str], settings: ExternalSettings) -> Inventory | str:
    """The first of `urls` that yields an inventory, or why none did."""
    problems = []
    for url in urls:
        try:
            return parse_inventory(_bytes(url, settings))
        except (OSError, InventoryError) as exc:
            problems.append(f"{url}: {exc}")
    return "; ".join(problems) or "no inventory URL"


def _bytes(url: str, settings: ExternalSettings) -> bytes:
    cached = _cache_file(url, settings)
    if cached is not None and settings.use_cache:
        try:
            if time.time() - cached.stat().st_mtime < settings.cache_ttl:
                return cached.read_bytes()
        except OSError:
            pass
    import httpx

    try:
        response = httpx.get(
            url,
            timeout=settings.timeout,
            follow_redirects=True,
            headers={"User-Agent": settings.user_agent},
        )
    except httpx.HTTPError as exc:
        raise OSError(f"{type(exc).__name__}: {exc}") from None
    if response.status_code != 200:
        raise OSError(f"HTTP {response.status_code}")
    data = response.content
    parse_inventory(data)  # only a real inventory is cached
    if cached is not None and settings.use_cache:
        _write_atomically(cached, data)
    return data


def _cache_file(url: str, settings: ExternalSettings) -> Path | None:
    if settings.cache_dir is None:
        return None
    name = hashlib.sha256(url.encode()).hexdigest()[:32]
    return settings.cache_dir / "inventories" / f"{name}.inv"


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".inv-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs the next run a fetch
