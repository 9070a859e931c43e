"""EXT rules: external http(s) links still work. Only run when selected (`--external`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..config import Config, ConfigError
from ..context import CheckContext
from ..index import DocsIndex
from ..model import Finding, Fix, Page, Severity, Span
from ..registry import Scope, family, rule

_HTTP = re.compile(r"^https?://", re.I)


class ExternalState:
    """Per-run state of the EXT rules: the tree's URLs, each checked once per run."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self._links: list[tuple[Page, Span, str]] | None = None
        self._results: dict[str, Any] | None = None

    def links(self) -> list[tuple[Page, Span, str]]:
        """Every http(s) URL of the tree with where it stands (links, images, cards, toctrees)."""
        if self._links is None:
            index = self.ctx.index
            found = []
            for docname in sorted(index.pages):
                page = index.pages[docname]
                for ref in page.body.references:
                    if _HTTP.match(ref.target):
                        found.append((page, ref.span, ref.target.strip()))
                for toctree in page.body.toctrees:
                    for entry in toctree.entries:
                        if _HTTP.match(entry.target):
                            found.append((page, entry.span, entry.target.strip()))
            self._links = found
        return self._links

    def results(self) -> dict[str, Any]:
        """Check every external URL once per run (the only network I/O of the linter)."""
        if self._results is None:
            from ..external import check_urls

            urls = sorted({target for _, _, target in self.links()})
            settings = self.ctx.config.external_settings()
            self._results = check_urls(urls, settings, progress=True)
        return self._results


def _prepare(config: Config, ctx: CheckContext) -> None:
    """Validate external-link settings and the false-positives file before any work."""
    from ..external import FalsePositivesError
    from ..external.falsepositives import load_false_positives

    settings = config.external_settings()
    if settings.false_positives:
        try:
            load_false_positives(settings.false_positives)
        except FalsePositivesError as exc:
            raise ConfigError(str(exc)) from exc


family("EXT", tag="external-links", prepare=_prepare)


def _report(index: DocsIndex, ctx: CheckContext, status: str) -> Iterator[Finding]:
    state = ctx.memo("EXT", ExternalState, ctx)
    results = state.results()
    for page, span, target in state.links():
        result = results.get(target)
        if result is None or result.status != status:
            continue
        url = target
        if status == "broken":
            message = f"`{url}` is broken: {result.detail}"
        elif status == "unreachable":
            message = f"`{url}` is unreachable: {result.detail}"
        elif status == "redirected":
            message = f"`{url}` permanently redirects to `{result.final_url}`"
        elif status == "rate-limited":
            message = f"`{url}` could not be verified: {result.detail}"
        elif status == "unverified":
            message = f"`{url}` was not checked: {result.detail}"
        else:
            missing = ", ".join(f"#{a}" for a in result.missing_anchors)
            message = f"`{url}`: the page has no anchor {missing}"
        fix = None
        if status == "redirected" and result.final_url and span.line == span.end_line:
            fragment = target.partition("#")[2]
            new = result.final_url + (
                f"#{fragment}" if fragment and "#" not in result.final_url else ""
            )
            fix = Fix(span, target, new)
        yield page.at_span(span, message, fix=fix)


@rule(code="EXT001", name="broken-external-link", severity=Severity.ERROR, scope=Scope.NETWORK)
def broken_external_link(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """An external link answers 404, 410 or another 4xx (not 429), or a 5xx that persists.

    Every http(s) URL in links, images, cards and toctrees is requested once (HEAD, then GET
    when HEAD is refused), with retries for transient errors.

    Why: external pages move and vanish; readers hit the dead end, not the docs team.

    Bad:
        [the paper](https://arxiv.org/abs/0000.00000)   (404)
    Good:
        [the paper](https://arxiv.org/abs/2402.03300)
    """
    yield from _report(index, ctx, "broken")


@rule(
    code="EXT002", name="unreachable-external-link", severity=Severity.WARNING, scope=Scope.NETWORK
)
def unreachable_external_link(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """An external link's host cannot be reached: DNS failure, refused connection, TLS, timeout.

    Why: the host may be down for a moment or gone for good; either way, readers cannot follow it.

    Bad:
        [docs](https://docs.retired-project.example/)
    Good:
        [docs](https://docs.nvidia.com/nemo/rl/latest/)
    """
    yield from _report(index, ctx, "unreachable")


@rule(code="EXT003", name="redirected-external-link", severity=Severity.NOTE, scope=Scope.NETWORK)
def redirected_external_link(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """An external link permanently redirects (301/308); the message names the final URL.

    Temporary redirects (302, 303, 307) are fine. `--fix` rewrites the link to the final URL.

    Why: permanent redirects are the first step of link rot and cost readers a round trip.

    Bad:
        https://github.com/NVIDIA/NeMo-RL   (301 to https://github.com/NVIDIA-NeMo/RL)
    Good:
        https://github.com/NVIDIA-NeMo/RL
    """
    yield from _report(index, ctx, "redirected")


@rule(code="EXT004", name="rate-limited", severity=Severity.WARNING, scope=Scope.NETWORK)
def rate_limited(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """An external link still answers 429/503 after the retry budget, or the check deadline passed.

    `Retry-After` is honoured (capped); the link is unverified, not broken.

    Why: reporting a rate-limited link as broken trains people to ignore the linter.

    Bad:
        a page linked 200 times from one host that allows 10 requests a minute
    Good:
        lower `per-host` or raise `min-interval` in [tool.nemo-docs-lint.external]
    """
    yield from _report(index, ctx, "rate-limited")
    yield from _report(index, ctx, "unverified")


@rule(code="EXT005", name="broken-external-anchor", severity=Severity.WARNING, scope=Scope.NETWORK)
def broken_external_anchor(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """An external link's `#fragment` is no `id` or `name` in the fetched HTML page.

    Only checked with `check-anchors = true` and only for HTML pages.

    Why: a renamed section turns a deep link into a link to the top of a long page.

    Bad:
        https://docs.python.org/3/library/json.html#basic-usag
    Good:
        https://docs.python.org/3/library/json.html#basic-usage
    """
    yield from _report(index, ctx, "anchor-missing")
