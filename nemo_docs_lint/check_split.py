"""The check stage on two cores for large trees: a forked child runs the page rules on the tail of
the pages while this process runs them on the head, then the tree rules.

Exact by construction: a page rule's findings depend on its page and on what the index and the
configuration say (families memoise only what those determine), so a child with a copy of the
index (copy-on-write: nothing is pickled on the way in) finds what this process would. Its
findings come back as marshalled plain tuples and are put where the sequential run has them:
per rule, the head's pages then the tail's. If the child fails in any way (a rule raises, a
finding marshal cannot hold, the child dies), this process checks the tail itself, so that a
rule's exception surfaces exactly as it does without the split.

Only where processes fork (Linux) and more than one core is usable; measured on the 10k tree
(benchmarks/README.md): ~0.9 s of page rules and ~0.25 s of tree rules.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .model import Finding, Fix, Page, Span
from .registry import Rule, Scope

if TYPE_CHECKING:
    from .context import CheckContext
    from .index import DocsIndex

SPLIT_THRESHOLD = 1500  # pages; below this the fork and the shipping cost more than they save
# Of the pages, what this process checks itself: it also runs the tree rules (~0.25 s of the
# ~1.15 s on the 10k tree) and decodes the child's findings, so it takes fewer than half.
OWN_SHARE = 0.4
BUILT_IN = __name__.rsplit(".", 1)[0] + ".rules."  # the modules of the built-in rules

RunRule = Callable[[Rule, "DocsIndex", "CheckContext"], Iterator[Finding]]


def usable(pages: int, rules: Iterable[Rule]) -> bool:
    """Whether a check of this many pages with these rules is split: only built-in rules, whose
    page rules leave no state that a tree rule reads (a family from elsewhere might count pages
    in its memo), so that the child's findings are the ones this process would find; and only
    in a process with no other thread (one holding a lock at the fork could hang the child, and
    this process with it: the language server checks in one process)."""
    return (
        pages >= SPLIT_THRESHOLD
        and sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and _cpus() > 1
        and _alone()
        and all(rule.check.__module__.startswith(BUILT_IN) for rule in rules)
    )


def check_split(
    rules: list[Rule], index: DocsIndex, context: CheckContext, run_rule: RunRule
) -> list[tuple[Rule, Finding]]:
    """Every rule's findings, in rule order and, within a page rule, in page order: what
    `[(rule, f) for rule in rules for f in run_rule(rule, index, context)]` gives."""
    pages = list(index.pages.values())
    page_rules = [rule for rule in rules if rule.scope is Scope.PAGE]
    split = int(len(pages) * OWN_SHARE)
    head, tail = pages[:split], pages[split:]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: check the tail, send the findings, end without any clean-up
        os.close(read_end)
        _child(page_rules, tail, context, write_end)
    os.close(write_end)
    try:
        own = [_on_pages(rule, head, context) for rule in page_rules]
        others = {
            rule.code: list(run_rule(rule, index, context))
            for rule in rules
            if rule.scope is not Scope.PAGE
        }
        with os.fdopen(read_end, "rb") as stream:
            read_end = -1
            payload = stream.read()
    finally:
        if read_end >= 0:
            os.close(read_end)
        _reap(pid)
    theirs = _decode(payload, len(page_rules))
    if theirs is None:  # the child failed: check the tail here (a rule's error surfaces here)
        theirs = [_on_pages(rule, tail, context) for rule in page_rules]
    by_code = {
        rule.code: mine + tail_findings
        for rule, mine, tail_findings in zip(page_rules, own, theirs, strict=True)
    }
    by_code.update(others)
    return [(rule, finding) for rule in rules for finding in by_code[rule.code]]


def _on_pages(rule: Rule, pages: Iterable[Page], context: CheckContext) -> list[Finding]:
    return [finding for page in pages for finding in rule.check(page, context)]


def _child(rules: list[Rule], pages: list[Page], context: CheckContext, write_end: int) -> None:
    """Check `pages`, write the encoded findings (nothing when anything fails), and exit."""
    try:
        payload = marshal.dumps(tuple(_encode(_on_pages(rule, pages, context)) for rule in rules))
    except BaseException:  # the parent checks these pages itself and reports
        payload = b""
    try:
        with os.fdopen(write_end, "wb") as stream:
            stream.write(payload)
    finally:
        os._exit(0)  # no atexit handlers, no flushing of buffers this process shares


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _encode(findings: list[Finding]) -> tuple[Any, ...]:
    """Findings as plain tuples; ValueError for one that is not made of plain fields."""
    rows = []
    for f in findings:
        if type(f) is not Finding or (f.fix is not None and type(f.fix) is not Fix):
            raise ValueError("not a plain finding")
        fix = f.fix
        rows.append(
            (
                f.path,
                _span(f.span),
                f.message,
                None if fix is None else (_span(fix.span), fix.old, fix.new, fix.safe),
                f.anchor,
            )
        )
    return tuple(rows)


def _span(span: Span) -> tuple[int, int, int, int]:
    if type(span) is not Span:
        raise ValueError("not a span")
    return (span.line, span.column, span.end_line, span.end_column)


def _decode(payload: bytes, rules: int) -> list[list[Finding]] | None:
    """The child's findings per rule, or None when it sent nothing usable."""
    if not payload:
        return None
    try:
        encoded = marshal.loads(payload)
        if type(encoded) is not tuple or len(encoded) != rules:
            return None
        return [
            [
                Finding(
                    path,
                    Span(*span),
                    message,
                    None if fix is None else Fix(Span(*fix[0]), fix[1], fix[2], fix[3]),
                    anchor,
                )
                for path, span, message, fix, anchor in per_rule
            ]
            for per_rule in encoded
        ]
    except (EOFError, ValueError, TypeError):
        return None


def _alone() -> bool:
    """Whether this process runs no thread but the current one."""
    return threading.active_count() == 1


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
