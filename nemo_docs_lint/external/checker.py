"""`check_urls`: plan, consult the cache, fetch the rest concurrently, then apply fragments.

Every URL given gets a result, keyed by the URL exactly as given. URLs that are not http(s)
(`mailto:`, `ftp:`, relative paths) are never requested and come back as "excluded", as do URLs
matching an `exclude` regex or listed in the false-positives file; `detail` says which.
Each page (URL without fragment) is requested once, however many fragments point into it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from urllib.parse import urldefrag, urlsplit

from nemo_docs_lint.external.anchors import checkable_fragment
from nemo_docs_lint.external.cache import ResultCache
from nemo_docs_lint.external.falsepositives import Exclusions, load_false_positives
from nemo_docs_lint.external.result import SUCCESS_STATUSES, PageOutcome, UrlResult
from nemo_docs_lint.external.settings import ExternalSettings


def check_urls(
    urls: Iterable[str], settings: ExternalSettings, progress: bool = False
) -> dict[str, UrlResult]:
    """Check external URLs; returns one result per distinct URL given (fragments included)."""
    exclusions = _exclusions(settings)
    results: dict[str, UrlResult] = {}
    wanted: list[tuple[str, str, str]] = []  # (as given, page URL, fragment)
    pages: dict[str, set[str]] = {}
    order = list(dict.fromkeys(urls))
    for given in order:
        page, fragment = urldefrag(given.strip())
        scheme = urlsplit(page).scheme.lower()
        if scheme not in ("http", "https"):
            what = f"{scheme}: URL" if scheme else "relative URL"
            results[given] = UrlResult(page, "excluded", None, None, f"{what} is not checked")
            continue
        reason = exclusions.reason(given.strip())
        if reason:
            results[given] = UrlResult(page, "excluded", None, None, reason)
            continue
        fragments = pages.setdefault(page, set())
        if settings.check_anchors and checkable_fragment(page, fragment):
            fragments.add(fragment)
        wanted.append((given, page, fragment))

    cache = _cache(settings)
    outcomes: dict[str, PageOutcome] = {}
    todo: dict[str, frozenset[str]] = {}
    for page, fragments in pages.items():
        hit = cache.get(page, fragments) if cache else None
        if hit is not None:
            outcomes[page] = hit
        else:
            todo[page] = frozenset(fragments)
    if todo:
        from nemo_docs_lint.external.runner import fetch_pages

        fetched = fetch_pages(todo, settings, progress)
        if cache:
            for page, outcome in fetched.items():
                cache.put(page, outcome)
        outcomes.update(fetched)

    for given, page, fragment in wanted:
        results[given] = _apply_fragment(page, fragment, outcomes[page], settings)
    return {given: results[given] for given in order}


def _apply_fragment(
    page: str, fragment: str, outcome: PageOutcome, settings: ExternalSettings
) -> UrlResult:
    if (
        outcome.status in SUCCESS_STATUSES
        and outcome.html
        and settings.check_anchors
        and checkable_fragment(page, fragment)
        and fragment not in outcome.anchors
    ):
        where = outcome.final_url or page
        return UrlResult(
            page,
            "anchor-missing",
            outcome.http_status,
            outcome.final_url,
            f"no element with id or name {fragment!r} in {where}",
            missing_anchors=(fragment,),
        )
    return UrlResult(page, outcome.status, outcome.http_status, outcome.final_url, outcome.detail)


def _exclusions(settings: ExternalSettings) -> Exclusions:
    listed: frozenset[str] = frozenset()
    source = "the false-positives file"
    if settings.false_positives:
        listed = load_false_positives(settings.false_positives)
        source = settings.false_positives
    return Exclusions(settings.exclude, listed, source)


def _cache(settings: ExternalSettings) -> ResultCache | None:
    if not settings.use_cache or settings.cache_dir is None:
        return None
    # Settings that can turn a failure into a success are part of the key.
    basis = json.dumps(
        [sorted(settings.accept), settings.headers, settings.user_agent], sort_keys=True
    )
    fingerprint = hashlib.sha256(basis.encode()).hexdigest()[:16]
    return ResultCache(settings.cache_dir, settings.cache_ttl, fingerprint)
