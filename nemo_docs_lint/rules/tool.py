"""NDL rules: problems with the files themselves, before any content can be checked."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import CheckContext
from ..index import DocsIndex
from ..model import Finding, Severity, Span
from ..registry import Scope, family, rule

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
