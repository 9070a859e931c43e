"""NDL rules: problems with the files themselves, before any content can be checked."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import CheckContext
from ..index import DocsIndex
from ..model import Finding, Page, Severity, Span
from ..registry import Scope, all_rules, family, rule
from ..suppressions import (
    INVALID_SUPPRESSION,
    UNUSED_SUPPRESSION,
    has_suppressions,
    parse_directives,
)

family("NDL", tag="tool")


@rule(
    code="NDL001",
    name="unreadable-file",
    severity=Severity.ERROR,
    scope=Scope.TREE,
    reads_body=False,
)
def unreadable_file(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """A source file cannot be read as a text page.

    Not UTF-8, binary (NUL bytes), unreadable (permissions), a broken symlink or a symlink loop.
    The linter reports it and goes on with the other files.

    Why: Sphinx fails or silently skips such a file, and the page vanishes from the site.

    Bad:
        guide.md saved as Latin-1 (byte 0xe9 for "é")
    Good:
        guide.md saved as UTF-8
    """
    for path, problem in index.unreadable:
        span = Span(problem.line, problem.column, problem.line, problem.column + 1)
        yield Finding(path, span, problem.reason)


@rule(
    code="NDL002",
    name="duplicate-docname",
    severity=Severity.WARNING,
    scope=Scope.TREE,
    reads_body=False,
)
def duplicate_docname(index: DocsIndex, ctx: CheckContext) -> Iterator[Finding]:
    """Two source files map to the same document name (e.g. `index.rst` and `index.md`).

    Reported on the file that is ignored; as in Sphinx, the `.md` file wins.

    Why: Sphinx builds only one of them and warns; edits to the other never reach the site.

    Bad:
        api-docs/index.rst and api-docs/index.md side by side
    Good:
        api-docs/index.md alone
    """
    for ignored, kept in index.duplicate_sources:
        yield Finding(
            ignored,
            Span(1, 1, 1, 1),  # the ignored file is not read: a point, within any first line
            f"`{ignored}` and `{kept}` are the same document; Sphinx builds `{kept}` "
            "and ignores this file",
        )


@rule(
    code=INVALID_SUPPRESSION,
    name="invalid-suppression",
    severity=Severity.WARNING,
    scope=Scope.PAGE,
    reads_body=False,  # pages holding a `nemo-docs-lint` comment are always parsed for it
)
def invalid_suppression(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A `nemo-docs-lint` comment breaks the suppression grammar, so it suppresses nothing.

    An unknown directive (`disable-nextline`, markdownlint's `disable-next-line` is ours too),
    an unknown rule code, or a missing `:`. The directives are `disable-line`,
    `disable-next-line`, `disable` / `enable` and `disable-file`, each followed by codes or
    prefixes (none: every code) and, optionally, ` -- ` and a reason.

    Why: a misspelt suppression must not turn a rule off for the rest of the file, nor be
    ignored without a word; either way the reader believes something that is not so.

    Bad:
        <!-- nemo-docs-lint: disable-nextline LNK001 -->
    Good:
        <!-- nemo-docs-lint: disable-next-line LNK001 -- the page moves in 2.0 -->
    """
    comments = page.body.comments
    if not has_suppressions(comments):
        return
    _, invalid = parse_directives(comments, all_rules())
    for problem in invalid:
        yield Finding(page.path, problem.span, problem.message)


@rule(
    code=UNUSED_SUPPRESSION,
    name="unused-suppression",
    severity=Severity.NOTE,
    scope=Scope.PAGE,
    reads_body=False,
)
def unused_suppression(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A suppression comment that suppresses nothing (Ruff's RUF100), or an `enable` that closes
    no `disable`.

    Reported only when every rule the comment names ran (a `disable-next-line EXT001` is not
    unused on an offline run). The filter stage finds these, as it alone sees what each
    suppression hid; this function contributes nothing itself.

    Why: a stale suppression will hide the next real problem on that line without anyone
    noticing; remove it once the problem is fixed.

    Bad:
        <!-- nemo-docs-lint: disable-next-line LNK001 -->
        [a link that works](install.md)
    Good:
        [a link that works](install.md)
    """
    return iter(())
