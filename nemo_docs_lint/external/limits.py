"""Concurrency limits: a global cap, a per-host cap and an optional minimum interval per host."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class _Host:
    __slots__ = ("lock", "next_start", "semaphore")

    def __init__(self, per_host: int) -> None:
        self.semaphore = asyncio.Semaphore(per_host)
        self.lock = asyncio.Lock()
        self.next_start = 0.0


class HostLimiter:
    """Hands out request slots; create it inside the running event loop."""

    def __init__(self, concurrency: int, per_host: int, min_interval: float = 0.0) -> None:
        self._global = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._min_interval = min_interval
        self._hosts: dict[str, _Host] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one request slot for `host` for the duration of the block.

        The host's slot is taken before the global one, so requests queued behind a busy host
        never sit on global slots that other hosts could use.
        """
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(self._per_host)
        async with state.semaphore:
            if self._min_interval > 0:
                async with state.lock:
                    loop = asyncio.get_running_loop()
                    wait = state.next_start - loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    state.next_start = loop.time() + self._min_interval
            async with self._global:
                yield
