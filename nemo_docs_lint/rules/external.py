"""EXT rules: external http(s) links still work, and references into other projects'
intersphinx inventories resolve. Only run when selected (`--external`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..config import Config, ConfigError
from ..context import CheckContext
from ..index import DocsIndex
from ..model import Finding, Fix, Page, Reference, RefKind, Severity, Span
from ..registry import Scope, family, rule
from ..suggest import did_you_mean

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


@rule(
    code="EXT001",
    reads_content=False,
    name="broken-external-link",
    severity=Severity.ERROR,
    scope=Scope.NETWORK,
)
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
    code="EXT002",
    reads_content=False,
    name="unreachable-external-link",
    severity=Severity.WARNING,
    scope=Scope.NETWORK,
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


@rule(
    code="EXT003",
    reads_content=False,
    name="redirected-external-link",
    severity=Severity.NOTE,
    scope=Scope.NETWORK,
)
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


@rule(
    code="EXT004",
    reads_content=False,
    name="rate-limited",
    severity=Severity.WARNING,
    scope=Scope.NETWORK,
)
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


@rule(
    code="EXT005",
    reads_content=False,
    name="broken-external-anchor",
    severity=Severity.WARNING,
    scope=Scope.NETWORK,
)
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


class InventoryState:
    """The intersphinx inventories only the network has, fetched once per run (`--external`)."""

    def __init__(self, ctx: CheckContext) -> None:
        from ..external.inventories import fetch_inventory, inventory_urls
        from ..inventory import Inventory
        from ..targets import Targets

        index = ctx.index
        self.remote = sorted(k for k, inv in Targets(index).inventories.items() if inv is None)
        settings = ctx.config.external_settings()
        self.fetched: dict[str, Inventory] = {}
        self.urls: dict[str, str] = {}
        for key in self.remote:
            uri, locations = index.conf.intersphinx[key]
            urls = inventory_urls(uri, locations)
            self.urls[key] = urls[0] if urls else uri
            got = fetch_inventory(urls, settings)
            if isinstance(got, Inventory):
                self.fetched[key] = got
        self.targets = Targets(index, self.fetched)


def _inventory_key(ref: Reference) -> tuple[str, str] | None:
    """(inventory key, object name) of a reference that names an inventory explicitly."""
    if ref.kind in (RefKind.REF_ROLE, RefKind.TERM_ROLE, RefKind.NUMREF_ROLE):
        key, sep, name = ref.target.strip().partition(":")
        return (key, name) if sep else None
    if ref.kind in (RefKind.LINK, RefKind.AUTOLINK) and ref.target.startswith("inv:"):
        spec, _, name = ref.target[len("inv:") :].partition("#")
        key = spec.split(":")[0]
        return (key, name) if key not in ("", "*") else None
    return None


@rule(
    code="EXT006",
    reads_content=False,
    name="missing-intersphinx-target",
    severity=Severity.ERROR,
    scope=Scope.NETWORK,
)
def missing_intersphinx_target(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """A reference into another project's intersphinx inventory that the inventory lacks.

    `{ref}`key:label``, `{term}`key:term`` and `<inv:key#name>` name the inventory `key` of
    conf.py's `intersphinx_mapping`. Offline, references into inventories only the network
    has are not reported; with `--external` each such inventory is fetched once (cached for
    `cache-ttl`, like link results) and checked, with a did-you-mean among its names. An
    inventory that cannot be fetched leaves its references unverified.

    Why: a renamed label in another project breaks the cross-reference silently.

    Bad:
        {ref}`python:tut-intorduction`
    Good:
        {ref}`python:tut-intro`
    """
    state = ctx.memo("EXT-inventories", InventoryState, ctx)
    if not state.fetched:
        return
    targets = state.targets
    for docname in sorted(index.pages):
        page = index.pages[docname]
        for ref in page.body.references:
            named = _inventory_key(ref)
            if named is None or named[0] not in state.fetched:
                continue
            key, name = named
            link = ref.kind in (RefKind.LINK, RefKind.AUTOLINK)
            if link:
                found = targets.inventory_link(ref.target.strip())
            elif ref.kind is RefKind.TERM_ROLE:
                found = targets.term(ref.target.strip())
            else:
                found = targets.label(ref.target.strip())
            if found is not False:
                continue
            names = sorted(set().union(*state.fetched[key].objects.values()))
            hint = did_you_mean(name if link else name.lower(), names, "`")
            yield page.at_span(
                ref.span,
                f"`{name}` is not in the `{key}` intersphinx inventory ({state.urls[key]}){hint}",
            )
