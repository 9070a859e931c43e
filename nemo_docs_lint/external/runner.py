"""Running the page checks concurrently in one event loop, under a deadline."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

from nemo_docs_lint.external.result import SUCCESS_STATUSES, PageOutcome
from nemo_docs_lint.external.settings import ExternalSettings

_T = TypeVar("_T")


def fetch_pages(
    pages: dict[str, frozenset[str]], settings: ExternalSettings, progress: bool = False
) -> dict[str, PageOutcome]:
    """Check each page URL (looking for its fragments); pages past the deadline are unverified."""
    return _run(_check_pages(pages, settings, progress))


async def _check_pages(
    pages: dict[str, frozenset[str]], settings: ExternalSettings, progress: bool
) -> dict[str, PageOutcome]:
    import httpx

    from nemo_docs_lint.external.fetch import Fetcher
    from nemo_docs_lint.external.limits import HostLimiter
    from nemo_docs_lint.external.progress import progress_bar
    from nemo_docs_lint.external.transport import PerOriginTransport

    bar = progress_bar(len(pages), progress)
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    }
    tasks: dict[asyncio.Task[PageOutcome], str] = {}
    try:
        async with httpx.AsyncClient(
            transport=PerOriginTransport(settings.per_host),
            timeout=httpx.Timeout(settings.timeout),
            headers=headers,
            follow_redirects=False,
        ) as client:
            fetcher = Fetcher(
                client,
                settings,
                HostLimiter(settings.concurrency, settings.per_host, settings.min_interval),
            )

            def report(task: asyncio.Task[PageOutcome]) -> None:
                if not task.cancelled():
                    exc = task.exception()
                    bar.advance(exc is not None or task.result().status not in SUCCESS_STATUSES)

            for page, fragments in pages.items():
                task = asyncio.create_task(fetcher.check(page, fragments))
                task.add_done_callback(report)
                tasks[task] = page
            _, pending = await asyncio.wait(tasks, timeout=settings.deadline)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=5)
    finally:
        bar.close()

    outcomes: dict[str, PageOutcome] = {}
    for task, page in tasks.items():
        if not task.done() or task.cancelled():
            detail = f"not checked within the {settings.deadline:g} s deadline"
            outcomes[page] = PageOutcome("unverified", None, None, detail)
        elif (exc := task.exception()) is not None:
            outcomes[page] = PageOutcome("unverified", None, None, f"check failed: {exc!r}")
        else:
            outcomes[page] = task.result()
    return outcomes


def _run(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine to completion, in a worker thread if this thread already has a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
