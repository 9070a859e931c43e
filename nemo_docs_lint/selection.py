"""Which rules run: Ruff's selector semantics over codes and code prefixes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .registry import Rule, Scope
from .suggest import did_you_mean


class SelectorError(ValueError):
    """A selector that names no rule."""


def _specificity(selector: str, code: str) -> int | None:
    if selector == "ALL":
        return 0
    return len(selector) if code.startswith(selector) else None


def _best(selectors: Iterable[str], code: str) -> int | None:
    found = [s for s in (_specificity(sel, code) for sel in selectors) if s is not None]
    return max(found) if found else None


def enabled_rules(
    rules: dict[str, Rule],
    select: Sequence[str] | None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[Rule]:
    """Rules selected by the most specific matching selector (ignore wins ties).

    With no `select`, every rule except network rules is selected; network rules (EXT) run only
    when selected explicitly.
    """
    for selector in (*(select or ()), *extend_select, *ignore):
        validate_selector(selector, rules)
    chosen = []
    for code, rule in rules.items():
        positive = _best([*(select or ()), *extend_select], code)
        if select is None and rule.scope is not Scope.NETWORK:
            positive = max(positive or 0, 0)
        negative = _best(ignore, code)
        if positive is not None and (negative is None or positive > negative):
            chosen.append(rule)
    return chosen


def validate_selector(selector: str, rules: dict[str, Rule]) -> None:
    if selector == "ALL" or any(code.startswith(selector) for code in rules):
        return
    families = sorted({r.family for r in rules.values()}) + list(rules)
    raise SelectorError(f"`{selector}` matches no rule{did_you_mean(selector, families, '`')}")


def code_matches(code: str, selectors: Iterable[str]) -> bool:
    return _best(selectors, code) is not None


def most_specific(selectors: Iterable[str], code: str) -> str | None:
    """The selector that matches `code` most specifically (`ALL` least), or None."""
    best: tuple[int, str] | None = None
    for selector in selectors:
        found = _specificity(selector, code)
        if found is not None and (best is None or found > best[0]):
            best = (found, selector)
    return None if best is None else best[1]
